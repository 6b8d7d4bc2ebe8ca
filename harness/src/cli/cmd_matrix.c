/* The commands of the matrix: matrix (the cells in parallel, then the table) and report
 * (the report files of the last matrix again). */
#include "cli.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "report_files.h"
#include "spawn.h"
#include "tools.h"

/* Keep the cells one of the patterns matches: CASE, CASE.VARIANT or CASE.VARIANT.TOOL, each
 * part a shell glob (fnmatch). Returns how many patterns matched no cell (each is said). */
static int filter_cells(struct sel *sel, size_t *n, int argc, char **argv)
{
    if (argc == 0)
        return 0;
    char *hit = calloc((size_t)argc, 1);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        char id[512];
        rl_cell_id(id, sizeof id, sel[i].c->name, sel[i].variant, sel[i].tool);
        int keep = 0;
        for (int p = 0; p < argc; p++) {
            char full[512];
            const char *dot = strchr(argv[p], '.');
            const char *rest = dot == NULL ? ".*.*" : strchr(dot + 1, '.') ? "" : ".*";
            snprintf(full, sizeof full, "%s%s", argv[p], rest);
            if (fnmatch(full, id, 0) == 0)
                keep = hit[p] = 1;
        }
        if (keep)
            sel[k++] = sel[i];
    }
    *n = k;
    int missed = 0;
    for (int p = 0; p < argc; p++)
        if (!hit[p] && ++missed)
            fprintf(stderr, "racelab: matrix: no cell matches '%s' (racelab list shows them)\n",
                    argv[p]);
    free(hit);
    return missed;
}

/* --rerun-failed: the names (CASE.VARIANT.TOOL) of the last matrix's cells whose saved
 * verdict is a mismatch or an error (a missing verdict is an error), into *out (malloc'd,
 * one block). Returns how many; -1 when there is no last matrix (said). */
static int failed_cells(struct ctx *x, char ***out)
{
    char err[1400];
    struct rl_manifest_cell *m;
    size_t n;
    *out = NULL;
    if (rl_report_manifest_load(x->settings.run_dir, &m, &n, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: --rerun-failed: no last matrix to take the cells from: %s\n",
                err);
        return -1;
    }
    char **names = malloc((n + 1) * sizeof *names + n * 200);
    char *text = (char *)(names + n + 1);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        char path[RL_RUN_PATH_MAX], why[512];
        struct rl_cell cell;
        int failed = rl_run_folder(path, sizeof path, x->settings.run_dir, m[i].case_name,
                                   m[i].variant, m[i].tool, why, sizeof why) != 0 ||
                     rl_cell_load(path, &cell) != 0;
        if (!failed) {
            failed = cell.status == RL_CELL_MISMATCH || rl_cell_error(cell.status);
            rl_cell_free(&cell);
        }
        names[k] = text + (size_t)k * 200;
        if (!failed || rl_cell_id(names[k], 200, m[i].case_name, m[i].variant, m[i].tool) != 0)
            continue;
        k++;
    }
    fprintf(stderr, "racelab: --rerun-failed: %d of the last matrix's %zu cells %s\n", k, n,
            k == 0 ? "failed: nothing to re-run" : "mismatched or failed: re-running them");
    free(m);
    *out = names;
    return k;
}

/* The pool's word that cell i ended: into the report's cells, and a progress line. */
struct progress {
    struct rl_report_cell *cells;
    struct rl_pool_cell *pool;
    size_t done, n;
};

static void cell_done(void *arg, size_t i)
{
    struct progress *p = arg;
    p->cells[i].cell = p->pool[i].cell;
    rl_report_progress(stdout, ++p->done, p->n, &p->cells[i]);
}

