/* racelab: run concurrency cases under ThreadSanitizer, Helgrind and DRD and judge each
 * run against the case's expectation.  See `racelab help`. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cases.h"
#include "config.h"
#include "escape.h"
#include "expect.h"
#include "fidelity.h"
#include "report.h"
#include "report_files.h"
#include "runner.h"
#include "spawn.h"
#include "tools.h"
#include "util.h"

/* 1 (mismatch) and 77 (all skipped) come from rl_report_exit_status(). */
enum { EXIT_MATCH = 0, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fputs("usage: racelab [options] COMMAND\n"
          "\n"
          "commands:\n"
          "  list                          cases, variants, and the tools available here\n"
          "  run CASE[.VARIANT[.TOOL]]     run and judge; show each detector's report\n"
          "  matrix                        every case x variant x tool, then the table\n"
          "  report DIR                    write the report files of the last matrix (run with\n"
          "                                the same --run-dir) into DIR again, without re-running\n"
          "  check                         validate every case's expect file and build its\n"
          "                                variants\n"
          "  fidelity [CASE[.VARIANT[.TOOL]]]\n"
          "                                run each detector cell bare and through racelab;\n"
          "                                the number and kinds of reports must be equal\n"
          "  diff CASE [VARIANT]           the lesson, then diff -u unsafe.c VARIANT.c (every\n"
          "                                safe variant when none is named)\n"
          "  explain CASE                  the lesson, and per detector what it says on each\n"
          "                                variant and why\n"
          "  help                          this text\n"
          "\n"
          "options:\n"
          "  --cases DIR     use the case folder DIR, or the case folders inside it, instead\n"
          "                  of the configured ones (repeatable)\n"
          "  --tool T        matrix: only this tool (repeatable)\n"
          "  -j N            matrix: runs at once (default: the number of CPUs)\n"
          "  --timeout S     override every tool's time limit (seconds)\n"
          "  --bin-dir DIR   where variant binaries live (default: this build's; for\n"
          "                  --cases outside the configured ones, a folder of their own\n"
          "                  under this build's external/, printed at the start)\n"
          "  --run-dir DIR   where each run's files are kept (default: as --bin-dir)\n"
          "  --report DIR    matrix: also write DIR/matrix.md (a CI summary), junit.xml,\n"
          "                  racelab.sarif (SARIF 2.1.0) and index.html (the page to read)\n"
          "  --score         matrix: also score each detector (TP/FP/TN/FN, precision,\n"
          "                  recall) over the race family, with the reason of every miss\n"
          "  --raw           run: ignore the expectation; exit 1 when the detector reports\n"
          "                  anything or the outcome is not ok (unsafe variants fail by design)\n"
          "\n"
          "options go before or after the command.\n"
          "\n"
          "exit status: 0 every cell matched, 1 a mismatch, 2 usage or configuration error,\n"
          "77 everything skipped (a tool is not installed).\n",
          f);
}

struct ctx {
    struct rl_caselist cases;
    struct rl_settings settings;
    unsigned tool_mask;
    int jobs;
    int score;              /* matrix --score: the detectors' precision and recall too */
    const char *report_dir; /* matrix --report DIR: the report files go there */
    int raw; /* --raw: judge nothing; fail when the detector reports or the outcome is bad */
};

