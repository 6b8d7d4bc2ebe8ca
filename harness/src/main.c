/* racelab: run concurrency cases under ThreadSanitizer, Helgrind and DRD and judge each
 * run against the case's expectation.  See `racelab help`. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "config.h"
#include "spawn.h"
#include "tools.h"

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

/* The commands: `racelab help` is printed from this table, so it cannot drift from what
 * main() dispatches. */
enum { NEEDS_CASES = 1, SAYS_DIRS = 2 }; /* scan the case folders; print an external home */
struct command {
    const char *name, *operands;
    int max_args, flags;
    int (*fn)(struct ctx *x, int argc, char **argv);
    const char *help; /* '\n' continues it on the next line */
};

static const struct command commands[] = {
    {"list", "", 0, NEEDS_CASES, cmd_list, "cases, variants, and the tools available here"},
    {"run", "CASE[.VARIANT[.TOOL]]", 1, NEEDS_CASES | SAYS_DIRS, cmd_run,
     "run and judge; show each detector's report"},
    {"matrix", "[CELL-PATTERN...]", 1024, NEEDS_CASES | SAYS_DIRS, cmd_matrix,
     "every case x variant x tool, then the table; with\n"
     "patterns, only the cells they match: CASE,\n"
     "CASE.VARIANT or CASE.VARIANT.TOOL, each part a shell\n"
     "glob (shared_counter.*.drd)"},
    {"report", "DIR", 1, SAYS_DIRS, cmd_report,
     "write the report files of the last matrix (run with\n"
     "the same --run-dir) into DIR again, without re-running"},
    {"check", "", 0, NEEDS_CASES | SAYS_DIRS, cmd_check,
     "validate every case's expect file and build its\nvariants"},
    {"fidelity", "[CASE[.VARIANT[.TOOL]]]", 1, NEEDS_CASES | SAYS_DIRS, cmd_fidelity,
     "run each detector cell bare and through racelab;\n"
     "the number and kinds of reports must be equal"},
    {"diff", "CASE [VARIANT]", 2, NEEDS_CASES, cmd_diff,
     "the lesson, then diff -u unsafe.c VARIANT.c (every\nsafe variant when none is named)"},
    {"explain", "CASE", 1, NEEDS_CASES, cmd_explain,
     "the lesson, and per detector what it says on each\nvariant and why"},
    {"help", "", 0, 0, NULL, "this text"},
};

/* The options: getopt_long's table and the help are both made from this one. */
enum {
    OPT_CASES = 256,
    OPT_TOOL,
    OPT_TIMEOUT,
    OPT_BIN_DIR,
    OPT_RUN_DIR,
    OPT_REPORT,
    OPT_SCORE,
    OPT_RAW,
    OPT_VERSION
};
struct option_help {
    const char *name;
    int id, has_arg;
    const char *arg, *help;
};
static const struct option_help options[] = {
    {"cases", OPT_CASES, 1, "DIR",
     "use the case folder DIR, or the case folders inside it, instead\n"
     "of the configured ones (repeatable)"},
    {"tool", OPT_TOOL, 1, "T", "matrix: only this tool (repeatable)"},
    {NULL, 'j', 1, "N", "matrix: runs at once, 1 to 1024 (default: the number of CPUs)"},
    {"timeout", OPT_TIMEOUT, 1, "S",
     "override every tool's time limit: seconds, over 0 and at most\n86400"},
    {"bin-dir", OPT_BIN_DIR, 1, "DIR",
     "where variant binaries live (default: this build's; for\n"
     "--cases outside the configured ones, a folder of their own\n"
     "under this build's external/, printed at the start)"},
    {"run-dir", OPT_RUN_DIR, 1, "DIR", "where each run's files are kept (default: as --bin-dir)"},
    {"report", OPT_REPORT, 1, "DIR",
     "matrix: also write DIR/matrix.md (a CI summary), junit.xml,\n"
     "racelab.sarif (SARIF 2.1.0) and index.html (the page to read)"},
    {"score", OPT_SCORE, 0, NULL,
     "matrix: also score each detector (TP/FP/TN/FN, precision,\n"
     "recall) over the race family, with the reason of every miss"},
    {"raw", OPT_RAW, 0, NULL,
     "run: ignore the expectation; exit 1 when the detector reports\n"
     "anything or the outcome is not ok (unsafe variants fail by design)"},
    {"help", 'h', 0, NULL, "this text (also -h)"},
    {"version", OPT_VERSION, 0, NULL, "racelab's version"},
};
#define N_OPTIONS (sizeof options / sizeof *options)

