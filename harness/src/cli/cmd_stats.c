/* racelab stats CASE.VARIANT.TOOL [-n N] [-j J]: how often, how fast. The one cell is run N
 * times, J at a time, through the worker pool, each run in a run folder of its own
 * (<run-dir>/stats/<i>/<cell>/), so parallel runs never share files. It prints each
 * outcome's rate and each finding's detection rate with a Wilson 95% interval, the time per
 * run (median, p90, max), and how many reruns see each at least once with 99% confidence,
 * set against compiler-rt's %deflake budget (core/stats.h has the arithmetic and the tally).
 *
 * It measures and never loosens a verdict: the exit status is 0 only when every run matched
 * the cell's expect row, 1 when one did not or was an error, 77 when the tool is not here.
 * Outcome rates count every judged run; finding rates count only the runs whose detector
 * channel was read whole (a detector that died is an error, not a run that saw nothing). */
#include "cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "pool.h"
#include "spawn.h"
#include "stats.h"
#include "tools.h"

enum { DEFAULT_RUNS = 100 };

struct acc {
    struct rl_tallies ts;
    size_t ended, judged, channel, flagged, matched, errors;
    size_t no_detector, detector_errors; /* judged runs with findings "-", "error" */
    double *times;
    char first_problem[5200];
    json_t *json;
};

struct stats_run {
    struct acc *a;
    struct rl_pool_cell *cells;
    const char *case_name;
};

static void run_ended(void *arg, size_t i)
{
    struct stats_run *r = arg;
    struct acc *a = r->a;
    struct rl_cell *c = &r->cells[i].cell;
    a->ended++;
    if (a->json) {
        struct rl_report_cell rc = {.case_name = r->case_name,
                                    .variant = r->cells[i].variant,
                                    .tool = r->cells[i].tool,
                                    .row = r->cells[i].row,
                                    .cell = *c};
        cli_json_add_cells(a->json, &rc, 1);
    }
    int judged = c->status == RL_CELL_MATCH || c->status == RL_CELL_MISMATCH;
    int channel = judged && strcmp(c->verdict.findings, "error") != 0 &&
                  strcmp(c->verdict.findings, "-") != 0;
    a->matched += c->status == RL_CELL_MATCH;
    if (c->status != RL_CELL_MATCH && a->first_problem[0] == '\0') {
        /* a line for people: cut if it must be (the verdict file keeps it whole) */
        int len = snprintf(a->first_problem, sizeof a->first_problem, "run %zu: %s (%s/)",
                           i + 1, judged ? c->verdict.message : c->error, c->run_path);
        (void)len;
    }
    if (!judged) {
        a->errors++;
        rl_cell_free(c);
        return;
    }
    a->times[a->judged++] = c->wall_s;
    a->no_detector += strcmp(c->verdict.findings, "-") == 0;
    a->detector_errors += strcmp(c->verdict.findings, "error") == 0;
    uint64_t seen = 0;
    rl_tally_count(&a->ts, "outcome", c->verdict.outcome, &seen);
    if (channel) {
        a->channel++;
        a->flagged += c->findings.n > 0;
        for (size_t f = 0; f < c->findings.n; f++) {
            const struct rl_finding *x = &c->findings.v[f];
            char name[300];
            snprintf(name, sizeof name, "%s %s %s", rl_kind_name(x->kind),
                     x->symbols[0] ? "on" : "in", x->symbols[0] ? x->symbols : x->functions);
            rl_tally_count(&a->ts, "finding", name, &seen);
        }
    }
    rl_cell_free(c);
}

static int by_value(const void *l, const void *r)
{
    double a = *(const double *)l, b = *(const double *)r;
    return (a > b) - (a < b);
}

/* Does the %deflake budget see it with 99% confidence: "enough", "not enough", or "not
 * sure" when the interval straddles the line. */
static const char *deflake(size_t k, struct rl_interval w, double p)
{
    if (k == 0)
        return rl_runs_to_see(w.hi, 0.99) > RL_DEFLAKE_BUDGET ? "not enough" : "not sure";
    if (rl_runs_to_see(w.lo, 0.99) <= RL_DEFLAKE_BUDGET && w.lo > 0)
        return "enough";
    return rl_runs_to_see(p, 0.99) > RL_DEFLAKE_BUDGET ? "not enough" : "not sure";
}

