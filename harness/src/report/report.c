#include "report.h"

#include <string.h>

#include "cases.h"
#include "cert.h"
#include "escape.h"
#include "tools.h"
#include "util.h"

/* 110 columns: a 26-column variant name, then six 14-column cells ("✓ race/lost"). */
enum { NAME_W = 26, CELL_W = 14 };

/* The table is narrow: long words get short forms, which the legend lists. */
static const char *shorter(const char *w)
{
    static const char *const forms[][2] = {
        {"lost-update", "lost"},  {"inconclusive", "incon"}, {"watchdog", "wdog"},
        {"starved", "starv"},     {"lock-order", "lockord"}, {"thread-leak", "leak"},
        {"bad-unlock", "unlock"}, {"api-misuse", "misuse"},  {"deadlock", "dlock"},
        {"schedule", "sched"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strcmp(w, forms[i][0]) == 0)
            return forms[i][1];
    return w;
}

static void explore_lines(FILE *f, const struct rl_report_cell *cells, size_t n);

/* The table is narrow: "race:counter,thread-leak:main" -> "race+1". */
static void short_findings(const char *findings, char *out, size_t len)
{
    char kinds[256] = "", buf[256];
    rl_strlcpy(buf, findings, sizeof buf);
    int n = 0;
    for (char *item = strtok(buf, ","); item; item = strtok(NULL, ",")) {
        char *colon = strchr(item, ':');
        if (colon)
            *colon = '\0';
        if (!rl_list_has(kinds, item)) {
            rl_list_add(kinds, sizeof kinds, item);
            n++;
        }
    }
    char first[64];
    rl_strlcpy(first, kinds, sizeof first);
    first[strcspn(first, ",")] = '\0';
    if (n > 1)
        snprintf(out, len, "%s+%d", shorter(first), n - 1);
    else
        rl_strlcpy(out, first, len);
}

void rl_report_cell_text(const struct rl_cell *c, char *out, size_t len)
{
    switch (c->status) {
    case RL_CELL_SKIP:
        rl_strlcpy(out, "skipped", len);
        return;
    case RL_CELL_UNSET:
    case RL_CELL_CONFIG_ERROR:
        rl_strlcpy(out, "error", len);
        return;
    default:
        break;
    }
    char kinds[128];
    short_findings(c->verdict.findings, kinds, sizeof kinds);
    snprintf(out, len, "%s/%s", shorter(kinds), shorter(c->verdict.outcome));
}

void rl_report_progress(FILE *f, size_t done, size_t total, const struct rl_report_cell *c)
{
    char id[160], text[64];
    snprintf(id, sizeof id, "%s.%s.%s", c->case_name, c->variant, rl_tools[c->tool].name);
    rl_report_cell_text(&c->cell, text, sizeof text);
    const char *status = c->cell.status == RL_CELL_MATCH      ? "match"
                         : c->cell.status == RL_CELL_MISMATCH ? "MISMATCH"
                         : c->cell.status == RL_CELL_SKIP     ? "skip"
                                                              : "ERROR";
    fprintf(f, "[%3zu/%zu] %-52s %-8s %-16s %5.1fs\n", done, total, id, status, text,
            c->cell.wall_s);
    fflush(f);
}

void rl_report_count(const struct rl_report_cell *cells, size_t n, struct rl_report_totals *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n; i++) {
        t->match += cells[i].cell.status == RL_CELL_MATCH;
        t->mismatch += cells[i].cell.status == RL_CELL_MISMATCH;
        t->skip += cells[i].cell.status == RL_CELL_SKIP;
        t->errors += rl_cell_error(cells[i].cell.status);
    }
}

int rl_report_exit_status(const struct rl_report_totals *t)
{
    if (t->mismatch)
        return 1;
    if (t->errors)
        return 2;
    return t->match == 0 && t->skip ? 77 : 0;
}

