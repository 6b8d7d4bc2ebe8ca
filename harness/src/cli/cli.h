/* cli: the command line's shared state and the commands. main.c parses the options into a
 * struct ctx and dispatches to one cmd_* function through its command table; each command
 * gets the operands after its name and returns racelab's exit status (0 every cell matched,
 * 1 a mismatch, 2 usage or configuration error, 77 everything skipped). cli_cells.c holds
 * what several commands share. */
#ifndef RACELAB_CLI_H
#define RACELAB_CLI_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "cases.h"
#include "expect.h"
#include "report.h"
#include "runner.h"

/* 1 (mismatch) and 77 (all skipped) come from rl_report_exit_status(). */
enum { EXIT_MATCH = 0, EXIT_USAGE = 2 };

struct ctx {
    struct rl_caselist cases;
    struct rl_settings settings;
    unsigned tool_mask;
    int jobs;
    int score;              /* matrix --score: the detectors' precision and recall too */
    const char *report_dir; /* matrix --report DIR: the report files go there */
    int raw; /* --raw: judge nothing; fail when the detector reports or the outcome is bad */
    int rerun_failed; /* matrix --rerun-failed: only the last matrix's failed cells */
    FILE *json;       /* --json: the document goes here (the real stdout); NULL without --json */
    int runs;         /* stats -n: runs of the cell; 0 until given (the default is stats's) */
    int cert;         /* explain --cert: the CERT C rule x detector table */
    int markdown;     /* explain --cert --markdown: that table in Markdown (the README's) */
    const char *sweep; /* stats --sweep NAME: measure each value of the case's param NAME */
};

/* What the options said about the case folders (as many as given: case_dirs grows). */
struct cli {
    const char **case_dirs;
    int n_case_dirs, cap_case_dirs, bin_set, run_set;
};

/* One selected cell of the run. */
struct sel {
    const struct rl_case *c;
    const char *variant;
    int tool;
};

int cmd_list(struct ctx *x, int argc, char **argv);
int cmd_check(struct ctx *x, int argc, char **argv);
int cmd_diff(struct ctx *x, int argc, char **argv);
int cmd_explain(struct ctx *x, int argc, char **argv);
int cmd_run(struct ctx *x, int argc, char **argv);
int cmd_fidelity(struct ctx *x, int argc, char **argv);
int cmd_env(struct ctx *x, int argc, char **argv);
int cmd_matrix(struct ctx *x, int argc, char **argv);
int cmd_report(struct ctx *x, int argc, char **argv);
int cmd_stats(struct ctx *x, int argc, char **argv);
/* explain --cert (cli_cert.c): the CERT C rule x detector table of the expect files. */
int cli_explain_cert(struct ctx *x, int argc, char **argv);
int cmd_replay(struct ctx *x, int argc, char **argv);
int cmd_bench(struct ctx *x, int argc, char **argv);

/* The case's expect file, loaded and checked against its variants; -1 when not (said). */
int cli_load_expect(const struct rl_case *c, struct rl_expect *e);
/* The tool named on the command line, or -1 (said, with the tools' names). */
int cli_tool(const char *name);
/* The case named on the command line, or NULL (said). */
const struct rl_case *cli_find_case(struct ctx *x, const char *name);
/* The cells of spec (CASE[.VARIANT[.TOOL]], NULL for all) under the --tool mask. */
int cli_select_cells(struct ctx *x, const char *spec, struct sel **out, size_t *n);
size_t cli_case_index(struct ctx *x, const struct rl_case *c);
int cli_prepare(struct ctx *x, const char *spec, struct sel **sel, size_t *n,
                struct rl_expect **exps);
size_t cli_build_once(struct ctx *x, const struct sel *sel, size_t n, char *broken);
/* The report files of cells into dir, with the charts of run_dir's measurements; -1 when they
 * could not be written (said). */
int cli_write_report(const char *dir, const char *run_dir, const struct rl_report_cell *cells,
                     size_t n);

/* --json (cli_json.c): the cells' JSON objects appended to arr; the document (extra, when
 * given, is its top object) printed to out with cells as its "cells", both then freed; -1
 * when it could not be written (said). `list --json` makes its document with
 * cli_json_list_tools, then cli_json_list_case per case (the cells under tool_mask). */
void cli_json_add_cells(json_t *arr, const struct rl_report_cell *cells, size_t n);
int cli_json_print(FILE *out, const char *command, json_t *cells, json_t *extra, int exit_status);
json_t *cli_json_list_tools(const struct rl_settings *s);
void cli_json_list_case(json_t *doc, unsigned tool_mask, const struct rl_case *c,
                        const struct rl_expect *e);
/* --json's start: x->json becomes the real stdout, and stdout goes to stderr; -1 (said). */
int cli_json_begin(struct ctx *x);

/* The defaults (this build's folders, RACELAB_TIMEOUT_SCALE, -j the CPUs), then the options
 * anywhere (getopt_long permutes argv: the operands end up at argv[optind...]). */
enum { CLI_ERROR = -1, CLI_GO, CLI_DONE, CLI_HELP };
int cli_parse_options(struct ctx *x, struct cli *c, int argc, char **argv);
void cli_options_help(FILE *f);
/* "  LEFT" padded to col, then help; its '\n' continue it on lines indented to col. */
void cli_help_line(FILE *f, const char *left, int col, const char *help);
/* A number of seconds: finite, over 0, at most max, the whole text; -1 when not (said). */
int cli_parse_seconds(const char *what, const char *text, double max, double *out);
/* Scan the case folders (--cases, else the configured ones); -1 when no case is left. */
int cli_load_cases(struct ctx *x, struct cli *c);
/* --cases outside the configured folders: their own bin and run folders (said if say). */
void cli_external_dirs(struct ctx *x, struct cli *c, int say);

#endif
