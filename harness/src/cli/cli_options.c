/* cli_options: racelab's options, in one table from which both getopt_long's table and the
 * help are made; the strict number parsers; and the case folders the options name (see
 * cli.h). */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "explore.h"
#include "tools.h"

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
    OPT_JSON,
    OPT_RERUN_FAILED,
    OPT_CERT,
    OPT_MARKDOWN,
    OPT_DELAY_BOUND,
    OPT_BUDGET,
    OPT_EXPLORE_MODE,
    OPT_SWEEP,
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
    {"raw", OPT_RAW, 0, NULL,
     "run: ignore the expectation; exit 1 when the detector reports\n"
     "anything or the outcome is not ok (unsafe variants fail by design)"},
    {NULL, 'j', 1, "N", "matrix, stats: runs at once, 1 to 1024 (default: the number of\nCPUs)"},
    {NULL, 'n', 1, "N", "stats: how many times to run the cell, 1 to 10000 (default 100)"},
    {"sweep", OPT_SWEEP, 1, "NAME",
     "stats: run the cell -n times at each value of the case's\n"
     "parameter NAME (its expect file's param: NAME=v1,v2,...)"},
    {"timeout", OPT_TIMEOUT, 1, "S",
     "override every tool's time limit: seconds, over 0 and at most\n86400"},
    {"bin-dir", OPT_BIN_DIR, 1, "DIR",
     "where variant binaries live (default: this build's; for\n"
     "--cases outside the configured ones, a folder of their own\n"
     "under this build's external/, printed at the start)"},
    {"run-dir", OPT_RUN_DIR, 1, "DIR", "where each run's files are kept (default: as --bin-dir)"},
    {"report", OPT_REPORT, 1, "DIR",
     "matrix: also write DIR/matrix.md (a CI summary), junit.xml,\n"
     "racelab.sarif (SARIF 2.1.0), code-scanning.sarif (only what\n"
     "to act on) and index.html (the page to read)"},
    {"score", OPT_SCORE, 0, NULL,
     "matrix: also score each detector (TP/FP/TN/FN, precision,\n"
     "recall) over the race family, with the reason of every miss,\n"
     "and per CERT C rule family (CON, POS) of the cases' cert:"},
    {"json", OPT_JSON, 0, NULL,
     "list, run, matrix, stats, explain --cert: one JSON document on stdout for scripts\n"
     "(each cell's name, verdict, findings, outcome and run folder);\n"
     "what people read goes to stderr"},
    {"rerun-failed", OPT_RERUN_FAILED, 0, NULL,
     "matrix: run again only the cells the last matrix (with the\n"
     "same --run-dir) found not as expected or in error"},
    {"cert", OPT_CERT, 0, NULL,
     "explain: the SEI CERT C rule x detector table of every case\n"
     "(flagged, missed, false alarm on the fix), from the expect files"},
    {"markdown", OPT_MARKDOWN, 0, NULL, "explain --cert: the table in Markdown (the README's)"},
    {"delay-bound", OPT_DELAY_BOUND, 1, "D",
     "explore: schedules whose delays sum to at most D, 0 to 255\n"
     "(default 2; 0: FIFO alone)"},
    {"budget", OPT_BUDGET, 1, "N", "explore: at most N runs per cell, 1 to 1000000 (default 200)"},
    {"explore-mode", OPT_EXPLORE_MODE, 1, "MODE",
     "explore: fork (default: the program forks at its choice\n"
     "points, one exec per search) or exec (one exec per schedule)"},
    {"help", 'h', 0, NULL, "this text (also -h)"},
    {"version", OPT_VERSION, 0, NULL, "racelab's version"},
};
#define N_OPTIONS (sizeof options / sizeof *options)

/* "  LEFT" padded to `col`, then the help, its continuation lines indented to `col`. */
void cli_help_line(FILE *f, const char *left, int col, const char *help)
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

void cli_options_help(FILE *f)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char left[128];
        if (options[i].name)
            snprintf(left, sizeof left, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                     options[i].arg ? options[i].arg : "");
        else
            snprintf(left, sizeof left, "-%c %s", options[i].id, options[i].arg);
        cli_help_line(f, left, 18, options[i].help);
    }
}

/* A number of seconds: finite, over 0, at most `max`; the whole text, no unit. */
int cli_parse_seconds(const char *what, const char *text, double max, double *out)
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