/* "  LEFT" padded to `col`, then the help, its continuation lines indented to `col`. */
static void help_line(FILE *f, const char *left, int col, const char *help)
{
    int len = fprintf(f, "  %s", left);
    if (len >= col - 1) {
        fputc('\n', f);
        len = 0;
    }
    for (const char *s = help; *s;) {
        const char *nl = strchr(s, '\n');
        int n = nl ? (int)(nl - s) : (int)strlen(s);
        fprintf(f, "%*s%.*s\n", col - len, "", n, s);
        len = 0;
        s += n + (nl != NULL);
    }
}

static void usage(FILE *f)
{
    fputs("usage: racelab [options] COMMAND [OPERAND...]\n\ncommands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        char left[128];
        snprintf(left, sizeof left, "%s%s%s", commands[i].name, commands[i].operands[0] ? " " : "",
                 commands[i].operands);
        help_line(f, left, 32, commands[i].help);
    }
    fputs("\noptions:\n", f);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char left[128];
        if (options[i].name)
            snprintf(left, sizeof left, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                     options[i].arg ? options[i].arg : "");
        else
            snprintf(left, sizeof left, "-%c %s", options[i].id, options[i].arg);
        help_line(f, left, 18, options[i].help);
    }
    fputs("\noptions go before or after the command; --opt=VALUE works too.\n"
          "\n"
          "exit status: 0 every cell matched, 1 a mismatch, 2 usage or configuration error,\n"
          "77 everything skipped (a tool is not installed), 128 + N stopped by signal N.\n",
          f);
}

/* A number of seconds: finite, over 0, at most `max`; the whole text, no unit. */
static int parse_seconds(const char *what, const char *text, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || isnan(v)) {
        fprintf(stderr, "racelab: %s: '%s' is not a number of seconds\n", what, text);
        return -1;
    }
    if (!(v > 0 && v <= max)) {
        fprintf(stderr, "racelab: %s: '%s' is out of range (over 0, at most %g)\n", what, text,
                max);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_jobs(const char *text, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0') {
        fprintf(stderr, "racelab: -j: '%s' is not a whole number\n", text);
        return -1;
    }
    if (errno == ERANGE || v < 1 || v > 1024) {
        fprintf(stderr, "racelab: -j: '%s' is out of range (1 to 1024)\n", text);
        return -1;
    }
    *out = (int)v;
    return 0;
}

struct cli {
    const char *case_dirs[64];
    int n_case_dirs, bin_set, run_set;
};

/* One option getopt_long returned; -1 on a usage error (said), 1 when racelab is done. */
static int take_option(struct ctx *x, struct cli *c, int id, const char *val)
{
    switch (id) {
    case 'h':
        usage(stdout);
        return 1;
    case OPT_VERSION:
        printf("racelab %s\n", RACELAB_VERSION);
        return 1;
    case OPT_CASES:
        if (c->n_case_dirs == 64) {
            fprintf(stderr, "racelab: --cases: at most 64 folders\n");
            return -1;
        }
        c->case_dirs[c->n_case_dirs++] = val;
        return 0;
    case OPT_TOOL: {
        int t = rl_tool_lookup(val);
        if (t < 0) {
            fprintf(stderr,
                    "racelab: unknown tool '%s' (native, tsan-clang, tsan-gcc, helgrind, drd)\n",
                    val);
            return -1;
        }
        x->tool_mask |= 1u << t;
        return 0;
    }
    case 'j':
        return parse_jobs(val, &x->jobs);
    case OPT_TIMEOUT:
        return parse_seconds("--timeout", val, 86400, &x->settings.timeout_s);
    case OPT_BIN_DIR:
        x->settings.bin_dir = val;
        c->bin_set = 1;
        return 0;
    case OPT_RUN_DIR:
        x->settings.run_dir = val;
        c->run_set = 1;
        return 0;
    case OPT_REPORT:
        x->report_dir = val;
        return 0;
    case OPT_SCORE:
        x->score = 1;
        return 0;
    case OPT_RAW:
        x->raw = 1;
        return 0;
    }
    return -1;
}

/* Options anywhere (getopt_long permutes argv: the operands end up at argv[optind...]).
 * Returns 0, 1 when racelab is done (--help, --version), -1 on a usage error (said). */
static int parse_options(struct ctx *x, struct cli *c, int argc, char **argv)
{
    struct option longs[N_OPTIONS + 1];
    size_t k = 0;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].name)
            longs[k++] = (struct option){options[i].name, options[i].has_arg, NULL, options[i].id};
    longs[k] = (struct option){0};
    opterr = 0; /* racelab words its own errors */
    for (;;) {
        int id = getopt_long(argc, argv, ":hj:", longs, NULL);
        if (id == -1)
            return 0;
        if (id == '?' || id == ':') {
            const char *opt = argv[optind - 1];
            char shortopt[3] = {'-', (char)optopt, '\0'};
            if (optopt && strncmp(opt, "--", 2) != 0)
                opt = shortopt; /* -x inside a cluster such as -xj2 */
            if (id == ':')
                fprintf(stderr, "racelab: option %s needs a value\n", opt);
            else
                fprintf(stderr, "racelab: unknown option %.*s (racelab --help lists them)\n",
                        (int)strcspn(opt, "="), opt);
            return -1;
        }
        int rc = take_option(x, c, id, optarg);
        if (rc != 0)
            return rc;
    }
}