static int load_expect(const struct rl_case *c, struct rl_expect *e)
{
    char path[1024], err[1024];
    snprintf(path, sizeof path, "%s/expect", c->dir);
    const char *names[RL_MAX_VARIANTS];
    for (size_t i = 0; i < c->n_variants; i++)
        names[i] = c->variants[i];
    if (rl_expect_load(path, e, err, sizeof err) != 0 ||
        rl_expect_validate(e, names, c->n_variants, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: %s\n", err);
        rl_expect_free(e);
        return -1;
    }
    return 0;
}

/* One selected cell of the run. */
struct sel {
    const struct rl_case *c;
    const char *variant;
    int tool;
};

/* Build every binary the cells need, each once, before any runs: a compiler's message is
 * printed once per variant, not once per tool. Sets broken[i] for the cells whose binary
 * could not be built; returns how many binaries failed. */
static size_t build_once(struct ctx *x, const struct sel *sel, size_t n, char *broken)
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

static int cmd_list(struct ctx *x)
{
    printf("tools:\n");
    for (int t = 0; t < RL_TOOL_COUNT; t++) {
        char why[256];
        rl_tool_unavailable(t, why, sizeof why);
        printf("  %-11s %s\n", rl_tools[t].name, why[0] ? why : "available");
    }
    printf("cases:\n");
    int rc = EXIT_MATCH;
    for (size_t i = 0; i < x->cases.n; i++) {
        const struct rl_case *c = &x->cases.v[i];
        struct rl_expect e;
        if (load_expect(c, &e) != 0) {
            rc = EXIT_USAGE;
            continue;
        }
        printf("  %-24s [%s] %s\n", c->name, e.family, e.lesson);
        for (size_t v = 0; v < c->n_variants; v++)
            printf("    %s\n", c->variants[v]);
        rl_expect_free(&e);
    }
    return rc;
}

static int select_cells(struct ctx *x, const char *spec, struct sel **out, size_t *n);

static int cmd_check(struct ctx *x)
{
    int rc = EXIT_MATCH;
    for (size_t i = 0; i < x->cases.n; i++) {
        struct rl_expect e;
        if (load_expect(&x->cases.v[i], &e) != 0)
            rc = EXIT_USAGE;
        else
            rl_expect_free(&e);
    }
    struct sel *sel;
    size_t n;
    if (rc == EXIT_MATCH && select_cells(x, NULL, &sel, &n) == 0) {
        char *broken = calloc(n + 1, 1);
        if (build_once(x, sel, n, broken) != 0)
            rc = EXIT_USAGE;
        free(broken);
        free(sel);
    }
    if (rc == EXIT_MATCH)
        printf("racelab: %zu case%s checked: expect files valid, every variant builds\n",
               x->cases.n, x->cases.n == 1 ? "" : "s");
    return rc;
}

/* The cell of a binary that did not build: its message was printed by build_once. */
static void broken_cell(struct ctx *x, const struct sel *s, struct rl_cell *cell)
{
    memset(cell, 0, sizeof *cell);
    cell->status = RL_CELL_CONFIG_ERROR;
    snprintf(cell->run_path, sizeof cell->run_path, "%s/%s.%s.%s", x->settings.run_dir, s->c->name,
             s->variant, rl_tools[s->tool].name);
    rl_mkdirs(cell->run_path);
    snprintf(cell->error, sizeof cell->error,
             "%s.%s does not build for %s (the compiler's message is above)", s->c->name,
             s->variant, rl_tools[s->tool].flavor);
}

static const struct rl_case *find_case(struct ctx *x, const char *name)
{
    const struct rl_case *c = name ? rl_cases_find(&x->cases, name) : NULL;
    if (c == NULL && name)
        fprintf(stderr, "racelab: unknown case '%s' (racelab list shows them)\n", name);
    else if (c == NULL)
        fprintf(stderr, "racelab: name a case (racelab list shows them)\n");
    return c;
}

static int cmd_diff(struct ctx *x, const char *name, const char *variant)
{
    const struct rl_case *c = find_case(x, name);
    struct rl_expect e;
    if (c == NULL || load_expect(c, &e) != 0)
        return EXIT_USAGE;
    int found = variant == NULL, rc = EXIT_MATCH;
    printf("%s: %s\n", c->name, e.lesson);
    for (size_t v = 0; v < c->n_variants; v++) {
        const char *name_v = c->variants[v];
        if (rl_variant_is_unsafe(name_v) && !(variant && strcmp(variant, name_v) == 0))
            continue;
        if (variant && strcmp(variant, name_v) != 0)
            continue;
        found = 1;
        char a[80], b[80];
        snprintf(a, sizeof a, "unsafe.c");
        snprintf(b, sizeof b, "%s.c", name_v);
        char *argv[] = {"diff", "-u", "--label", a, "--label", b, a, b, NULL};
        struct rl_spawn_opts so = {.argv = argv, .cwd = c->dir, .timeout_s = 30};
        struct rl_spawn_result r;
        if (rl_spawn(&so, &r) != 0 || !r.exited || r.exit_code > 1) {
            fprintf(stderr, "racelab: diff -u %s %s failed: %s%s\n", a, b, r.error,
                    rl_buf_str(&r.err));
            rc = EXIT_USAGE;
        } else {
            printf("\n%s", rl_buf_str(&r.out));
        }
        rl_spawn_result_free(&r);
    }
    if (!found) {
        fprintf(stderr, "racelab: case '%s' has no variant '%s'\n", c->name, variant);
        rc = EXIT_USAGE;
    }
    rl_expect_free(&e);
    return rc;
}

static int cmd_explain(struct ctx *x, const char *name)
{
    const struct rl_case *c = find_case(x, name);
    struct rl_expect e;
    if (c == NULL || load_expect(c, &e) != 0)
        return EXIT_USAGE;
    printf("%s [%s]\n  %s\n", c->name, e.family, e.lesson);
    printf("  read: %s/README.md; see the fix: racelab diff %s\n", c->dir, c->name);
    for (int t = 0; t < RL_TOOL_COUNT; t++) {
        printf("\n%s\n", rl_tools[t].name);
        for (size_t v = 0; v < c->n_variants; v++) {
            const struct rl_expect_row *row = rl_expect_find(&e, c->variants[v], t);
            char want[256];
            rl_expect_findings_text(row, want, sizeof want);
            printf("  %-22s %s / %s\n  %-22s   %s\n", c->variants[v], want, row->outcome_spec, "",
                   row->reason);
        }
    }
    rl_expect_free(&e);
    return EXIT_MATCH;
}

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

/* --raw: what the detector and the program said, unjudged. Returns 1 when either reported a
 * problem (the learner's view of an unsafe variant: it fails, and here is why). */
static int print_raw(const char *id, const struct rl_cell *cell)
{
    const char *f = cell->verdict.findings, *o = cell->verdict.outcome;
    int flagged = strcmp(f, "clean") != 0 && strcmp(f, "-") != 0;
    int bad = flagged || strcmp(o, "ok") != 0;
    char path[1200];
    snprintf(path, sizeof path, "%s/stdout.txt", cell->run_path);
    struct rl_buf out = {0};
    rl_read_file(path, 64 * 1024, &out);
    if (out.len) {
        printf("---- %s: the program's stdout ----\n", id);
        rl_fputs_visible(rl_buf_str(&out), stdout);
        if (out.data[out.len - 1] != '\n')
            putchar('\n');
    }
    rl_buf_free(&out);
    snprintf(path, sizeof path, "%s/stderr.txt", cell->run_path);
    struct rl_buf err = {0};
    rl_read_file(path, 64 * 1024, &err);
    if (err.len) {
        printf("---- %s: the program's stderr (the detector's own report) ----\n", id);
        rl_fputs_visible(rl_buf_str(&err), stdout);
        if (err.data[err.len - 1] != '\n')
            putchar('\n');
    }
    rl_buf_free(&err);
    if (cell->excerpt.len && strstr(cell->excerpt.data, "ThreadSanitizer") == NULL) {
        printf("---- %s: the detector's report ----\n", id);
        rl_fputs_visible(rl_buf_str(&cell->excerpt), stdout);
    }
    printf("%s: %s: findings %s, outcome %s\n", id,
           bad ? "FAILS (by design for an unsafe variant)" : "passes", f, o);
    return bad;
}

static int select_cells(struct ctx *x, const char *spec, struct sel **out, size_t *n)
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
    int tool_id = -1;
    if (tool && (tool_id = rl_tool_lookup(tool)) < 0) {
        fprintf(stderr,
                "racelab: unknown tool '%s' (native, tsan-clang, tsan-gcc, helgrind, drd)\n", tool);
        return -1;
    }
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
        if (load_expect(&x->cases.v[i], &exps[i]) != 0)
            ok = 0;
    return ok ? 0 : -1;
}