/* -j, -n: a whole number from 1 to max, the whole text. */
/* A whole number from min to max, the whole text; `what` names the option in messages. */
static int parse_whole(const char *what, const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0') {
        fprintf(stderr, "racelab: %s: '%s' is not a whole number\n", what, text);
        return -1;
    }
    if (errno == ERANGE || v < min || v > max) {
        fprintf(stderr, "racelab: %s: '%s' is out of range (%ld to %ld)\n", what, text, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_count(char flag, const char *text, long max, int *out)
{
    char what[4] = {'-', flag, '\0'};
    long v;
    if (parse_whole(what, text, 1, max, &v) != 0)
        return -1;
    *out = (int)v;
    return 0;
}

/* One more case folder: as many as the command line or the configuration names. */
static void add_case_dir(struct cli *c, const char *dir)
{
    if (c->n_case_dirs == c->cap_case_dirs) {
        c->cap_case_dirs = c->cap_case_dirs ? 2 * c->cap_case_dirs : 16;
        c->case_dirs = realloc(c->case_dirs, (size_t)c->cap_case_dirs * sizeof *c->case_dirs);
        if (c->case_dirs == NULL) {
            fprintf(stderr, "racelab: out of memory\n");
            exit(EXIT_USAGE);
        }
    }
    c->case_dirs[c->n_case_dirs++] = dir;
}

/* One option getopt_long returned: CLI_GO, CLI_DONE, CLI_HELP or CLI_ERROR (said). */
static int take_option(struct ctx *x, struct cli *c, int id, const char *val)
{
    switch (id) {
    case 'h':
        return CLI_HELP;
    case OPT_VERSION:
        printf("racelab %s\n", RACELAB_VERSION);
        return CLI_DONE;
    case OPT_CASES:
        add_case_dir(c, val);
        return 0;
    case OPT_TOOL: {
        int t = cli_tool(val);
        if (t < 0)
            return -1;
        x->tool_mask |= 1u << t;
        return 0;
    }
    case 'j':
        return parse_count('j', val, 1024, &x->jobs);
    case 'n':
        return parse_count('n', val, 10000, &x->runs);
    case OPT_TIMEOUT:
        return cli_parse_seconds("--timeout", val, 86400, &x->settings.timeout_s);
    case OPT_DELAY_BOUND: {
        long v;
        if (parse_whole("--delay-bound", val, 0, 255, &v) != 0)
            return CLI_ERROR;
        x->settings.explore_bound = (unsigned)v;
        return 0;
    }
    case OPT_BUDGET: {
        long v;
        if (parse_whole("--budget", val, 1, 1000000, &v) != 0)
            return CLI_ERROR;
        x->settings.explore_budget = (unsigned long)v;
        return 0;
    }
    case OPT_EXPLORE_MODE:
        if (strcmp(val, "fork") == 0 || strcmp(val, "exec") == 0) {
            x->settings.explore_mode = strcmp(val, "fork") == 0 ? RL_EXPLORE_FORK : RL_EXPLORE_EXEC;
            return 0;
        }
        fprintf(stderr, "racelab: --explore-mode takes fork or exec, not '%s'\n", val);
        return CLI_ERROR;
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
    case OPT_RERUN_FAILED:
        x->rerun_failed = 1;
        return 0;
    case OPT_CERT:
        x->cert = 1;
        return 0;
    case OPT_MARKDOWN:
        x->markdown = 1;
        return 0;
    case OPT_SWEEP:
        x->sweep = val;
        return 0;
    case OPT_JSON:
        x->json = stdout; /* main() moves it to the real stdout once the command is known */
        return 0;
    }
    return CLI_ERROR;
}

/* The defaults, then the options anywhere (getopt_long permutes argv: the operands end up
 * at argv[optind...]). Returns CLI_GO, CLI_DONE (--version printed), CLI_HELP or
 * CLI_ERROR (said). */
int cli_parse_options(struct ctx *x, struct cli *c, int argc, char **argv)
{
    /* the defaults first: this build's folders, RACELAB_TIMEOUT_SCALE, a run per CPU */
    x->settings.bin_dir = RACELAB_BIN_DIR;
    x->settings.run_dir = RACELAB_RUN_DIR;
    x->settings.timeout_scale = 1.0;
    x->settings.explore_bound = RL_EXPLORE_DEFAULT_BOUND;
    x->settings.explore_budget = RL_EXPLORE_DEFAULT_BUDGET;
    x->settings.explore_mode = RL_EXPLORE_DEFAULT_MODE;
    const char *scale = getenv("RACELAB_TIMEOUT_SCALE");
    if (scale &&
        cli_parse_seconds("RACELAB_TIMEOUT_SCALE", scale, 1000, &x->settings.timeout_scale))
        return CLI_ERROR;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    x->jobs = cpus > 0 ? (int)(cpus < 1024 ? cpus : 1024) : 2;
    struct option longs[N_OPTIONS + 1];
    size_t k = 0;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].name)
            longs[k++] = (struct option){options[i].name, options[i].has_arg, NULL, options[i].id};
    longs[k] = (struct option){0};
    opterr = 0; /* racelab words its own errors */
    for (;;) {
        int id = getopt_long(argc, argv, ":hj:n:", longs, NULL);
        if (id == -1)
            return CLI_GO;
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
            return CLI_ERROR;
        }
        int rc = take_option(x, c, id, optarg);
        if (rc != CLI_GO)
            return rc;
    }
}

/* The case folders: --cases, else the configured ones. A folder left out is said, and the
 * others still run; the exit status says it. -1 when no case is left. */
int cli_load_cases(struct ctx *x, struct cli *c)
{
    static char *dirs; /* the configured folders, which case_dirs points into */
    char err[1024];
    if (c->n_case_dirs == 0) {
        dirs = strdup(RACELAB_CASE_DIRS);
        for (char *d = strtok(dirs, ";"); d; d = strtok(NULL, ";"))
            add_case_dir(c, d);
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
void cli_external_dirs(struct ctx *x, struct cli *c, int say)
{
    static char home[1200], bin[1300], run[1300];
    if ((c->bin_set && c->run_set) ||
        !rl_external_home(c->case_dirs, c->n_case_dirs, home, sizeof home))
        return;
    snprintf(bin, sizeof bin, "%s/bin", home);
    snprintf(run, sizeof run, "%s/runs", home);
    x->settings.bin_dir = c->bin_set ? x->settings.bin_dir : bin;
    x->settings.run_dir = c->run_set ? x->settings.run_dir : run;
    if (say)
        printf("racelab: %s: binaries in %s, runs in %s\n", c->case_dirs[0], x->settings.bin_dir,
               x->settings.run_dir);
}
