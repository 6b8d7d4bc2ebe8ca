/* The commands that run cells one at a time and print each: run and fidelity; and env, the
 * environment racelab gives a cell. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fidelity.h"
#include "pool.h"
#include "spawn.h"
#include "tools.h"

static void print_cell(const char *id, const struct rl_expect_row *row, const struct rl_cell *cell)
{
    switch (cell->status) {
    case RL_CELL_SKIP:
        printf("%s: SKIPPED: %s\n", id, cell->skip_reason);
        return;
    case RL_CELL_CONFIG_ERROR:
        printf("%s: ERROR: ", id);
        rl_fputs_visible(cell->error, stdout);
        putchar('\n');
        return;
    default:
        break;
    }
    char want[256];
    rl_expect_findings_text(row, want, sizeof want);
    /* what the program printed is quoted here: its control characters are shown, not sent */
    printf("%s: ", id);
    rl_fputs_visible(cell->verdict.message, stdout);
    putchar('\n');
    printf("  expected: findings %s, outcome %s\n", want, row->outcome_spec);
    printf("  actual:   findings %s, outcome %s (%.2f s)\n", cell->verdict.findings,
           cell->verdict.outcome, cell->wall_s);
    printf("  why:      %s\n", row->reason);
    if (cell->excerpt.len) {
        printf("  detector report (excerpt):\n");
        const char *s = rl_buf_str(&cell->excerpt);
        while (*s) {
            const char *nl = strchr(s, '\n');
            int n = nl ? (int)(nl - s) : (int)strlen(s);
            struct rl_buf line = {0};
            rl_buf_append(&line, s, (size_t)n);
            printf("    | ");
            rl_fputs_visible(rl_buf_str(&line), stdout);
            putchar('\n');
            rl_buf_free(&line);
            s += n + (nl ? 1 : 0);
        }
    }
    if (cell->notes.len)
        rl_fputs_visible(rl_buf_str(&cell->notes), stdout);
    printf("  run files: %s/\n", cell->run_path);
}

/* A file of the cell's run folder under a "---- id: title ----" line; nothing when empty. */
static void print_run_file(const char *id, const struct rl_cell *cell, const char *name,
                           const char *title)
{
    char path[PATH_MAX];
    rl_xsnprintf(path, sizeof path, "%s/%s", cell->run_path, name);
    struct rl_buf b = {0};
    rl_read_file(path, 64 * 1024, &b);
    if (b.len) {
        printf("---- %s: %s ----\n", id, title);
        rl_fputs_visible(rl_buf_str(&b), stdout);
        if (b.data[b.len - 1] != '\n')
            putchar('\n');
    }
    rl_buf_free(&b);
}

/* --raw: what the detector and the program said, unjudged. Returns 1 when either reported a
 * problem (the learner's view of an unsafe variant: it fails, and here is why). */
static int print_raw(const char *id, const struct rl_cell *cell)
{
    const char *f = cell->verdict.findings, *o = cell->verdict.outcome;
    int flagged = strcmp(f, "clean") != 0 && strcmp(f, "-") != 0;
    int bad = flagged || strcmp(o, "ok") != 0;
    print_run_file(id, cell, "stdout.txt", "the program's stdout");
    print_run_file(id, cell, "stderr.txt", "the program's stderr (the detector's own report)");
    if (cell->excerpt.len && strstr(cell->excerpt.data, "ThreadSanitizer") == NULL) {
        printf("---- %s: the detector's report ----\n", id);
        rl_fputs_visible(rl_buf_str(&cell->excerpt), stdout);
    }
    printf("%s: %s: findings %s, outcome %s\n", id,
           bad ? "FAILS (by design for an unsafe variant)" : "passes", f, o);
    return bad;
}

static void ignore_done(void *arg, size_t i)
{
    (void)arg, (void)i;
}

