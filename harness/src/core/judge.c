#include "judge.h"

#include <stdio.h>
#include <string.h>

#include "cases.h"
#include "util.h"

int rl_need_matches(const struct rl_need *n, const struct rl_finding *f)
{
    return n->kind == f->kind &&
           (rl_list_has(f->symbols, n->name) || rl_list_has(f->functions, n->name));
}

/* Does need i of the row take finding f? A named need takes what names it; a wildcard takes
 * what no named need of its kind in the row takes. */
int rl_need_takes(const struct rl_expect_row *row, int i, const struct rl_finding *f)
{
    const struct rl_need *n = &row->need[i];
    if (strcmp(n->name, "*") != 0)
        return rl_need_matches(n, f);
    if (n->kind != f->kind)
        return 0;
    for (int k = 0; k < row->n_need; k++)
        if (k != i && strcmp(row->need[k].name, "*") != 0 && rl_need_matches(&row->need[k], f))
            return 0;
    return 1;
}

/* "counter" or, for a finding that names no memory, its function. */
static void finding_name(const struct rl_finding *f, char *out, size_t len)
{
    const char *src = f->symbols[0] ? f->symbols : f->functions[0] ? f->functions : "?";
    rl_strlcpyn(out, len, src, strcspn(src, ","));
}

static void findings_cell(const struct rl_findings *fs, char *out, size_t len)
{
    out[0] = '\0';
    if (fs->n == 0) {
        rl_strlcpy(out, "clean", len);
        return;
    }
    for (size_t i = 0; i < fs->n; i++) {
        char item[200], name[128];
        finding_name(&fs->v[i], name, sizeof name);
        snprintf(item, sizeof item, "%s:%s", rl_kind_name(fs->v[i].kind), name);
        rl_list_add(out, len, item);
    }
}

static void append(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    if (used && used < len - 2) {
        strcat(buf, "; ");
        used += 2;
    }
    snprintf(buf + used, len - used, fmt, a, b);
}

/* Did a finding lose a name (finding.h)? Judging what is left could pass a finding that
 * named an unexpected variable. */
static int names_cut(const struct rl_findings *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->v[i].names_cut)
            return 1;
    return 0;
}