int rl_report_matrix(FILE *f, const struct rl_report_cell *cells, size_t n)
{
    struct rl_report_totals t;
    rl_report_count(cells, n, &t);
    size_t match = t.match, mismatch = t.mismatch, skip = t.skip, errors = t.errors;

    fprintf(f, "\n%-*s", NAME_W, "case / variant");
    for (int t = 0; t < RL_TOOL_COUNT; t++)
        fprintf(f, " %-*s", CELL_W - 1, rl_tools[t].name);
    fputc('\n', f);
    const char *last_case = NULL;
    for (size_t i = 0; i < n;) {
        /* one row per (case, variant): its cells are adjacent in run order */
        if (last_case == NULL || strcmp(last_case, cells[i].case_name) != 0) {
            last_case = cells[i].case_name;
            fprintf(f, "%s\n", last_case);
        }
        size_t j = i;
        while (j < n && cells[j].case_name == cells[i].case_name &&
               cells[j].variant == cells[i].variant)
            j++;
        char name[160];
        snprintf(name, sizeof name, "  %s", cells[i].variant);
        fprintf(f, "%-*.*s", NAME_W, NAME_W, name);
        for (int t = 0; t < RL_TOOL_COUNT; t++) {
            const struct rl_report_cell *c = NULL;
            for (size_t k = i; k < j; k++)
                if (cells[k].tool == t)
                    c = &cells[k];
            if (c == NULL) {
                fprintf(f, " %-*s", CELL_W - 1, "");
                continue;
            }
            char text[64];
            rl_report_cell_text(&c->cell, text, sizeof text);
            const char *mark = c->cell.status == RL_CELL_MATCH      ? "\u2713"
                               : c->cell.status == RL_CELL_MISMATCH ? "\u2717"
                               : c->cell.status == RL_CELL_SKIP     ? "-"
                                                                    : "!";
            fprintf(f, " %s %-*.*s", mark, CELL_W - 3, CELL_W - 3, text);
        }
        fputc('\n', f);
        i = j;
    }
    fprintf(f,
            "\ncell: findings/outcome actually seen; \u2713 as the case's expect says, \u2717 not, "
            "- skipped, ! error\n"
            "      - no detector, lockord lock-order, leak thread-leak, unlock bad-unlock,\n"
            "      misuse api-misuse, lost lost-update, starv starved, incon inconclusive,\n"
            "      wdog watchdog, dlock deadlock, sched schedule (explore: a bad schedule)\n");

    explore_lines(f, cells, n);
    if (mismatch || errors) {
        fprintf(f, "\nnot as expected:\n");
        for (size_t i = 0; i < n; i++) {
            const struct rl_report_cell *c = &cells[i];
            if (c->cell.status != RL_CELL_MISMATCH && !rl_cell_error(c->cell.status))
                continue;
            char want[256];
            rl_expect_findings_text(c->row, want, sizeof want);
            fprintf(f, "  %s.%s.%s\n    expected %s/%s (%s)\n    ", c->case_name, c->variant,
                    rl_tools[c->tool].name, want, c->row->outcome_spec, c->row->reason);
            /* the message quotes the program's result line: no control character raw */
            rl_fputs_visible(
                rl_cell_error(c->cell.status) ? c->cell.error : c->cell.verdict.message, f);
            fputc('\n', f);
            if (c->cell.run_path[0])
                fprintf(f, "    files: %s/\n", c->cell.run_path);
            else /* never "files: /" */
                fprintf(f, "    files: none, the cell did not run\n");
        }
    }
    if (skip) {
        fprintf(f, "\nskipped:\n");
        const char *last = "";
        for (size_t i = 0; i < n; i++)
            if (cells[i].cell.status == RL_CELL_SKIP && strcmp(last, cells[i].cell.skip_reason)) {
                last = cells[i].cell.skip_reason;
                fprintf(f, "  %s\n", last);
            }
    }
    fprintf(f, "\n%zu cells: %zu as expected, %zu not as expected, %zu skipped, %zu errors\n", n,
            match, mismatch, skip, errors);
    return rl_report_exit_status(&t);
}

