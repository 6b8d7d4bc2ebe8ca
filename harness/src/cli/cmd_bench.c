/* racelab bench: the scaling family (bench/scaling.c), measured. The same CPU-bound work on
 * 1, 2, 4, 8 and 16 threads, processes and tasks of the cooperative loop, and an I/O-bound
 * version (waits instead of work) on threads and the loop. Every (mode, workers) pair runs -n
 * times (default 5), the pairs interleaved round by round so that a change in the machine's
 * load touches them all alike; per pair it prints the median wall time, the number of runs,
 * the speedup over one worker of the same mode and, for processes, the median set-up cost
 * (forking and reaping that many idle processes, measured apart). The table goes to stdout,
 * --json gives the same as a document, and <run-dir>/measured/scaling.tsv keeps it for the
 * HTML report's chart (report/charts.h). A measurement: the exit status is 0 when every run
 * ran and said its time, 1 when one did not; no time is ever a pass or a fail. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "racelab/protocol.h"
#include "spawn.h"
#include "stats.h"
#include "util.h"

#include "config.h"

enum { DEFAULT_RUNS = 5, N_MODES = 5, N_WORKERS = 5 };
static const char *const modes[N_MODES] = {"cpu-threads", "cpu-procs", "cpu-loop", "io-threads",
                                           "io-loop"};
static const int workers[N_WORKERS] = {1, 2, 4, 8, 16};

struct pair {
    double *secs, *setup;
    size_t n;
};

static int by_value(const void *l, const void *r)
{
    double a = *(const double *)l, b = *(const double *)r;
    return (a > b) - (a < b);
}

/* One run of the benchmark: its seconds and set-up from its racelab-bench line; -1 (said). */
static int run_once(int mode, int w, double *secs, double *setup)
{
    char wtext[16];
    snprintf(wtext, sizeof wtext, "%d", w);
    char *argv[] = {RACELAB_BENCH_BIN, (char *)modes[mode], wtext, NULL};
    struct rl_spawn_opts o = {.argv = argv, .timeout_s = 120};
    struct rl_spawn_result r;
    int rc = rl_spawn(&o, &r);
    const char *line = rc == 0 ? strstr(rl_buf_str(&r.out), RL_PROTO_BENCH " ") : NULL;
    const char *s = line ? strstr(line, " seconds=") : NULL, *t = line ? strstr(line, " setup=") : NULL;
    int ok = rc == 0 && r.exited && r.exit_code == 0 && s && t &&
             sscanf(s, " seconds=%lf", secs) == 1 && sscanf(t, " setup=%lf", setup) == 1;
    if (!ok)
        fprintf(stderr, "racelab: bench: %s %s %d gave no time (%s)\n", RACELAB_BENCH_BIN,
                modes[mode], w,
                rc != 0            ? r.error
                : r.timed_out      ? "timed out after 120 s"
                : !r.exited        ? "killed by a signal"
                : r.exit_code != 0 ? "it failed"
                                   : "no " RL_PROTO_BENCH " line");
    rl_spawn_result_free(&r);
    return ok ? 0 : -1;
}

static double median(struct pair *p, double *v)
{
    qsort(v, p->n, sizeof *v, by_value);
    return rl_quantile(v, p->n, 0.5);
}

