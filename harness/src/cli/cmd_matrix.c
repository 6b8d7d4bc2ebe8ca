/* The commands of the matrix: matrix (the cells in parallel, then the table) and report
 * (the report files of the last matrix again). */
#include "cli.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int cmd_matrix(struct ctx *x, int argc, char **argv)
{
    struct sel *sel;
    size_t n;
    struct rl_expect *exps;
    if (cli_prepare(x, NULL, &sel, &n, &exps) != 0)
        return EXIT_USAGE;
    int missed = filter_cells(sel, &n, argc, argv);
    if (n == 0 && missed) {
        for (size_t i = 0; i < x->cases.n; i++)
            rl_expect_free(&exps[i]);
        free(exps);
        free(sel);
        return EXIT_USAGE;
    }
    struct rl_report_cell *cells = calloc(n, sizeof *cells);
    pid_t *pids = calloc(n, sizeof *pids);
    char *broken = calloc(n + 1, 1);
    cli_build_once(x, sel, n, broken);
    size_t next = 0, done = 0, running = 0;
    fflush(stdout);
    while (done < n) {
        while (!rl_spawn_stop && next < n && running < (size_t)x->jobs) {
            struct sel *s = &sel[next];
            const struct rl_expect *e = &exps[cli_case_index(x, s->c)];
            const struct rl_expect_row *row = rl_expect_find(e, s->variant, s->tool);
            cells[next].case_name = s->c->name;
            cells[next].case_dir = s->c->dir;
            cells[next].lesson = e->lesson;
            cells[next].variant = s->variant;
            cells[next].tool = s->tool;
            cells[next].row = row;
            cells[next].family = e->family;
            if (broken[next]) { /* nothing to run: the build's message is above */
                cli_broken_cell(x, s, &cells[next].cell);
                rl_cell_save(&cells[next].cell);
                rl_report_progress(stdout, ++done, n, &cells[next++]);
                continue;
            }
            pid_t pid = cli_start_worker(x, s, row);
            if (pid < 0) { /* the running cells end and are reported; this one is an error */
                fprintf(stderr, "racelab: fork: %s\n", strerror(errno));
                memset(&cells[next].cell, 0, sizeof cells[next].cell);
                cells[next].cell.status = RL_CELL_CONFIG_ERROR;
                snprintf(cells[next].cell.error, sizeof cells[next].cell.error,
                         "not run: racelab could not fork a worker (%s)", strerror(errno));
                rl_report_progress(stdout, ++done, n, &cells[next++]);
                continue;
            }
            pids[next++] = pid;
            running++;
        }
        if (running == 0)
            break; /* interrupted: nothing more starts */
        int status;
        pid_t pid = cli_wait_worker(-1, pids, next, &status);
        if (pid < 0)
            break;
        for (size_t i = 0; i < next; i++) {
            if (pids[i] != pid)
                continue;
            running--;
            done++;
            cli_finish_worker(x, pids, next, i, status, &cells[i]);
            rl_report_progress(stdout, done, n, &cells[i]);
        }
    }
    if (rl_spawn_stop) { /* what ran is known: the table, the manifest and the report show it */
        rl_kill_children(NULL, 0);
        fprintf(stderr,
                "racelab: interrupted by SIG%s: %zu of %zu cells ran (stopped ones are "
                "errors); their processes were killed\n",
                sigabbrev_np(rl_spawn_stop), done, n);
        n = done;
    }
    int rc = rl_report_matrix(stdout, cells, n);
    if (x->score)
        rl_report_score(stdout, cells, n);
    if (rl_report_manifest_save(x->settings.run_dir, cells, n) != 0)
        fprintf(stderr,
                "racelab: cannot save %s/last-matrix: racelab report will not find "
                "this run\n",
                x->settings.run_dir);
    if (x->report_dir && cli_write_report(x->report_dir, cells, n) != 0)
        rc = EXIT_USAGE;
    if (missed)
        rc = EXIT_USAGE;
    if (rl_spawn_stop)
        rc = 128 + rl_spawn_stop;
    for (size_t i = 0; i < n; i++)
        rl_cell_free(&cells[i].cell);
    for (size_t i = 0; i < x->cases.n; i++)
        rl_expect_free(&exps[i]);
    free(cells);
    free(pids);
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
        const struct rl_expect_row *row = rl_expect_find(e, m[i].variant, m[i].tool);
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
        rc_->tool = m[i].tool;
        rc_->row = row;
        for (size_t v = 0; v < c->n_variants; v++)
            if (strcmp(c->variants[v], m[i].variant) == 0)
                rc_->variant = c->variants[v];
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
    if (rc == EXIT_MATCH && cli_write_report(dir, cells, k) != 0)
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
