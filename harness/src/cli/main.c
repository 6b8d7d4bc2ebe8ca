/* racelab: run concurrency cases under ThreadSanitizer, Helgrind and DRD and judge each
 * run against the case's expectation.  See `racelab help`. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "spawn.h"
#include "tools.h"

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
/* flags: scan the case folders; print an external home; takes --json */
enum { NEEDS_CASES = 1, SAYS_DIRS = 2, JSON = 4 };
struct command {
    const char *name, *operands;
    int max_args, flags;
    int (*fn)(struct ctx *x, int argc, char **argv);
    const char *help; /* '\n' continues it on the next line */
};

static const struct command commands[] = {
    {"list", "", 0, NEEDS_CASES | JSON, cmd_list, "cases, variants, and the tools available here"},
    {"run", "CASE[.VARIANT[.TOOL]]", 1, NEEDS_CASES | SAYS_DIRS | JSON, cmd_run,
     "run and judge; show each detector's report"},
    {"matrix", "[CELL-PATTERN...]", 1024, NEEDS_CASES | SAYS_DIRS | JSON, cmd_matrix,
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
    {"stats", "CASE.VARIANT.TOOL", 1, NEEDS_CASES | SAYS_DIRS | JSON, cmd_stats,
     "run one cell -n times (default 100), -j at a time:\n"
     "each outcome's and finding's rate with its 95%\n"
     "interval, the time per run, the reruns it takes;\n"
     "--sweep NAME: at each value of the case's param"},
    {"bench", "", 0, SAYS_DIRS | JSON, cmd_bench,
     "the scaling family: the same CPU-bound work on\n"
     "1 to 16 threads, processes and loop tasks, and\n"
     "waits on threads and the loop; -n rounds (default\n"
     "5): median wall time and speedup per worker count"},
    {"replay", "CASE.VARIANT SCHEDULE", 2, NEEDS_CASES, cmd_replay,
     "run the variant once under an explore schedule\n(0.1.0: the ready task's index at each "
     "choice\npoint) and print its timeline and outcome"},
    {"env", "CASE.VARIANT.TOOL", 1, NEEDS_CASES, cmd_env,
     "what racelab adds to that cell's environment"},
    {"diff", "CASE [VARIANT]", 2, NEEDS_CASES, cmd_diff,
     "the lesson, then diff -u unsafe.c VARIANT.c (every\nsafe variant when none is named)"},
    {"explain", "CASE | --cert", 1, NEEDS_CASES | JSON, cmd_explain,
     "the lesson, and per detector what it says on each\n"
     "variant and why; with --cert, the CERT C rule x\n"
     "detector table of every case"},
    {"help", "", 0, 0, NULL, "this text"},
};

static void usage(FILE *f)
{
    fputs("usage: racelab [options] COMMAND [OPERAND...]\n\ncommands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        char left[128];
        snprintf(left, sizeof left, "%s%s%s", commands[i].name, commands[i].operands[0] ? " " : "",
                 commands[i].operands);
        cli_help_line(f, left, 32, commands[i].help);
    }
    fputs("\noptions:\n", f);
    cli_options_help(f);
    fputs("\noptions go before or after the command; --opt=VALUE works too.\n"
          "\n"
          "exit status: 0 every cell matched, 1 a mismatch, 2 usage or configuration error,\n"
          "77 everything skipped (a tool is not installed), 128 + N stopped by signal N.\n",
          f);
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
    rl_spawn_catch_stop(SIGINT);
    rl_spawn_catch_stop(SIGTERM);
    prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
    struct ctx x;
    struct cli c;
    memset(&x, 0, sizeof x);
    memset(&c, 0, sizeof c);
    int parsed = cli_parse_options(&x, &c, argc, argv);
    if (parsed == CLI_HELP)
        usage(stdout);
    if (parsed != CLI_GO)
        return parsed == CLI_ERROR ? EXIT_USAGE : EXIT_MATCH;
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
    if ((x.report_dir || x.rerun_failed) && cmd->fn != cmd_matrix) {
        fprintf(stderr, "racelab: --%s goes with matrix%s\n",
                x.report_dir ? "report" : "rerun-failed",
                x.report_dir ? " (racelab report DIR re-renders the last one)" : "");
        return EXIT_USAGE;
    }
    if (x.json && (!(cmd->flags & JSON) || (cmd->fn == cmd_explain && !x.cert))) {
        fprintf(stderr,
                "racelab: --json goes with list, run, matrix, stats, bench and explain --cert, "
                "not %s\n",
                cmd->name);
        return EXIT_USAGE;
    }
    if ((x.cert && cmd->fn != cmd_explain) || (x.markdown && !x.cert)) {
        fprintf(stderr, "racelab: --%s goes with explain%s\n", x.cert ? "cert" : "markdown",
                x.cert ? " (racelab explain --cert)" : " --cert");
        return EXIT_USAGE;
    }
    if (x.runs && cmd->fn != cmd_stats && cmd->fn != cmd_bench) {
        fprintf(stderr, "racelab: -n goes with stats and bench (the number of runs)\n");
        return EXIT_USAGE;
    }
    if (x.sweep && cmd->fn != cmd_stats) {
        fprintf(stderr, "racelab: --sweep goes with stats (racelab stats CELL --sweep NAME)\n");
        return EXIT_USAGE;
    }
    if (x.json && cli_json_begin(&x) != 0)
        return EXIT_USAGE;
    if (x.tool_mask == 0)
        x.tool_mask = (1u << RL_TOOL_COUNT) - 1;
    cli_external_dirs(&x, &c, cmd->flags & SAYS_DIRS);
    if ((cmd->flags & NEEDS_CASES) && cli_load_cases(&x, &c) != 0)
        return EXIT_USAGE;
    int rc = cmd->fn(&x, n_args, args);
    if (x.cases.errors.len && (rc == EXIT_MATCH || rc == 77))
        rc = EXIT_USAGE;
    rl_cases_free(&x.cases);
    free(c.case_dirs);
    return unless_stopped(rc);
}