void rl_judge(const struct rl_expect_row *row, const char *tool_name,
              const struct rl_observation *obs, struct rl_verdict *v)
{
    memset(v, 0, sizeof *v);
    rl_strlcpy(v->outcome, rl_outcome_name(obs->outcome), sizeof v->outcome);
    char problems[768] = "";
    char want[256];
    rl_expect_findings_text(row, want, sizeof want);

    int findings_ok = 1;
    if (row->no_detector) {
        rl_strlcpy(v->findings, "-", sizeof v->findings);
    } else if (!obs->findings.ran) {
        findings_ok = 0;
        rl_strlcpy(v->findings, "error", sizeof v->findings);
        append(problems, sizeof problems, "no detector verdict: %s%s",
               obs->findings.error[0] ? obs->findings.error : "the detector's output is missing",
               "");
    } else if (names_cut(&obs->findings)) {
        findings_ok = 0;
        rl_strlcpy(v->findings, "error", sizeof v->findings);
        append(problems, sizeof problems, "no detector verdict: %s%s",
               "a report names more variables, locks or functions than the 255 bytes racelab "
               "keeps for each list (or one name of 128 bytes or more), so it cannot be judged",
               "");
    } else {
        findings_cell(&obs->findings, v->findings, sizeof v->findings);
        for (int i = 0; i < row->n_need; i++) {
            const struct rl_need *n = &row->need[i];
            size_t found = 0;
            for (size_t j = 0; j < obs->findings.n; j++)
                found += rl_need_takes(row, i, &obs->findings.v[j]) != 0;
            char need[200], got[120];
            snprintf(need, sizeof need, "%s:%s", rl_kind_name(n->kind), n->name);
            if (n->count == 0 && found == 0) {
                append(problems, sizeof problems, "expected %s was not reported%s", need, "");
                findings_ok = 0;
            } else if (n->count > 0 && found != (size_t)n->count) {
                snprintf(got, sizeof got, "%d report%s of", n->count, n->count == 1 ? "" : "s");
                char what[400];
                snprintf(what, sizeof what, "%s %s, got %zu", got, need, found);
                append(problems, sizeof problems, "expected %s%s", what, "");
                findings_ok = 0;
            }
        }
        for (size_t j = 0; j < obs->findings.n; j++) {
            int wanted = 0;
            for (int i = 0; i < row->n_need && !wanted; i++)
                wanted = rl_need_takes(row, i, &obs->findings.v[j]);
            if (!wanted) {
                const struct rl_finding *f = &obs->findings.v[j];
                char name[128];
                finding_name(f, name, sizeof name);
                char what[300];
                snprintf(what, sizeof what, "%s on %s (%s)", rl_kind_name(f->kind), name,
                         f->tool_kind);
                append(problems, sizeof problems, "unexpected finding %s%s", what, "");
                findings_ok = 0;
                break; /* one is enough to say; the cell lists them all */
            }
        }
    }

    int outcome_ok = obs->outcome != RL_OUT_ERROR && (row->outcomes >> obs->outcome & 1u);
    /* exit:N: the program exited (no signal, no kill) with its own convention's status */
    for (int i = 0; i < row->n_exit_codes && !outcome_ok; i++)
        if (obs->outcome == RL_OUT_ERROR && obs->exit_code == row->exit_codes[i]) {
            outcome_ok = 1;
            snprintf(v->outcome, sizeof v->outcome, "exit:%d", obs->exit_code);
        }
    if (!outcome_ok) {
        char got[600];
        if (obs->outcome == RL_OUT_CRASH)
            snprintf(got, sizeof got, "crash (signal %d)", obs->signal);
        else if (obs->outcome == RL_OUT_ERROR)
            snprintf(got, sizeof got, "error (exit status %d is outside the contract)",
                     obs->exit_code);
        else
            snprintf(got, sizeof got, "%s%s%s%s", rl_outcome_name(obs->outcome),
                     obs->result_line[0] ? " (" : "", obs->result_line,
                     obs->result_line[0] ? ")" : "");
        append(problems, sizeof problems, "outcome: expected %s, got %s", row->outcome_spec, got);
    }

    v->match = findings_ok && outcome_ok;
    char detail[600];
    snprintf(detail, sizeof detail, "outcome %s%s%s%s", v->outcome, obs->result_line[0] ? " (" : "",
             obs->result_line, obs->result_line[0] ? ")" : "");
    if (!v->match) {
        snprintf(v->message, sizeof v->message, "MISMATCH under %s: %s", tool_name, problems);
    } else if (row->n_need > 0) {
        const struct rl_finding *f = &obs->findings.v[0];
        char name[128];
        finding_name(f, name, sizeof name);
        char where[300];
        if (f->kind == RL_SCHEDULE) /* explore: no place in the source, a place in the tree */
            snprintf(where, sizeof where, "a schedule of the loop");
        else if (f->line > 0)
            snprintf(where, sizeof where, "%s:%d", f->file[0] ? f->file : "?", f->line);
        else /* clang -O1 sometimes attributes the access to no line */
            snprintf(where, sizeof where, "%s", f->file[0] ? f->file : "?");
        /* a safe variant that is flagged as expected: the expectation records a false alarm */
        snprintf(v->message, sizeof v->message, "%s: %s on %s at %s by %s; %s",
                 rl_variant_is_unsafe(row->variant) ? "flagged as designed"
                                                    : "flagged as expected (a false alarm)",
                 rl_kind_name(f->kind), name, where, tool_name, detail);
    } else if (row->no_detector) {
        snprintf(v->message, sizeof v->message, "as expected under %s (no detector): %s", tool_name,
                 detail);
    } else {
        snprintf(v->message, sizeof v->message, "clean as expected under %s: %s", tool_name,
                 detail);
    }
}