/* One row: "outcome lost-update   37/200  18.5%  [13.7%, 24.5%]  23 (32)  not enough". */
static void print_rate(int width, const struct rl_tally *t, size_t n, json_t *rates)
{
    struct rl_interval w = rl_wilson95(t->k, n);
    double p = n ? (double)t->k / (double)n : 0;
    char label[340], frac[64], reruns[64];
    snprintf(label, sizeof label, "%s %s", t->what, t->name);
    snprintf(frac, sizeof frac, "%zu/%zu", t->k, n);
    long at_p = rl_runs_to_see(p, 0.99), at_lo = rl_runs_to_see(w.lo, 0.99);
    if (t->k == 0)
        snprintf(reruns, sizeof reruns, "over %ld", rl_runs_to_see(w.hi, 0.99));
    else if (at_lo > 0)
        snprintf(reruns, sizeof reruns, "%ld (%ld)", at_p, at_lo);
    else
        snprintf(reruns, sizeof reruns, "%ld (any)", at_p);
    const char *d = deflake(t->k, w, p);
    printf("  %-*s %9s %6.1f%%  [%5.1f%%, %5.1f%%]  %-14s %s\n", width, label, frac, 100 * p,
           100 * w.lo, 100 * w.hi, reruns, d);
    if (rates)
        json_array_append_new(
            rates, json_pack("{s:s, s:s, s:I, s:I, s:f, s:[f,f], s:I, s:I, s:s}", "what", t->what,
                             "name", t->name, "count", (json_int_t)t->k, "of", (json_int_t)n,
                             "rate", p, "wilson95", w.lo, w.hi, "runs_for_99", (json_int_t)at_p,
                             "runs_for_99_at_low_end", (json_int_t)at_lo, "deflake", d));
}

/* The table, the times and the notes; the JSON "stats" object when json is set. */
static void print_stats(const char *id, int tool, const struct ctx *x, struct acc *a,
                        double seconds, json_t *doc)
{
    json_t *rates = doc ? json_array() : NULL;
    printf("%s: %zu runs, %d at a time, %.1f s in all; %zu matched its expect row\n", id,
           a->ended, x->jobs, seconds, a->matched);
    int width = (int)strlen("finding (any: flagged)");
    for (size_t i = 0; i < a->ts.n; i++) {
        int len = (int)(strlen(a->ts.t[i].what) + 1 + strlen(a->ts.t[i].name));
        width = len > width ? len : width;
    }
    printf("\n  %-*s %9s %7s  %-16s  %-14s %s\n", width, "how often", "runs", "rate",
           "95% interval", "runs for 99%", "%deflake (10)");
    for (size_t i = 0; i < a->ts.n; i++)
        if (strcmp(a->ts.t[i].what, "outcome") == 0)
            print_rate(width, &a->ts.t[i], a->judged, rates);
    if (a->channel) {
        struct rl_tally any = {"finding", "(any: flagged)", a->flagged};
        print_rate(width, &any, a->channel, rates);
        for (size_t i = 0; i < a->ts.n; i++)
            if (strcmp(a->ts.t[i].what, "finding") == 0)
                print_rate(width, &a->ts.t[i], a->channel, rates);
    }
    qsort(a->times, a->judged, sizeof *a->times, by_value);
    double med = rl_quantile(a->times, a->judged, 0.5), p90 = rl_quantile(a->times, a->judged, 0.9),
           max = rl_quantile(a->times, a->judged, 1.0);
    printf("\n  time per run: median %.3f s, p90 %.3f s, max %.3f s (%zu runs)\n", med, p90, max,
           a->judged);
    printf("  runs for 99%%: runs that see it at least once with 99%% confidence at the rate\n"
           "  measured, and (in parentheses) at the low end of its interval; %%deflake: compiler-rt's\n"
           "  TSan tests rerun a flaky test up to %d times.\n",
           RL_DEFLAKE_BUDGET);
    if (a->no_detector)
        printf("  findings: none to count, %s runs no detector\n", rl_tools[tool].name);
    if (a->detector_errors)
        printf("  findings: %zu of %zu runs had no detector verdict (the channel was an error);\n"
               "  the finding rates count only the other %zu\n",
               a->detector_errors, a->judged, a->channel);
    if (a->ts.dropped)
        printf("  over %d different outcomes and findings: %zu more were not counted\n",
               RL_TALLY_MAX, a->ts.dropped);
    if (a->errors)
        printf("  %zu run%s ended in an error (counted in no rate)\n", a->errors,
               a->errors == 1 ? "" : "s");
    if (a->first_problem[0]) {
        printf("  first run not as expected: ");
        rl_fputs_visible(a->first_problem, stdout);
        putchar('\n');
    }
    if (doc)
        json_object_set_new(doc, "stats",
                            json_pack("{s:s, s:I, s:i, s:f, s:o, s:{s:f, s:f, s:f}}", "cell", id,
                                      "runs", (json_int_t)a->ended, "jobs", x->jobs, "seconds",
                                      seconds, "rates", rates, "time_per_run", "median", med,
                                      "p90", p90, "max", max));
}

