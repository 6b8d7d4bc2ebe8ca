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

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "pool.h"
#include "spawn.h"
#include "stats.h"
#include "tools.h"
#include "util.h"

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

/* The table, the times and the notes; the JSON "stats" object when json (else NULL). The
 * times end up sorted. */
static json_t *print_stats(const char *id, int tool, const struct ctx *x, struct acc *a,
                           double seconds, int json)
{
    json_t *rates = json ? json_array() : NULL;
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
    if (!json)
        return NULL;
    return json_pack("{s:s, s:I, s:i, s:f, s:o, s:{s:f, s:f, s:f}}", "cell", id, "runs",
                     (json_int_t)a->ended, "jobs", x->jobs, "seconds", seconds, "rates", rates,
                     "time_per_run", "median", med, "p90", p90, "max", max);
}

/* Run the one cell `runs` times, x->jobs at a time, into a (fresh: see acc_init): each run in
 * <run-dir>/stats/<sub><i>/ with the case parameter param ("NAME=value", or NULL). Returns
 * the seconds it took. */
static double measure(struct ctx *x, const struct sel *sel, const struct rl_expect_row *row,
                      size_t runs, const char *param, const char *sub, struct acc *a)
{
    struct rl_pool_cell *cells = calloc(runs, sizeof *cells);
    struct rl_settings *settings = calloc(runs, sizeof *settings);
    char(*dirs)[RL_RUN_PATH_MAX] = calloc(runs, sizeof *dirs);
    /* the outcomes the expect row allows get a row even at 0 runs: a safe variant's table
     * says "ok 100/100" and nothing else, an unsafe one's "lost-update 0/100" too */
    for (int o = 0; o < RL_OUT_COUNT; o++)
        if (row && (row->outcomes >> o & 1u))
            rl_tally_of(&a->ts, "outcome", rl_outcome_name((enum rl_outcome)o));
    for (size_t i = 0; i < runs; i++) {
        /* too long a folder is refused by rl_run_folder when the run starts, by name */
        snprintf(dirs[i], sizeof dirs[i], "%s/stats/%s%zu", x->settings.run_dir, sub, i + 1);
        settings[i] = x->settings;
        settings[i].run_dir = dirs[i];
        settings[i].param = param;
        cells[i] = (struct rl_pool_cell){.c = sel->c,
                                         .variant = sel->variant,
                                         .tool = sel->tool,
                                         .row = row,
                                         .settings = &settings[i]};
    }
    struct stats_run r = {a, cells, sel->c->name};
    double t0 = rl_now_s();
    rl_pool_run(&x->settings, cells, runs, x->jobs, run_ended, &r);
    free(dirs);
    free(settings);
    free(cells);
    return rl_now_s() - t0;
}

static void acc_init(struct acc *a, size_t runs, int json)
{
    memset(a, 0, sizeof *a);
    a->times = calloc(runs, sizeof(double));
    a->json = json ? json_array() : NULL;
}

/* One name of the tallies of every value, for the sweep's summary (outcomes first). */
static int sweep_things(struct acc *accs, int n, struct rl_tallies *all)
{
    memset(all, 0, sizeof *all);
    for (int pass = 0; pass < 2; pass++)
        for (int v = 0; v < n; v++)
            for (size_t i = 0; i < accs[v].ts.n; i++)
                if ((strcmp(accs[v].ts.t[i].what, "outcome") == 0) == (pass == 0))
                    rl_tally_of(all, accs[v].ts.t[i].what, accs[v].ts.t[i].name);
    return (int)all->n;
}

/* How many runs of value v the thing t counts in, and out of how many. */
static size_t sweep_count(const struct acc *a, const struct rl_tally *t, size_t *of)
{
    int finding = strcmp(t->what, "finding") == 0;
    *of = finding ? a->channel : a->judged;
    for (size_t i = 0; i < a->ts.n; i++)
        if (strcmp(a->ts.t[i].what, t->what) == 0 && strcmp(a->ts.t[i].name, t->name) == 0)
            return a->ts.t[i].k;
    return 0;
}

/* The data the HTML report draws its chart from: <run-dir>/measured/sweep.<cell>.<NAME>.tsv,
 * "sweep CELL NAME" then one "point VALUE WHAT NAME K N MEDIAN_S" line per value and thing,
 * tab-separated (report/charts.h reads it). Returns the path written, "" when it could not
 * be (said). */
static void sweep_save(const struct ctx *x, const char *id, const struct rl_param *p,
                       struct acc *accs, const struct rl_tallies *all, char *path, size_t len)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/measured", x->settings.run_dir);
    snprintf(path, len, "%s/sweep.%s.%s.tsv", dir, id, p->name);
    struct rl_buf b = {0};
    rl_buf_printf(&b, "sweep\t%s\t%s\n", id, p->name);
    for (size_t t = 0; t < all->n; t++)
        for (int v = 0; v < p->n_values; v++) {
            size_t of, k = sweep_count(&accs[v], &all->t[t], &of);
            char name[300];
            snprintf(name, sizeof name, "%s", all->t[t].name);
            for (char *c = name; *c; c++)
                if ((unsigned char)*c < ' ')
                    *c = ' '; /* the fields are tab-separated, one point a line */
            rl_buf_printf(&b, "point\t%ld\t%s\t%s\t%zu\t%zu\t%.6f\n", p->values[v],
                          all->t[t].what, name, k, of,
                          rl_quantile(accs[v].times, accs[v].judged, 0.5));
        }
    if (rl_mkdirs(dir) != 0 || rl_write_atomic_bytes(path, rl_buf_str(&b), b.len) != 0) {
        fprintf(stderr, "racelab: stats: cannot write %s: %s\n", path, strerror(errno));
        path[0] = '\0';
    }
    rl_buf_free(&b);
}

