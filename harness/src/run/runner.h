/* runner: run one cell (case, variant, tool): build the command for the tool, spawn it,
 * read the detector's channel and the program's outcome, judge, and keep the run's files
 * (stdout, stderr, detector output, verdict) in its run directory. An `explore` cell runs
 * the search of run/explore.h instead of one run: a variant not on the cooperative loop is a
 * skip; a bad schedule is the finding schedule:OUTCOME, its run's outcome the cell's, and its
 * stdout and stderr the cell's files; a search that ended in error is a findings error. A case's
 * suppression file for the tool (suppress.tsan, suppress.supp; rl_case_suppressions) is passed to
 * it. */
#ifndef RACELAB_RUNNER_H
#define RACELAB_RUNNER_H

#include "cases.h"
#include "expect.h"
#include "explore.h"
#include "judge.h"
#include "util.h"

struct rl_settings {
    const char *bin_dir;  /* <bin>/<flavor>/<case>/<variant> */
    const char *run_dir;  /* <run>/<case>.<variant>.<tool>/ */
    double timeout_scale; /* multiplies each tool's timeout (RACELAB_TIMEOUT_SCALE) */
    double timeout_s;     /* > 0: overrides the tool's timeout */
    unsigned explore_bound;       /* explore: the delay bound (run/explore.h) */
    unsigned long explore_budget; /* explore: runs per cell; 0: RL_EXPLORE_DEFAULT_BUDGET */
    int explore_mode;             /* explore: enum rl_explore_mode (0: exec) */
    const char *param;    /* "NAME=value": a case parameter for the program (stats --sweep) */
};

/* UNSET comes first, so a cell nobody filled in (a zeroed one) is an error, never a match. */
enum rl_cell_status {
    RL_CELL_UNSET,
    RL_CELL_MATCH,
    RL_CELL_MISMATCH,
    RL_CELL_SKIP,
    RL_CELL_CONFIG_ERROR
};

/* An error cell: one that says so, or one nobody filled in. */
static inline int rl_cell_error(enum rl_cell_status s)
{
    return s == RL_CELL_CONFIG_ERROR || s == RL_CELL_UNSET;
}

/* The status as one word: match, mismatch, skip or error (an unset cell is an error). */
const char *rl_cell_status_name(enum rl_cell_status s);

struct rl_cell {
    enum rl_cell_status status;
    struct rl_verdict verdict;
    char skip_reason[256];
    char error[4096]; /* configuration error text */
    double wall_s;
    double cpu_s; /* CPU time the cell cost: racelab's own work on it and every process its
                     run reaped (rl_run_cell); <= 0 when not measured (a cell never run) */
    struct rl_buf excerpt;       /* the detector's report, cut for people */
    struct rl_buf notes;         /* output caps hit, stderr tail of a failing run, ... */
    struct rl_findings findings; /* what the detector reported, structured (for SARIF) */
    int output_capped;           /* stdout or stderr outgrew the cap: their files are cut */
    struct rl_explore_cov {      /* an explore cell's coverage: what its verdict claims */
        int on;                  /* the cell ran a search */
        unsigned long runs, budget;
        unsigned bound;
        char end[16]; /* found, exhausted, budget, error (rl_explore_end_name) */
        char schedule[RL_EXPLORE_SCHEDULE_MAX]; /* found: the bad schedule */
    } explore;
    char run_path[RL_RUN_PATH_MAX];
};

/* Build (or find up to date) the cell's binary, whose path goes to bin; -1 with
 * "CASE.VARIANT does not build for FLAVOR: why" in err. rl_run_cell does this first itself. */
int rl_build_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                  int tool, char *bin, size_t binlen, char *err, size_t errlen);

/* Run and judge one cell. `row` comes from the case's validated expectation. */
void rl_run_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                 int tool, const struct rl_expect_row *row, struct rl_cell *out);
void rl_cell_free(struct rl_cell *c);

/* The harness's time limit for one run of the tool: --timeout, or the tool's own x scale. */
double rl_cell_timeout(const struct rl_settings *s, int tool);

/* The binary a cell runs (built by rl_run_cell when missing or stale). */
void rl_cell_binary(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                    int tool, char *out, size_t len);

/* Write/read the cell's summary ("verdict" in its run directory): the matrix runs cells in
 * child processes and collects them from there, and `racelab report` re-renders the last
 * matrix from them. One "key value" per line; a value's newlines and backslashes are
 * written as \n and \\. Each finding is one line of tab-separated fields:
 *   finding <kind>\t<tool_kind>\t<symbols>\t<functions>\t<file>\t<line>
 * with file relative to the case folder when inside it. An explore cell adds
 *   explore <runs> <bound> <budget> <end>      and, when it found one,   schedule <indices> The
 * status is a word (match, mismatch, skip, error), or the number older versions wrote (0 match .. 3
 * error); any other status line makes the load fail with the reason in c->error. Loading ignores
 * unknown keys and finding lines it cannot read, so older and newer files still load. */
int rl_cell_save(const struct rl_cell *c);
int rl_cell_load(const char *run_path, struct rl_cell *c);

/* The variables racelab adds to a cell's environment, "NAME=value" in env[] (NULL after
 * the last): RACELAB_SLOWDOWN for every tool; for TSan, TSAN_OPTIONS and UBSAN_OPTIONS (the
 * user's, then racelab's keys, which win; `suppressions=supp` when the case carries a
 * suppress.tsan, else supp is NULL), RACELAB_TSAN_FINDINGS in run_path, and
 * RACELAB_RUN_TOKEN when token is not NULL (each run draws its own: `racelab env` has none
 * to print); RACELAB_PARAM_NAME=value when param ("NAME=value", the settings' param) is not
 * NULL. The only place they are made: rl_run_cell runs with them, `racelab env` prints them. */
struct rl_cell_env {
    struct rl_buf var[6];
    char *env[7];
};
void rl_cell_env(int tool, const char *run_path, const char *supp, const char *token,
                 const char *param, struct rl_cell_env *e);
void rl_cell_env_free(struct rl_cell_env *e);

/* Why a tool cannot run here ("" when it can). */
void rl_tool_unavailable(int tool, char *why, size_t len);

#endif