int cmd_matrix(struct ctx *x, int argc, char **argv)
{
    struct sel *sel;
    size_t n;
    struct rl_expect *exps;
    char **failed = NULL;
    if (x->rerun_failed) {
        if (argc > 0) {
            fprintf(stderr,
                    "racelab: --rerun-failed takes the cells from the last matrix, not "
                    "from patterns ('%s')\n",
                    argv[0]);
            return EXIT_USAGE;
        }
        if ((argc = failed_cells(x, &failed)) <= 0) {
            free(failed);
            return argc < 0 ? EXIT_USAGE : EXIT_MATCH;
        }
        argv = failed;
    }
    if (cli_prepare(x, NULL, &sel, &n, &exps) != 0) {
        free(failed);
        return EXIT_USAGE;
    }
    int missed = filter_cells(sel, &n, argc, argv);
    free(failed);
    if (n == 0 && missed) {
        for (size_t i = 0; i < x->cases.n; i++)
            rl_expect_free(&exps[i]);
        free(exps);
        free(sel);
        return EXIT_USAGE;
    }
    struct rl_report_cell *cells = calloc(n + 1, sizeof *cells);
    struct rl_pool_cell *pool = calloc(n + 1, sizeof *pool);
    char *broken = calloc(n + 1, 1);
    cli_build_once(x, sel, n, broken);
    for (size_t i = 0; i < n; i++) {
        const struct rl_expect *e = &exps[cli_case_index(x, sel[i].c)];
        const struct rl_expect_row *row = rl_expect_cell_row(e, sel[i].variant, sel[i].tool);
        cells[i] = (struct rl_report_cell){.case_name = sel[i].c->name,
                                           .case_dir = sel[i].c->dir,
                                           .lesson = e->lesson,
                                           .variant = sel[i].variant,
                                           .on_loop = rl_case_on_loop(sel[i].c, sel[i].variant),
                                           .tool = sel[i].tool,
                                           .row = row,
                                           .family = e->family,
                                           .cert = e->cert,
                                           .n_cert = e->n_cert};
        pool[i] = (struct rl_pool_cell){.c = sel[i].c,
                                        .variant = sel[i].variant,
                                        .tool = sel[i].tool,
                                        .row = row,
                                        .not_built = broken[i]};
    }
    fflush(stdout);
    struct progress pr = {cells, pool, 0, n};
    double t0 = rl_now_s();
    size_t done = rl_pool_run(&x->settings, pool, n, x->jobs, cell_done, &pr);
    double wall = rl_now_s() - t0;
    if (rl_spawn_stop) { /* what ran is known: the table, the manifest and the report show it */
        rl_kill_children(NULL, 0);
        fprintf(stderr,
                "racelab: interrupted by SIG%s: %zu of %zu cells ran (stopped ones are "
                "errors); their processes were killed\n",
                sigabbrev_np(rl_spawn_stop), done, n);
        size_t k = 0; /* the cells that ran, in matrix order (the pool starts long ones first) */
        for (size_t i = 0; i < n; i++)
            if (pool[i].ran)
                cells[k++] = cells[i];
        n = k;
    }
    int rc = rl_report_matrix(stdout, cells, n);
    double cpu = 0; /* of the cells whose runs measured it (not explore's) */
    for (size_t i = 0; i < n; i++)
        cpu += cells[i].cell.cpu_s > 0 ? cells[i].cell.cpu_s : 0;
    printf("time: %.1f s wall with -j%d, %.1f s of CPU in the runs\n", wall, x->jobs, cpu);
    if (x->score)
        rl_report_score(stdout, cells, n);
    if (rl_report_manifest_save(x->settings.run_dir, cells, n) != 0)
        fprintf(stderr,
                "racelab: cannot save %s/last-matrix: racelab report will not find "
                "this run\n",
                x->settings.run_dir);
    if (x->report_dir && cli_write_report(x->report_dir, x->settings.run_dir, cells, n) != 0)
        rc = EXIT_USAGE;
    if (missed)
        rc = EXIT_USAGE;
    if (rl_spawn_stop)
        rc = 128 + rl_spawn_stop;
    if (x->json) {
        json_t *json = json_array();
        cli_json_add_cells(json, cells, n);
        if (cli_json_print(x->json, "matrix", json, NULL, rc) != 0 && rc == EXIT_MATCH)
            rc = EXIT_USAGE;
    }
    for (size_t i = 0; i < n; i++)
        rl_cell_free(&cells[i].cell);
    for (size_t i = 0; i < x->cases.n; i++)
        rl_expect_free(&exps[i]);
    free(cells);
    free(pool);
    free(broken);
    free(exps);
    free(sel);
    return rc;
}