/* stats --sweep NAME: the runs at each value of the case's parameter NAME, each value's
 * table, then one summary (a row per thing and value) and the chart's data file. */
static int sweep(struct ctx *x, const struct sel *sel, const struct rl_expect *e,
                 const struct rl_expect_row *row, const char *id, size_t runs)
{
    const struct rl_param *p = rl_expect_param(e, x->sweep);
    if (p == NULL) {
        fprintf(stderr, "racelab: stats: %s declares no parameter '%s' (", e->path, x->sweep);
        for (int i = 0; i < e->n_params; i++)
            fprintf(stderr, "%s%s", i ? ", " : "it declares ", e->params[i].name);
        fprintf(stderr, "%s)\n", e->n_params ? "" : "a case declares one with param: NAME=v1,v2");
        return EXIT_USAGE;
    }
    struct acc *accs = calloc((size_t)p->n_values, sizeof *accs);
    json_t *values = x->json ? json_array() : NULL, *cells = x->json ? json_array() : NULL;
    size_t ended = 0, matched = 0;
    printf("%s --sweep %s: %d values x %zu runs, %d at a time; each run's files in "
           "%s/stats/%s-VALUE/N/%s/\n",
           id, p->name, p->n_values, runs, x->jobs, x->settings.run_dir, p->name, id);
    for (int v = 0; v < p->n_values && !rl_spawn_stop; v++) {
        char param[96], sub[96];
        snprintf(param, sizeof param, "%s=%ld", p->name, p->values[v]);
        snprintf(sub, sizeof sub, "%s-%ld/", p->name, p->values[v]);
        acc_init(&accs[v], runs, x->json != NULL);
        fflush(stdout);
        double seconds = measure(x, sel, row, runs, param, sub, &accs[v]);
        printf("\n%s=%ld\n", p->name, p->values[v]);
        json_t *st = print_stats(id, sel->tool, x, &accs[v], seconds, x->json != NULL);
        if (values) {
            json_object_set_new(st, "value", json_integer(p->values[v]));
            json_array_append_new(values, st);
            json_array_extend(cells, accs[v].json);
            json_decref(accs[v].json);
        }
        ended += accs[v].ended;
        matched += accs[v].matched;
    }
    int measured = 0;
    while (measured < p->n_values && accs[measured].times)
        measured++;
    struct rl_tallies *all = malloc(sizeof *all);
    sweep_things(accs, measured, all);
    printf("\n%s over %s (95%% intervals; findings count the runs whose detector channel was "
           "read whole)\n  %-32s %10s %11s %7s  %s\n",
           id, p->name, "what", p->name, "runs", "rate", "95% interval");
    for (size_t t = 0; t < all->n; t++)
        for (int v = 0; v < measured; v++) {
            size_t of, k = sweep_count(&accs[v], &all->t[t], &of);
            struct rl_interval w = rl_wilson95(k, of);
            char label[340], frac[64];
            snprintf(label, sizeof label, "%s %s", all->t[t].what, all->t[t].name);
            snprintf(frac, sizeof frac, "%zu/%zu", k, of);
            printf("  %-32s %10ld %11s %6.1f%%  [%5.1f%%, %5.1f%%]\n", v ? "" : label,
                   p->values[v], frac, of ? 100.0 * (double)k / (double)of : 0, 100 * w.lo,
                   100 * w.hi);
        }
    for (int v = 0; v < measured; v++)
        printf("  %-32s %10ld %11zu %.3f s\n", v ? "" : "time per run (median)", p->values[v],
               accs[v].judged, rl_quantile(accs[v].times, accs[v].judged, 0.5));
    char path[PATH_MAX] = "";
    if (measured == p->n_values) {
        sweep_save(x, id, p, accs, all, path, sizeof path);
        if (path[0])
            printf("\n  the chart's data: %s (racelab report DIR draws it)\n", path);
    }
    int rc = ended > 0 && matched == ended ? EXIT_MATCH : 1;
    if (x->json) {
        json_t *doc = json_pack("{s:{s:s, s:s, s:I, s:o, s:s}}", "sweep", "cell", id, "param",
                                p->name, "runs_per_value", (json_int_t)runs, "values", values,
                                "data_file", path);
        if (cli_json_print(x->json, "stats", cells, doc,
                           rl_spawn_stop ? 128 + rl_spawn_stop : rc) != 0)
            rc = EXIT_USAGE;
    }
    for (int v = 0; v < p->n_values; v++)
        free(accs[v].times);
    free(accs);
    free(all);
    return rc;
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
    if (x->sweep) {
        rc = sweep(x, &sel[0], &exps[cli_case_index(x, sel[0].c)], row, id, runs);
        goto out;
    }
    struct acc a;
    acc_init(&a, runs, x->json != NULL);
    printf("%s: %zu runs, %d at a time; each run's files in %s/stats/N/%s/\n", id, runs, x->jobs,
           x->settings.run_dir, id);
    fflush(stdout);
    double seconds = measure(x, &sel[0], row, runs, NULL, "", &a);
    json_t *doc = x->json ? json_object() : NULL;
    putchar('\n');
    json_t *st = print_stats(id, sel[0].tool, x, &a, seconds, doc != NULL);
    if (doc)
        json_object_set_new(doc, "stats", st);
    rc = a.ended > 0 && a.matched == a.ended ? EXIT_MATCH : 1;
    if (doc && cli_json_print(x->json, "stats", a.json, doc,
                              rl_spawn_stop ? 128 + rl_spawn_stop : rc) != 0)
        rc = EXIT_USAGE;
    free(a.times);
out:
    for (size_t i = 0; i < x->cases.n; i++)
        rl_expect_free(&exps[i]);
    free(exps);
    free(sel);
    return rc;
}