static size_t case_index(struct ctx *x, const struct rl_case *c)
{
    return (size_t)(c - x->cases.v);
}

/* The cells a command runs and every case's validated expectation; -1 on a usage or
 * expect error (already reported). */
static int prepare(struct ctx *x, const char *spec, struct sel **sel, size_t *n,
                   struct rl_expect **exps)
{
    if (select_cells(x, spec, sel, n) != 0)
        return -1;
    *exps = calloc(x->cases.n, sizeof **exps);
    if (expectations(x, *exps) != 0) {
        free(*sel);
        free(*exps);
        return -1;
    }
    return 0;
}

/* Each cell runs in a worker child that saves its verdict in the cell's run folder: a
 * program that kills its parent takes down the worker, never racelab. */
static pid_t start_worker(struct ctx *x, const struct sel *s, const struct rl_expect_row *row)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* racelab killed outright (SIGKILL reaches no handler): the worker stops its run */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            rl_spawn_stop = SIGTERM;
        struct rl_cell cell;
        rl_run_cell(&x->settings, s->c, s->variant, s->tool, row, &cell);
        _exit(rl_cell_save(&cell) == 0 ? 0 : 3);
    }
    return pid;
}

/* waitpid(which) that notices SIGINT/SIGTERM: the running workers (pids > 0) get the signal
 * once, stop their runs and save what they saw; SIGKILL if they take over 10 s. */