/* racelab report DIR: the report files of the last matrix, from its run directories. */
int cmd_report(struct ctx *x, int argc, char **argv)
{
    const char *dir = argc > 0 ? argv[0] : NULL;
    if (dir == NULL) {
        fprintf(stderr, "racelab: report needs the folder to write to (racelab report DIR)\n");
        return EXIT_USAGE;
    }
    char err[1400];
    struct rl_manifest_cell *m;
    size_t n;
    if (rl_report_manifest_load(x->settings.run_dir, &m, &n, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: %s\n", err);
        return EXIT_USAGE;
    }
    /* the cases as the matrix saw them, from the folders it recorded */
    struct rl_caselist cases = {0};
    for (size_t i = 0; i < n; i++) {
        if (rl_cases_find(&cases, m[i].case_name) == NULL &&
            rl_cases_scan(&cases, m[i].case_dir, err, sizeof err) != 0) {
            fprintf(stderr, "racelab: %s\n", err);
            rl_cases_free(&cases);
            free(m);
            return EXIT_USAGE;
        }
    }
    struct rl_expect *exps = calloc(cases.n, sizeof *exps);
    int rc = EXIT_MATCH;
    for (size_t i = 0; i < cases.n; i++)
        if (cli_load_expect(&cases.v[i], &exps[i]) != 0)
            rc = EXIT_USAGE;
    struct rl_report_cell *cells = calloc(n, sizeof *cells);
    size_t k = 0;
    for (size_t i = 0; rc == EXIT_MATCH && i < n; i++) {
        const struct rl_case *c = rl_cases_find(&cases, m[i].case_name);
        const struct rl_expect *e = &exps[c - cases.v];
        const struct rl_expect_row *row = rl_expect_cell_row(e, m[i].variant, m[i].tool);
        if (row == NULL) {
            fprintf(stderr, "racelab: report: %s has no variant '%s' any more; left out\n", c->name,
                    m[i].variant);
            continue;
        }
        struct rl_report_cell *rc_ = &cells[k++];
        rc_->case_name = c->name;
        rc_->case_dir = c->dir;
        rc_->lesson = e->lesson;
        rc_->family = e->family;
        rc_->cert = e->cert;
        rc_->n_cert = e->n_cert;
        rc_->tool = m[i].tool;
        rc_->row = row;
        for (size_t v = 0; v < c->n_variants; v++)
            if (strcmp(c->variants[v], m[i].variant) == 0)
                rc_->variant = c->variants[v];
        rc_->on_loop = rl_case_on_loop(c, m[i].variant);
        char path[RL_RUN_PATH_MAX], why[512];
        if (rl_run_folder(path, sizeof path, x->settings.run_dir, c->name, m[i].variant,
                          m[i].tool, why, sizeof why) != 0) {
            memset(&rc_->cell, 0, sizeof rc_->cell);
            rc_->cell.status = RL_CELL_CONFIG_ERROR;
            rl_strlcpy(rc_->cell.error, why, sizeof rc_->cell.error);
        } else if (rl_cell_load(path, &rc_->cell) != 0) {
            rl_cell_free(&rc_->cell);
            memset(&rc_->cell, 0, sizeof rc_->cell);
            rl_strlcpy(rc_->cell.run_path, path, sizeof rc_->cell.run_path);
            rc_->cell.status = RL_CELL_CONFIG_ERROR;
            snprintf(rc_->cell.error, sizeof rc_->cell.error, "no verdict saved in %s", path);
        }
    }
    if (rc == EXIT_MATCH && cli_write_report(dir, x->settings.run_dir, cells, k) != 0)
        rc = EXIT_USAGE;
    for (size_t i = 0; i < k; i++)
        rl_cell_free(&cells[i].cell);
    for (size_t i = 0; i < cases.n; i++)
        rl_expect_free(&exps[i]);
    free(cells);
    free(exps);
    rl_cases_free(&cases);
    free(m);
    return rc;
}
