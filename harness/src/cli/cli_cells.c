/* cli_cells: what the commands share: the cells an operand selects, the expectations,
 * one build per binary, and writing the report files (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "report_files.h"
#include "spawn.h"
#include "tools.h"

int cli_load_expect(const struct rl_case *c, struct rl_expect *e)
{
    char err[1024];
    char *path = rl_path_join(c->dir, "expect", NULL);
    const char *names[RL_MAX_VARIANTS];
    for (size_t i = 0; i < c->n_variants; i++)
        names[i] = c->variants[i];
    if (rl_expect_load(path, e, err, sizeof err) != 0 ||
        rl_expect_validate_loop(e, names, c->n_variants, c->on_loop, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: %s\n", err);
        rl_expect_free(e);
        free(path);
        return -1;
    }
    free(path);
    return 0;
}

/* Build every binary the cells need, each once, before any runs: a compiler's message is
 * printed once per variant, not once per tool. Sets broken[i] for the cells whose binary
 * could not be built; returns how many binaries failed. */
size_t cli_build_once(struct ctx *x, const struct sel *sel, size_t n, char *broken)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        const char *flavor = rl_tools[sel[i].tool].flavor;
        char why[256], bin[1024], err[4096];
        size_t same = i;
        for (size_t j = 0; j < i && same == i; j++)
            if (sel[j].c == sel[i].c && strcmp(sel[j].variant, sel[i].variant) == 0 &&
                strcmp(rl_tools[sel[j].tool].flavor, flavor) == 0)
                same = j;
        rl_tool_unavailable(sel[i].tool, why, sizeof why);
        if (same < i || why[0]) {
            broken[i] = same < i && broken[same];
            continue;
        }
        broken[i] = rl_build_cell(&x->settings, sel[i].c, sel[i].variant, sel[i].tool, bin,
                                  sizeof bin, err, sizeof err) != 0;
        if (!broken[i])
            continue;
        failed++;
        size_t first = i;
        for (size_t j = 0; j < i && first == i; j++)
            if (broken[j] && sel[j].c == sel[i].c && strcmp(sel[j].variant, sel[i].variant) == 0)
                first = j;
        if (first == i)
            fprintf(stderr, "racelab: %s\n", err);
        else /* another compiler's words for the same fault: one line, the rest in its log */
            fprintf(stderr, "racelab: %s.%s does not build for %s either (%s.build-log)\n",
                    sel[i].c->name, sel[i].variant, flavor, bin);
    }
    return failed;
}

int cli_tool(const char *name)
{
    int t = rl_tool_lookup(name);
    if (t < 0)
        fprintf(stderr, "racelab: unknown tool '%s' (%s)\n", name, rl_tool_names());
    return t;
}

const struct rl_case *cli_find_case(struct ctx *x, const char *name)
{
    const struct rl_case *c = name ? rl_cases_find(&x->cases, name) : NULL;
    if (c == NULL && name)
        fprintf(stderr, "racelab: unknown case '%s' (racelab list shows them)\n", name);
    else if (c == NULL)
        fprintf(stderr, "racelab: name a case (racelab list shows them)\n");
    return c;
}

int cli_select_cells(struct ctx *x, const char *spec, struct sel **out, size_t *n)
{
    char buf[256];
    rl_strlcpy(buf, spec ? spec : "", sizeof buf);
    char *case_name = buf, *variant = NULL, *tool = NULL;
    char *dot = strchr(buf, '.');
    if (dot) {
        *dot = '\0';
        variant = dot + 1;
        char *dot2 = strchr(variant, '.');
        if (dot2) {
            *dot2 = '\0';
            tool = dot2 + 1;
        }
    }
    int tool_id = tool ? cli_tool(tool) : -1;
    if (tool && tool_id < 0)
        return -1;
    const struct rl_case *only = NULL;
    if (spec) {
        only = rl_cases_find(&x->cases, case_name);
        if (only == NULL) {
            fprintf(stderr, "racelab: unknown case '%s' (racelab list shows them)\n", case_name);
            return -1;
        }
        int found = variant == NULL;
        for (size_t v = 0; variant && v < only->n_variants; v++)
            found |= strcmp(only->variants[v], variant) == 0;
        if (!found) {
            fprintf(stderr, "racelab: case '%s' has no variant '%s'\n", case_name, variant);
            return -1;
        }
    }
    size_t cap = 64;
    *out = malloc(cap * sizeof **out);
    *n = 0;
    for (size_t i = 0; i < x->cases.n; i++) {
        const struct rl_case *c = &x->cases.v[i];
        if (only && c != only)
            continue;
        for (size_t v = 0; v < c->n_variants; v++) {
            if (variant && strcmp(variant, c->variants[v]) != 0)
                continue;
            for (int t = 0; t < RL_TOOL_COUNT; t++) {
                if ((tool_id >= 0 && t != tool_id) || !(x->tool_mask >> t & 1u))
                    continue;
                /* explore on a variant off the loop is a skip; said when asked for by name,
                 * left out of wider selections, where it would only repeat itself */
                if (rl_tools[t].kind == RL_KIND_EXPLORE && !(c->on_loop >> v & 1u) &&
                    !(variant && tool_id == t))
                    continue;
                if (*n == cap)
                    *out = realloc(*out, (cap *= 2) * sizeof **out);
                (*out)[(*n)++] = (struct sel){c, c->variants[v], t};
            }
        }
    }
    return 0;
}

/* Load and validate the expectation of every case the selection touches. */
static int expectations(struct ctx *x, struct rl_expect *exps)
{
    int ok = 1;
    for (size_t i = 0; i < x->cases.n; i++)
        if (cli_load_expect(&x->cases.v[i], &exps[i]) != 0)
            ok = 0;
    return ok ? 0 : -1;
}

size_t cli_case_index(struct ctx *x, const struct rl_case *c)
{
    return (size_t)(c - x->cases.v);
}

/* The cells a command runs and every case's validated expectation; -1 on a usage or
 * expect error (already reported). */
int cli_prepare(struct ctx *x, const char *spec, struct sel **sel, size_t *n,
                struct rl_expect **exps)
{
    if (cli_select_cells(x, spec, sel, n) != 0)
        return -1;
    *exps = calloc(x->cases.n, sizeof **exps);
    if (expectations(x, *exps) != 0) {
        free(*sel);
        free(*exps);
        return -1;
    }
    return 0;
}

int cli_write_report(const char *dir, const char *run_dir, const struct rl_report_cell *cells,
                     size_t n)
{
    char err[1400];
    fflush(stdout); /* the table is out before the report files are written */
    double t0 = rl_now_s();
    char measured[PATH_MAX];
    snprintf(measured, sizeof measured, "%s/measured", run_dir);
    if (rl_report_write_dir(dir, cells, n, RACELAB_SOURCE_DIR, measured, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: report: %s\n", err);
        return -1;
    }
    printf("\nreport: %s/{matrix.md,junit.xml,racelab.sarif,code-scanning.sarif,index.html} "
           "(%.2f s)\n", dir,
           rl_now_s() - t0);
    return 0;
}