static pid_t wait_worker(pid_t which, const pid_t *pids, size_t n, int *status)
{
    static double kill_at; /* when the workers were told to stop, plus 10 s */
    for (;;) {
        if (rl_spawn_stop && kill_at == 0) {
            kill_at = rl_now_s() + 10;
            for (size_t i = 0; i < n; i++)
                if (pids[i] > 0)
                    kill(pids[i], rl_spawn_stop);
        }
        if (kill_at > 0 && rl_now_s() > kill_at)
            for (size_t i = 0; i < n; i++)
                if (pids[i] > 0)
                    kill(pids[i], SIGKILL);
        pid_t pid = waitpid(which, status, WNOHANG);
        if (pid != 0 && !(pid < 0 && errno == EINTR))
            return pid;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* The verdict worker pids[i] saved. When the worker died first, an error cell saying so is
 * saved in its place, after killing what its run left behind: racelab is a subreaper, so
 * every child of it that is not a worker is such an orphan. */
static void finish_worker(struct ctx *x, pid_t *pids, size_t n, size_t i, int status,
                          struct rl_report_cell *rc)
{
    pids[i] = -1;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.%s.%s", x->settings.run_dir, rc->case_name, rc->variant,
             rl_tools[rc->tool].name);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && rl_cell_load(path, &rc->cell) == 0)
        return;
    int killed = rl_kill_children(pids, n);
    rl_cell_free(&rc->cell);
    memset(&rc->cell, 0, sizeof rc->cell);
    rc->cell.status = RL_CELL_CONFIG_ERROR;
    rl_strlcpy(rc->cell.run_path, path, sizeof rc->cell.run_path);
    int len = WIFSIGNALED(status)
                  ? snprintf(rc->cell.error, sizeof rc->cell.error,
                             "the worker for this cell was killed by signal %d before saving a "
                             "verdict",
                             WTERMSIG(status))
                  : snprintf(rc->cell.error, sizeof rc->cell.error,
                             "the worker for this cell ended (exit status %d) with no verdict "
                             "saved in %s/ that racelab could read",
                             WEXITSTATUS(status), path);
    if (killed)
        snprintf(rc->cell.error + len, sizeof rc->cell.error - (size_t)len,
                 "; racelab killed %d process%s it left running", killed, killed == 1 ? "" : "es");
    rl_cell_save(&rc->cell);
}