/* A cell counts when the detector gave a verdict: not native, not skipped, not an error.
 * Positive: the variant has the hazard; flagged: the detector reported anything. */
static int judged(const struct rl_report_cell *c, int *positive, int *flagged)
{
    *positive = rl_variant_is_unsafe(c->variant);
    *flagged = strcmp(c->cell.verdict.findings, "clean") != 0;
    return c->tool != RL_NATIVE &&
           (c->cell.status == RL_CELL_MATCH || c->cell.status == RL_CELL_MISMATCH) &&
           strcmp(c->cell.verdict.findings, "error") != 0;
}

struct tally {
    size_t tp[RL_TOOL_COUNT], fp[RL_TOOL_COUNT], tn[RL_TOOL_COUNT], fn[RL_TOOL_COUNT];
};

static void tally_add(struct tally *s, const struct rl_report_cell *c, int positive, int flagged)
{
    s->tp[c->tool] += positive && flagged;
    s->fn[c->tool] += positive && !flagged;
    s->fp[c->tool] += !positive && flagged;
    s->tn[c->tool] += !positive && !flagged;
}

/* One line per detector with a scored cell, each opening with `lead` (padded to lead_w). */
static void tally_print(FILE *f, const struct tally *s, const char *lead, int lead_w)
{
    for (int t = 0; t < RL_TOOL_COUNT; t++) {
        size_t tp = s->tp[t], fp = s->fp[t], tn = s->tn[t], fn = s->fn[t];
        if (t == RL_NATIVE || tp + fp + tn + fn == 0)
            continue;
        char prec[16] = "-", rec[16] = "-";
        if (tp + fp)
            snprintf(prec, sizeof prec, "%.2f", (double)tp / (double)(tp + fp));
        if (tp + fn)
            snprintf(rec, sizeof rec, "%.2f", (double)tp / (double)(tp + fn));
        fprintf(f, "%-*s%-12s %4zu %4zu %4zu %4zu  %9s  %6s\n", lead_w, lead, rl_tools[t].name, tp,
                fp, tn, fn, prec, rec);
    }
}

/* Per CERT C rule family (the letters of the rule id: CON, POS...), found in the cells: a
 * cell counts in every family its case names a rule of, whatever the case's own family (a
 * starvation case that names POS52-C is a miss for a detector that stays silent). Families,
 * not rules: most rules have one case, and a precision over one or two variants says
 * nothing; the rule by rule view is the table (explain --cert, the report). */
static void score_cert_families(FILE *f, const struct rl_report_cell *cells, size_t n)
{
    char seen[32][8];
    int n_fam = 0;
    for (size_t i = 0; i < n; i++)
        for (int r = 0; r < cells[i].n_cert; r++) {
            char fam[8];
            rl_cert_family(cells[i].cert[r], fam, sizeof fam);
            int k = 0;
            while (k < n_fam && strcmp(seen[k], fam) != 0)
                k++;
            if (k == n_fam && n_fam < 32)
                rl_strlcpy(seen[n_fam++], fam, sizeof seen[0]);
        }
    if (n_fam == 0)
        return;
    fprintf(f,
            "\nscore per CERT C rule family (positive: an unsafe* variant of a case naming a "
            "rule of the family)\n%-7s%-12s %4s %4s %4s %4s  %9s  %6s\n",
            "family", "detector", "TP", "FP", "TN", "FN", "precision", "recall");
    for (int k = 0; k < n_fam; k++) {
        struct tally s = {0};
        for (size_t i = 0; i < n; i++) {
            int positive, flagged, in = 0;
            for (int r = 0; r < cells[i].n_cert; r++) {
                char fam[8];
                rl_cert_family(cells[i].cert[r], fam, sizeof fam);
                in |= strcmp(fam, seen[k]) == 0;
            }
            if (in && judged(&cells[i], &positive, &flagged))
                tally_add(&s, &cells[i], positive, flagged);
        }
        tally_print(f, &s, seen[k], 7);
    }
}