int cmd_run(struct ctx *x, int argc, char **argv)
{
    const char *spec = argc > 0 ? argv[0] : NULL;
    struct sel *sel;
    size_t n;
    struct rl_expect *exps;
    if (cli_prepare(x, spec, &sel, &n, &exps) != 0)
        return EXIT_USAGE;
    struct rl_report_totals t = {0};
    json_t *json = x->json ? json_array() : NULL;
    char *broken = calloc(n + 1, 1);
    cli_build_once(x, sel, n, broken);
    for (size_t i = 0; i < n; i++) {
        const struct rl_expect *e = &exps[cli_case_index(x, sel[i].c)];
        const struct rl_expect_row *row = rl_expect_cell_row(e, sel[i].variant, sel[i].tool);
        char id[256];
        rl_cell_id(id, sizeof id, sel[i].c->name, sel[i].variant, sel[i].tool);
        if (rl_spawn_stop)
            break;
        struct rl_pool_cell one = {.c = sel[i].c,
                                   .variant = sel[i].variant,
                                   .tool = sel[i].tool,
                                   .row = row,
                                   .not_built = broken[i]};
        if (rl_pool_run(&x->settings, &one, 1, 1, ignore_done, NULL) == 0)
            break; /* stopped before it started */
        struct rl_cell cell = one.cell;
        if (json) {
            struct rl_report_cell rc = {.case_name = sel[i].c->name,
                                        .variant = sel[i].variant,
                                        .tool = sel[i].tool,
                                        .row = row,
                                        .cell = cell};
            cli_json_add_cells(json, &rc, 1);
        }
        if (x->raw && (cell.status == RL_CELL_MATCH || cell.status == RL_CELL_MISMATCH)) {
            int bad = print_raw(id, &cell);
            t.mismatch += bad;
            t.match += !bad;
            rl_cell_free(&cell);
            continue;
        }
        print_cell(id, row, &cell);
        t.match += cell.status == RL_CELL_MATCH;
        t.mismatch += cell.status == RL_CELL_MISMATCH;
        t.skip += cell.status == RL_CELL_SKIP;
        t.errors += cell.status == RL_CELL_CONFIG_ERROR;
        rl_cell_free(&cell);
    }
    for (size_t i = 0; i < x->cases.n; i++)
        rl_expect_free(&exps[i]);
    free(broken);
    free(exps);
    free(sel);
    int rc = rl_report_exit_status(&t); /* main turns it into 128 + the signal if stopped */
    if (json &&
        cli_json_print(x->json, "run", json, NULL, rl_spawn_stop ? 128 + rl_spawn_stop : rc))
        rc = EXIT_USAGE;
    return rc;
}

static void print_attempts(const char *title, const struct rl_fidelity *f)
{
    printf("%s:\n", title);
    for (int i = 0; i < f->attempts; i++) {
        char bare[700], through[700];
        rl_tally_text(&f->bare[i], bare, sizeof bare);
        rl_tally_text(&f->racelab[i], through, sizeof through);
        printf("  %d. bare: %s\n     through racelab: %s\n", i + 1, bare, through);
    }
}

/* racelab fidelity: racelab must not change what a detector reports (see fidelity.h). */
int cmd_fidelity(struct ctx *x, int argc, char **argv)
{
    const char *spec = argc > 0 ? argv[0] : NULL;
    /* native and explore run no detector: nothing to compare */
    x->tool_mask &= ~(1u << RL_NATIVE) & ~(1u << RL_EXPLORE);
    struct sel *sel;
    size_t n;
    struct rl_expect *exps;
    if (cli_prepare(x, spec, &sel, &n, &exps) != 0)
        return EXIT_USAGE;
    if (n == 0) {
        fprintf(stderr, "racelab: fidelity: no detector cell selected (native has none)\n");
        free(sel);
        free(exps);
        return EXIT_USAGE;
    }
    struct rl_report_totals t = {0};
    for (size_t i = 0; i < n; i++) {
        const struct rl_expect *e = &exps[cli_case_index(x, sel[i].c)];
        const struct rl_expect_row *row = rl_expect_cell_row(e, sel[i].variant, sel[i].tool);
        struct rl_fidelity f;
        char tally[700];
        rl_fidelity_cell(&x->settings, sel[i].c, sel[i].variant, sel[i].tool, row, &f);
        printf("%s.%s.%s: ", sel[i].c->name, sel[i].variant, rl_tools[sel[i].tool].name);
        switch (f.status) {
        case RL_FID_AGREE:
            rl_tally_text(&f.racelab[f.agreed], tally, sizeof tally);
            printf("same reports bare and through racelab (%s)\n", tally);
            if (f.attempts > 1)
                print_attempts("  the count varies from run to run; pairs until one agreed", &f);
            t.match++;
            break;
        case RL_FID_DIFFER:
            printf("DIFFERENT reports bare and through racelab\n");
            print_attempts("  no pair of runs agreed", &f);
            printf("  run files: %s/ (the bare run in bare/)\n", f.run_path);
            t.mismatch++;
            break;
        case RL_FID_SKIP:
            printf("SKIPPED: %s\n", f.why);
            t.skip++;
            break;
        case RL_FID_ERROR:
            printf("ERROR: %s\n  run files: %s/\n", f.why, f.run_path);
            t.errors++;
            break;
        }
    }
    if (n > 1)
        printf("\n%zu cells: %zu same, %zu different, %zu skipped, %zu errors\n", n, t.match,
               t.mismatch, t.skip, t.errors);
    for (size_t i = 0; i < x->cases.n; i++)
        rl_expect_free(&exps[i]);
    free(exps);
    free(sel);
    return rl_report_exit_status(&t);
}