static int cmd_run(struct ctx *x, const char *spec)
{
    struct sel *sel;
    size_t n;
    struct rl_expect *exps;
    if (prepare(x, spec, &sel, &n, &exps) != 0)
        return EXIT_USAGE;
    struct rl_report_totals t = {0};
    char *broken = calloc(n + 1, 1);
    build_once(x, sel, n, broken);
    for (size_t i = 0; i < n; i++) {
        const struct rl_expect *e = &exps[case_index(x, sel[i].c)];
        const struct rl_expect_row *row = rl_expect_find(e, sel[i].variant, sel[i].tool);
        char id[256];
        snprintf(id, sizeof id, "%s.%s.%s", sel[i].c->name, sel[i].variant,
                 rl_tools[sel[i].tool].name);
        if (rl_spawn_stop)
            break;
        struct rl_cell cell;
        if (broken[i]) {
            broken_cell(x, &sel[i], &cell);
            rl_cell_save(&cell);
        } else {
            struct rl_report_cell rcell = {
                .case_name = sel[i].c->name, .variant = sel[i].variant, .tool = sel[i].tool};
            pid_t pid = start_worker(x, &sel[i], row);
            int status = 0;
            if (pid < 0 || wait_worker(pid, &pid, 1, &status) != pid)
                status = 3 << 8; /* no worker: an error cell */
            finish_worker(x, &pid, 1, 0, status, &rcell);
            cell = rcell.cell;
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
    return rl_report_exit_status(&t); /* main turns it into 128 + the signal if stopped */
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
static int cmd_fidelity(struct ctx *x, const char *spec)
{
    x->tool_mask &= ~(1u << RL_NATIVE); /* native runs no detector: nothing to compare */
    struct sel *sel;
    size_t n;
    struct rl_expect *exps;
    if (prepare(x, spec, &sel, &n, &exps) != 0)
        return EXIT_USAGE;
    if (n == 0) {
        fprintf(stderr, "racelab: fidelity: no detector cell selected (native has none)\n");
        free(sel);
        free(exps);
        return EXIT_USAGE;
    }
    struct rl_report_totals t = {0};
    for (size_t i = 0; i < n; i++) {
        const struct rl_expect *e = &exps[case_index(x, sel[i].c)];
        const struct rl_expect_row *row = rl_expect_find(e, sel[i].variant, sel[i].tool);
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

static int write_report(const char *dir, const struct rl_report_cell *cells, size_t n)
{
    char err[1400];
    fflush(stdout); /* the table is out before the report files are written */
    double t0 = rl_now_s();
    if (rl_report_write_dir(dir, cells, n, RACELAB_SOURCE_DIR, err, sizeof err) != 0) {
        fprintf(stderr, "racelab: report: %s\n", err);
        return -1;
    }
    printf("\nreport: %s/{matrix.md,junit.xml,racelab.sarif,index.html} (%.2f s)\n", dir,
           rl_now_s() - t0);
    return 0;
}

static int cmd_matrix(struct ctx *x)
{
    struct sel *sel;
    size_t n;
    struct rl_expect *exps;
    if (prepare(x, NULL, &sel, &n, &exps) != 0)
        return EXIT_USAGE;
    struct rl_report_cell *cells = calloc(n, sizeof *cells);
    pid_t *pids = calloc(n, sizeof *pids);
    char *broken = calloc(n + 1, 1);
    build_once(x, sel, n, broken);
    size_t next = 0, done = 0, running = 0;
    fflush(stdout);
    while (done < n) {
        while (!rl_spawn_stop && next < n && running < (size_t)x->jobs) {
            struct sel *s = &sel[next];
            const struct rl_expect *e = &exps[case_index(x, s->c)];
            const struct rl_expect_row *row = rl_expect_find(e, s->variant, s->tool);
            cells[next].case_name = s->c->name;
            cells[next].case_dir = s->c->dir;
            cells[next].lesson = e->lesson;
            cells[next].variant = s->variant;
            cells[next].tool = s->tool;
            cells[next].row = row;
            cells[next].family = e->family;
            if (broken[next]) { /* nothing to run: the build's message is above */
                broken_cell(x, s, &cells[next].cell);
                rl_cell_save(&cells[next].cell);
                rl_report_progress(stdout, ++done, n, &cells[next++]);
                continue;
            }
            pid_t pid = start_worker(x, s, row);
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
        pid_t pid = wait_worker(-1, pids, next, &status);
        if (pid < 0)
            break;
        for (size_t i = 0; i < next; i++) {
            if (pids[i] != pid)
                continue;
            running--;
            done++;
            finish_worker(x, pids, next, i, status, &cells[i]);
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
    if (x->report_dir && write_report(x->report_dir, cells, n) != 0)
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
static int cmd_report(struct ctx *x, const char *dir)
{
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
        if (load_expect(&cases.v[i], &exps[i]) != 0)
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
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.%s.%s", x->settings.run_dir, c->name, m[i].variant,
                 rl_tools[m[i].tool].name);
        if (rl_cell_load(path, &rc_->cell) != 0) {
            rl_cell_free(&rc_->cell);
            memset(&rc_->cell, 0, sizeof rc_->cell);
            rl_strlcpy(rc_->cell.run_path, path, sizeof rc_->cell.run_path);
            rc_->cell.status = RL_CELL_CONFIG_ERROR;
            snprintf(rc_->cell.error, sizeof rc_->cell.error, "no verdict saved in %s", path);
        }
    }
    if (rc == EXIT_MATCH && write_report(dir, cells, k) != 0)
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

static void on_stop_signal(int sig)
{
    rl_spawn_stop = sig;
}

/* Catch SIGINT/SIGTERM, unless started with the signal ignored (a shell's background job):
 * that stays ignored. A mask inherited from the parent must not hide them either. */
static void catch_stop_signal(int sig)
{
    struct sigaction sa = {.sa_handler = on_stop_signal}, old;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, &old);
    if (old.sa_handler == SIG_IGN)
        sigaction(sig, &old, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* The exit status of a command that may have been interrupted: 128 + the signal then. */
static int unless_stopped(int rc)
{
    if (rl_spawn_stop == 0 || rc == 128 + rl_spawn_stop)
        return rc;
    fprintf(stderr, "racelab: interrupted by SIG%s\n", sigabbrev_np(rl_spawn_stop));
    return 128 + rl_spawn_stop;
}

int main(int argc, char **argv)
{
    /* SIGINT/SIGTERM (Ctrl-C, a CI timeout): the runs stop, what is known is saved, and
     * racelab exits 128 + the signal. A subreaper: what a dead worker's run left behind
     * comes to racelab, which kills it. */
    catch_stop_signal(SIGINT);
    catch_stop_signal(SIGTERM);
    prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
    struct ctx x;
    memset(&x, 0, sizeof x);
    x.settings.bin_dir = RACELAB_BIN_DIR;
    x.settings.run_dir = RACELAB_RUN_DIR;
    const char *scale = getenv("RACELAB_TIMEOUT_SCALE");
    x.settings.timeout_scale = scale && atof(scale) > 0 ? atof(scale) : 1.0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    x.jobs = cpus > 0 ? (int)cpus : 2;
    const char *case_dirs[64];
    int n_case_dirs = 0;
    const char *args[8]; /* the command and its operands; options may come anywhere */
    int n_args = 0, bin_set = 0, run_set = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (opt[0] != '-' || opt[1] == '\0') {
            if (n_args == (int)(sizeof args / sizeof *args)) {
                fprintf(stderr, "racelab: too many operands ('%s')\n", opt);
                return EXIT_USAGE;
            }
            args[n_args++] = opt;
            continue;
        }
        if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
            usage(stdout);
            return EXIT_MATCH;
        }
        if (strncmp(opt, "-j", 2) == 0 && opt[2] != '\0') { /* -jN, as make and ctest take it */
            x.jobs = atoi(opt + 2);
            if (x.jobs < 1) {
                fprintf(stderr, "racelab: -j needs a positive number, not '%s'\n", opt + 2);
                return EXIT_USAGE;
            }
            continue;
        }
        if (strcmp(opt, "--score") == 0) {
            x.score = 1;
            continue;
        }
        if (strcmp(opt, "--raw") == 0) {
            x.raw = 1;
            continue;
        }
        if (val == NULL) {
            fprintf(stderr, "racelab: option %s needs a value\n", opt);
            return EXIT_USAGE;
        }
        if (strcmp(opt, "--cases") == 0 && n_case_dirs < 64) {
            case_dirs[n_case_dirs++] = val;
        } else if (strcmp(opt, "--tool") == 0) {
            int t = rl_tool_lookup(val);
            if (t < 0) {
                fprintf(stderr,
                        "racelab: unknown tool '%s' (native, tsan-clang, tsan-gcc, helgrind, "
                        "drd)\n",
                        val);
                return EXIT_USAGE;
            }
            x.tool_mask |= 1u << t;
        } else if (strcmp(opt, "-j") == 0) {
            x.jobs = atoi(val);
            if (x.jobs < 1) {
                fprintf(stderr, "racelab: -j needs a positive number, not '%s'\n", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(opt, "--timeout") == 0) {
            x.settings.timeout_s = atof(val);
            if (x.settings.timeout_s <= 0) {
                fprintf(stderr, "racelab: --timeout needs seconds > 0, not '%s'\n", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(opt, "--bin-dir") == 0) {
            x.settings.bin_dir = val;
            bin_set = 1;
        } else if (strcmp(opt, "--run-dir") == 0) {
            x.settings.run_dir = val;
            run_set = 1;
        } else if (strcmp(opt, "--report") == 0) {
            x.report_dir = val;
        } else {
            fprintf(stderr, "racelab: unknown option '%s'\n", opt);
            usage(stderr);
            return EXIT_USAGE;
        }
        i++;
    }
    if (x.tool_mask == 0)
        x.tool_mask = (1u << RL_TOOL_COUNT) - 1;
    if (n_args == 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = args[0];
    const char *arg1 = n_args > 1 ? args[1] : NULL, *arg2 = n_args > 2 ? args[2] : NULL;
    if (strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_MATCH;
    }
    if (x.report_dir && strcmp(cmd, "matrix") != 0) {
        fprintf(stderr, "racelab: --report goes with matrix (racelab report DIR re-renders the "
                        "last one)\n");
        return EXIT_USAGE;
    }
    static char home[1200], bin[1300], run[1300];
    if (!(bin_set && run_set) && rl_external_home(case_dirs, n_case_dirs, home, sizeof home)) {
        snprintf(bin, sizeof bin, "%s/bin", home);
        snprintf(run, sizeof run, "%s/runs", home);
        x.settings.bin_dir = bin_set ? x.settings.bin_dir : bin;
        x.settings.run_dir = run_set ? x.settings.run_dir : run;
        if (strcmp(cmd, "list") != 0 && strcmp(cmd, "diff") != 0 && strcmp(cmd, "explain") != 0)
            printf("racelab: %s: binaries in %s, runs in %s\n", case_dirs[0], x.settings.bin_dir,
                   x.settings.run_dir);
    }
    if (strcmp(cmd, "report") == 0)
        return unless_stopped(cmd_report(&x, arg1));

    char err[1024];
    if (n_case_dirs == 0) {
        static char dirs[8192];
        rl_strlcpy(dirs, RACELAB_CASE_DIRS, sizeof dirs);
        for (char *d = strtok(dirs, ";"); d && n_case_dirs < 64; d = strtok(NULL, ";"))
            case_dirs[n_case_dirs++] = d;
    }
    /* a case folder left out is said, and the others still run; the exit status says it */
    for (int d = 0; d < n_case_dirs; d++)
        rl_cases_scan(&x.cases, case_dirs[d], err, sizeof err);
    for (const char *e = rl_buf_str(&x.cases.errors); *e; e = strchr(e, '\n') + 1)
        fprintf(stderr, "racelab: %.*s\n", (int)(strchr(e, '\n') - e), e);
    if (x.cases.n == 0)
        return EXIT_USAGE;
    rl_cases_mark_built(&x.cases, RACELAB_CASE_DIRS);

    int rc;
    if (strcmp(cmd, "list") == 0)
        rc = cmd_list(&x);
    else if (strcmp(cmd, "check") == 0)
        rc = cmd_check(&x);
    else if (strcmp(cmd, "run") == 0)
        rc = cmd_run(&x, arg1);
    else if (strcmp(cmd, "matrix") == 0)
        rc = cmd_matrix(&x);
    else if (strcmp(cmd, "fidelity") == 0)
        rc = cmd_fidelity(&x, arg1);
    else if (strcmp(cmd, "diff") == 0)
        rc = cmd_diff(&x, arg1, arg2);
    else if (strcmp(cmd, "explain") == 0)
        rc = cmd_explain(&x, arg1);
    else {
        fprintf(stderr, "racelab: unknown command '%s'\n", cmd);
        usage(stderr);
        rc = EXIT_USAGE;
    }
    if (x.cases.errors.len && (rc == EXIT_MATCH || rc == 77))
        rc = EXIT_USAGE;
    rl_cases_free(&x.cases);
    return unless_stopped(rc);
}