/* The cells each score counts: group 0 is the race family under the four happens-before
 * detectors (a starvation case is no detector's to flag); group 1 is the variants on the
 * cooperative loop (their source includes racelab/coop.h), every detector and explore,
 * whatever their family. */
static int scored(const struct rl_report_cell *c, int group, int *positive, int *flagged)
{
    if (!judged(c, positive, flagged))
        return 0;
    if (group == 0)
        return strcmp(c->family, "race") == 0 && rl_tools[c->tool].kind != RL_KIND_EXPLORE;
    return c->on_loop;
}

static void score_group(FILE *f, const struct rl_report_cell *cells, size_t n, int group)
{
    struct tally s = {0};
    size_t any = 0;
    for (size_t i = 0; i < n; i++) {
        int positive, flagged;
        if (scored(&cells[i], group, &positive, &flagged)) {
            any++;
            tally_add(&s, &cells[i], positive, flagged);
        }
    }
    if (group == 1 && any == 0)
        return; /* no variant on the loop was run */
    fprintf(f, "\nscore over %s (positive: an unsafe* variant; flagged: any finding)\n",
            group == 0 ? "the race family"
                       : "the variants on the cooperative loop (every family; explore applies)");
    fprintf(f, "%-12s %4s %4s %4s %4s  %9s  %6s\n", "detector", "TP", "FP", "TN", "FN", "precision",
            "recall");
    tally_print(f, &s, "", 0);
    if (group == 0)
        score_cert_families(f, cells, n);
    int header = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rl_report_cell *c = &cells[i];
        int positive, flagged;
        if (!scored(c, group, &positive, &flagged) || positive == flagged)
            continue;
        if (!header++)
            fprintf(f, "\nfalse positives and false negatives, with their reasons:\n");
        fprintf(f, "  %s %-10s %s.%s: %s\n", positive ? "FN" : "FP", rl_tools[c->tool].name,
                c->case_name, c->variant, c->row->reason);
    }
}

void rl_report_score(FILE *f, const struct rl_report_cell *cells, size_t n)
{
    score_group(f, cells, n, 0);
    score_group(f, cells, n, 1);
}

void rl_report_explore_text(const struct rl_cell *c, struct rl_buf *out)
{
    const struct rl_explore_cov *x = &c->explore;
    if (!x->on)
        return;
    const char *s = x->runs == 1 ? "" : "s";
    if (strcmp(x->end, "exhausted") == 0)
        rl_buf_printf(out, "exhausted: all %lu schedule%s within %u delays held", x->runs, s,
                      x->bound);
    else if (strcmp(x->end, "budget") == 0)
        rl_buf_printf(out,
                      "budget: %lu schedule%s within %u delays held; the bounded tree is "
                      "larger than the budget",
                      x->runs, s, x->bound);
    else if (strcmp(x->end, "found") == 0)
        rl_buf_printf(out, "found: schedule '%s'%s at run %lu (bound %u)", x->schedule,
                      x->schedule[0] ? "" : " (FIFO order itself)", x->runs, x->bound);
    else
        rl_buf_printf(out, "%s after %lu run%s (bound %u)", x->end, x->runs, s, x->bound);
}

/* The explore cells' coverage, one line each, under the table. */
static void explore_lines(FILE *f, const struct rl_report_cell *cells, size_t n)
{
    int header = 0;
    for (size_t i = 0; i < n; i++) {
        struct rl_buf b = {0};
        rl_report_explore_text(&cells[i].cell, &b);
        if (b.len) {
            if (!header++)
                fprintf(f, "\nexplore (schedules of the cooperative loop; exhausted: every one "
                           "within the bound ran, budget: a sample of them):\n");
            fprintf(f, "  %s.%s: %s\n", cells[i].case_name, cells[i].variant, rl_buf_str(&b));
        }
        rl_buf_free(&b);
    }
}

const char *rl_report_run_link(const struct rl_report_cell *c)
{
    return c->run_link && c->run_link[0] ? c->run_link : c->cell.run_path;
}