/* racelab env CASE.VARIANT.TOOL: the variables racelab adds to that cell's environment, one
 * NAME=value a line, as rl_run_cell sets them (ci/bench.sh runs its bare detector with them). */
int cmd_env(struct ctx *x, int argc, char **argv)
{
    struct sel *sel;
    size_t n;
    if (argc == 0 || strchr(argv[0], '.') == NULL ||
        strchr(strchr(argv[0], '.') + 1, '.') == NULL) {
        fprintf(stderr,
                "racelab: env needs one cell, CASE.VARIANT.TOOL (racelab list shows them)\n");
        return EXIT_USAGE;
    }
    if (cli_select_cells(x, argv[0], &sel, &n) != 0)
        return EXIT_USAGE;
    for (size_t i = 0; i < n; i++) {
        char run_path[RL_RUN_PATH_MAX], why[512];
        if (rl_run_folder(run_path, sizeof run_path, x->settings.run_dir, sel[i].c->name,
                          sel[i].variant, sel[i].tool, why, sizeof why) != 0) {
            fprintf(stderr, "racelab: env: %s\n", why);
            free(sel);
            return EXIT_USAGE;
        }
        struct rl_cell_env e;
        char supp[PATH_MAX], why_supp[512];
        int has_supp = rl_case_suppressions(sel[i].c, rl_tools[sel[i].tool].kind, supp,
                                            sizeof supp, why_supp, sizeof why_supp);
        if (has_supp < 0) {
            fprintf(stderr, "racelab: env: %s\n", why_supp);
            free(sel);
            return EXIT_USAGE;
        }
        rl_cell_env(sel[i].tool, run_path, has_supp ? supp : NULL, NULL, NULL, &e);
        for (char **v = e.env; *v; v++)
            printf("%s\n", *v);
        rl_cell_env_free(&e);
    }
    free(sel);
    return EXIT_MATCH;
}

/* racelab replay CELL SCHEDULE: one run of the cell's native binary under the schedule, as
 * the explore search ran it; its timeline, result and schedule lines are printed, then the
 * outcome. Exit 0 when it ran (whatever the outcome), 2 on a usage error or a refused
 * schedule. */
int cmd_replay(struct ctx *x, int argc, char **argv)
{
    struct sel *sel;
    size_t n;
    if (argc != 2 || strchr(argv[0], '.') == NULL) {
        fprintf(stderr, "racelab: replay needs a cell and a schedule: racelab replay "
                        "CASE.VARIANT[.explore] 0.1.0\n");
        return EXIT_USAGE;
    }
    char spec[512];
    snprintf(spec, sizeof spec, "%s", argv[0]);
    char *second = strchr(strchr(spec, '.') + 1, '.');
    if (second == NULL) /* CASE.VARIANT: the explore cell */
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec), ".%s", rl_tools[RL_EXPLORE].name);
    if (cli_select_cells(x, spec, &sel, &n) != 0)
        return EXIT_USAGE;
    if (n != 1 || rl_tools[sel[0].tool].kind != RL_KIND_EXPLORE) {
        fprintf(stderr, "racelab: replay: %s is not an explore cell\n", argv[0]);
        free(sel);
        return EXIT_USAGE;
    }
    if (!rl_case_on_loop(sel[0].c, sel[0].variant)) {
        fprintf(stderr,
                "racelab: replay: %s.%s is not on the cooperative loop: it has no "
                "schedule\n",
                sel[0].c->name, sel[0].variant);
        free(sel);
        return EXIT_USAGE;
    }
    char bin[1024], err[4096];
    if (rl_build_cell(&x->settings, sel[0].c, sel[0].variant, sel[0].tool, bin, sizeof bin, err,
                      sizeof err) != 0) {
        fprintf(stderr, "racelab: replay: %s\n", err);
        free(sel);
        return EXIT_USAGE;
    }
    struct rl_cell_env env;
    rl_cell_env(sel[0].tool, "", NULL, NULL, NULL, &env);
    struct rl_explore_binary b = {
        .bin = bin, .env_add = env.env, .timeout_s = rl_cell_timeout(&x->settings, sel[0].tool)};
    struct rl_explore_run r = {0};
    int ran = rl_explore_binary_run(&b, argv[1], &r);
    rl_cell_env_free(&env);
    fwrite(rl_buf_str(&b.out), 1, b.out.len, stdout);
    int rc = EXIT_MATCH;
    if (ran != 0 || r.error[0]) {
        fprintf(stderr, "racelab: replay: %s\n", r.error);
        rc = EXIT_USAGE;
    } else {
        printf("outcome %s under schedule '%s' (%zu choice points)\n", rl_outcome_name(r.outcome),
               argv[1], r.n);
    }
    rl_explore_run_free(&r);
    rl_explore_binary_free(&b);
    free(sel);
    return rc;
}