/* The case folders: --cases, else the configured ones. A folder left out is said, and the
 * others still run; the exit status says it. -1 when no case is left. */
static int load_cases(struct ctx *x, struct cli *c)
{
    static char dirs[8192];
    char err[1024];
    if (c->n_case_dirs == 0) {
        rl_strlcpy(dirs, RACELAB_CASE_DIRS, sizeof dirs);
        for (char *d = strtok(dirs, ";"); d && c->n_case_dirs < 64; d = strtok(NULL, ";"))
            c->case_dirs[c->n_case_dirs++] = d;
    }
    for (int d = 0; d < c->n_case_dirs; d++)
        rl_cases_scan(&x->cases, c->case_dirs[d], err, sizeof err);
    for (const char *e = rl_buf_str(&x->cases.errors); *e; e = strchr(e, '\n') + 1)
        fprintf(stderr, "racelab: %.*s\n", (int)(strchr(e, '\n') - e), e);
    if (x->cases.n == 0)
        return -1;
    rl_cases_mark_built(&x->cases, RACELAB_CASE_DIRS);
    return 0;
}

/* --cases outside the configured folders, without --bin-dir and --run-dir: their own home. */
static void external_dirs(struct ctx *x, struct cli *c, const struct command *cmd)
{
    static char home[1200], bin[1300], run[1300];
    if ((c->bin_set && c->run_set) ||
        !rl_external_home(c->case_dirs, c->n_case_dirs, home, sizeof home))
        return;
    snprintf(bin, sizeof bin, "%s/bin", home);
    snprintf(run, sizeof run, "%s/runs", home);
    x->settings.bin_dir = c->bin_set ? x->settings.bin_dir : bin;
    x->settings.run_dir = c->run_set ? x->settings.run_dir : run;
    if (cmd->flags & SAYS_DIRS)
        printf("racelab: %s: binaries in %s, runs in %s\n", c->case_dirs[0], x->settings.bin_dir,
               x->settings.run_dir);
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    fprintf(stderr, "racelab: unknown command '%s' (racelab help lists them)\n", name);
    return NULL;
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
    struct cli c;
    memset(&x, 0, sizeof x);
    memset(&c, 0, sizeof c);
    x.settings.bin_dir = RACELAB_BIN_DIR;
    x.settings.run_dir = RACELAB_RUN_DIR;
    x.settings.timeout_scale = 1.0;
    const char *scale = getenv("RACELAB_TIMEOUT_SCALE");
    if (scale && parse_seconds("RACELAB_TIMEOUT_SCALE", scale, 1000, &x.settings.timeout_scale))
        return EXIT_USAGE;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    x.jobs = cpus > 0 ? (int)(cpus < 1024 ? cpus : 1024) : 2;
    int parsed = parse_options(&x, &c, argc, argv);
    if (parsed != 0)
        return parsed > 0 ? EXIT_MATCH : EXIT_USAGE;
    if (optind == argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const struct command *cmd = find_command(argv[optind]);
    int n_args = argc - optind - 1;
    char **args = argv + optind + 1;
    if (cmd == NULL)
        return EXIT_USAGE;
    if (cmd->fn == NULL) { /* help */
        usage(stdout);
        return EXIT_MATCH;
    }
    if (n_args > cmd->max_args) {
        fprintf(stderr, "racelab: %s takes %s; '%s' is one too many\n", cmd->name,
                cmd->max_args ? cmd->operands : "no operand", args[cmd->max_args]);
        return EXIT_USAGE;
    }
    if (x.report_dir && cmd->fn != cmd_matrix) {
        fprintf(stderr, "racelab: --report goes with matrix (racelab report DIR re-renders the "
                        "last one)\n");
        return EXIT_USAGE;
    }
    if (x.tool_mask == 0)
        x.tool_mask = (1u << RL_TOOL_COUNT) - 1;
    external_dirs(&x, &c, cmd);
    if ((cmd->flags & NEEDS_CASES) && load_cases(&x, &c) != 0)
        return EXIT_USAGE;
    int rc = cmd->fn(&x, n_args, args);
    if (x.cases.errors.len && (rc == EXIT_MATCH || rc == 77))
        rc = EXIT_USAGE;
    rl_cases_free(&x.cases);
    return unless_stopped(rc);
}