int cmd_stats(struct ctx *x, int argc, char **argv)
{
    if (argc == 0 || strchr(argv[0], '.') == NULL ||
        strchr(strchr(argv[0], '.') + 1, '.') == NULL) {
        fprintf(stderr, "racelab: stats needs one cell, CASE.VARIANT.TOOL (racelab list shows "
                        "them)\n");
        return EXIT_USAGE;
    }
    struct sel *sel;
    size_t n_sel;
    struct rl_expect *exps;
    if (cli_prepare(x, argv[0], &sel, &n_sel, &exps) != 0)
        return EXIT_USAGE;
    size_t runs = x->runs ? (size_t)x->runs : DEFAULT_RUNS;
    char id[300], why[256], broken[2] = "";
    int rc = EXIT_USAGE;
    if (n_sel != 1) { /* --tool left the cell out */
        fprintf(stderr, "racelab: stats: --tool leaves no cell of '%s' to run\n", argv[0]);
        goto out;
    }
    if (rl_cell_id(id, sizeof id, sel[0].c->name, sel[0].variant, sel[0].tool) != 0)
        goto out; /* the names were checked when the cases were read */
    rl_tool_unavailable(sel[0].tool, why, sizeof why);
    if (why[0]) {
        printf("%s: SKIPPED: %s\n", id, why);
        rc = 77;
        goto out;
    }
    if (cli_build_once(x, sel, 1, broken) != 0) {
        fprintf(stderr, "racelab: stats: %s has no binary to run\n", id);
        rc = 1;
        goto out;
    }
    const struct rl_expect_row *row =
        rl_expect_cell_row(&exps[cli_case_index(x, sel[0].c)], sel[0].variant, sel[0].tool);
    struct rl_pool_cell *cells = calloc(runs, sizeof *cells);
    struct rl_settings *settings = calloc(runs, sizeof *settings);
    char(*dirs)[RL_RUN_PATH_MAX] = calloc(runs, sizeof *dirs);
    struct acc a = {.times = calloc(runs, sizeof(double)), .json = x->json ? json_array() : NULL};
    /* the outcomes the expect row allows get a row even at 0 runs: a safe variant's table
     * says "ok 100/100" and nothing else, an unsafe one's "lost-update 0/100" too */
    for (int o = 0; o < RL_OUT_COUNT; o++)
        if (row && (row->outcomes >> o & 1u))
            rl_tally_of(&a.ts, "outcome", rl_outcome_name((enum rl_outcome)o));
    for (size_t i = 0; i < runs; i++) {
        /* too long a folder is refused by rl_run_folder when the run starts, by name */
        snprintf(dirs[i], sizeof dirs[i], "%s/stats/%zu", x->settings.run_dir, i + 1);
        settings[i] = x->settings;
        settings[i].run_dir = dirs[i];
        cells[i] = (struct rl_pool_cell){.c = sel[0].c,
                                         .variant = sel[0].variant,
                                         .tool = sel[0].tool,
                                         .row = row,
                                         .settings = &settings[i]};
    }
    printf("%s: %zu runs, %d at a time; each run's files in %s/stats/N/%s/\n", id, runs, x->jobs,
           x->settings.run_dir, id);
    fflush(stdout);
    struct stats_run r = {&a, cells, sel[0].c->name};
    double t0 = rl_now_s();
    rl_pool_run(&x->settings, cells, runs, x->jobs, run_ended, &r);
    json_t *doc = x->json ? json_object() : NULL;
    putchar('\n');
    print_stats(id, sel[0].tool, x, &a, rl_now_s() - t0, doc);
    rc = a.ended > 0 && a.matched == a.ended ? EXIT_MATCH : 1;
    if (doc && cli_json_print(x->json, "stats", a.json, doc,
                              rl_spawn_stop ? 128 + rl_spawn_stop : rc) != 0)
        rc = EXIT_USAGE;
    free(a.times);
    free(dirs);
    free(settings);
    free(cells);
out:
    for (size_t i = 0; i < x->cases.n; i++)
        rl_expect_free(&exps[i]);
    free(exps);
    free(sel);
    return rc;
}