int cmd_bench(struct ctx *x, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (access(RACELAB_BENCH_BIN, X_OK) != 0) {
        fprintf(stderr, "racelab: bench: %s: %s (cmake --build build builds it)\n",
                RACELAB_BENCH_BIN, strerror(errno));
        return EXIT_USAGE;
    }
    size_t runs = x->runs ? (size_t)x->runs : DEFAULT_RUNS;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct pair p[N_MODES][N_WORKERS];
    int failed = 0;
    for (int m = 0; m < N_MODES; m++)
        for (int k = 0; k < N_WORKERS; k++)
            p[m][k] = (struct pair){calloc(runs, sizeof(double)), calloc(runs, sizeof(double)), 0};
    printf("racelab bench: %s, %zu runs of each mode x workers, round by round, one at a time, "
           "on %ld CPUs\n",
           RACELAB_BENCH_BIN, runs, cores);
    double load[3] = {0};
    for (size_t r = 0; r < runs && !rl_spawn_stop; r++) {
        printf("  round %zu of %zu\n", r + 1, runs);
        fflush(stdout);
        for (int m = 0; m < N_MODES && !rl_spawn_stop; m++)
            for (int k = 0; k < N_WORKERS && !rl_spawn_stop; k++) {
                struct pair *q = &p[m][k];
                if (run_once(m, workers[k], &q->secs[q->n], &q->setup[q->n]) == 0)
                    q->n++;
                else
                    failed = 1;
            }
    }
    int have_load = getloadavg(load, 3) == 3;
    json_t *rows = x->json ? json_array() : NULL;
    struct rl_buf tsv = {0};
    rl_buf_printf(&tsv, "scaling\t%ld\t%zu\t%.2f\n", cores, runs, have_load ? load[0] : -1.0);
    printf("\n  %-12s %7s %6s %12s %8s %12s\n", "mode", "workers", "runs", "median s", "speedup",
           "set-up s");
    for (int m = 0; m < N_MODES; m++) {
        double base = p[m][0].n ? median(&p[m][0], p[m][0].secs) : 0;
        for (int k = 0; k < N_WORKERS; k++) {
            struct pair *q = &p[m][k];
            if (q->n == 0) {
                printf("  %-12s %7d %6d %12s\n", modes[m], workers[k], 0, "no run");
                continue;
            }
            double med = median(q, q->secs), setup = median(q, q->setup);
            double speedup = med > 0 && base > 0 ? base / med : 0;
            printf("  %-12s %7d %6zu %12.4f %7.2fx", modes[m], workers[k], q->n, med, speedup);
            if (m == 1)
                printf(" %12.4f", setup);
            putchar('\n');
            rl_buf_printf(&tsv, "point\t%s\t%d\t%zu\t%.6f\t%.6f\n", modes[m], workers[k], q->n,
                          med, setup);
            if (rows)
                json_array_append_new(rows, json_pack("{s:s, s:i, s:I, s:f, s:f, s:f}", "mode",
                                                      modes[m], "workers", workers[k], "runs",
                                                      (json_int_t)q->n, "median_s", med,
                                                      "speedup", speedup, "setup_median_s", setup));
        }
    }
    printf("\n  speedup: the median with 1 worker over the median with W, in the same mode; "
           "%ld CPUs here%s",
           cores, have_load ? "" : "\n");
    if (have_load)
        printf(", load average %.2f at the end\n", load[0]);
    char dir[PATH_MAX], path[PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s/measured", x->settings.run_dir);
    snprintf(path, sizeof path, "%s/scaling.tsv", dir);
    if (rl_mkdirs(dir) != 0 || rl_write_atomic_bytes(path, rl_buf_str(&tsv), tsv.len) != 0) {
        fprintf(stderr, "racelab: bench: cannot write %s: %s\n", path, strerror(errno));
        path[0] = '\0';
        failed = 1;
    } else {
        printf("  the chart's data: %s (racelab report DIR draws it)\n", path);
    }
    rl_buf_free(&tsv);
    int rc = failed ? 1 : EXIT_MATCH;
    if (rows) {
        json_t *doc = json_pack("{s:{s:I, s:I, s:o, s:s}}", "bench", "cpus", (json_int_t)cores,
                                "runs", (json_int_t)runs, "rows", rows, "data_file", path);
        if (cli_json_print(x->json, "bench", json_array(), doc,
                           rl_spawn_stop ? 128 + rl_spawn_stop : rc) != 0)
            rc = EXIT_USAGE;
    }
    for (int m = 0; m < N_MODES; m++)
        for (int k = 0; k < N_WORKERS; k++) {
            free(p[m][k].secs);
            free(p[m][k].setup);
        }
    return rc;
}
