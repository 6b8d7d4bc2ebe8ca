/* explore: stateless model checking of the cooperative loop's schedules.
 *
 * A variant on the loop (fixtures/coop) runs the ready task that waited longest, unless
 * RACELAB_SCHEDULE names another by its index in the FIFO ready queue at each choice point
 * (racelab/protocol.h). Choosing index i passes over the i tasks that waited longer: it costs
 * i delays, and FIFO (every index 0) costs none. A run prints the index it took and the number
 * of ready tasks at every choice point, so the search extends a schedule without knowing the
 * program.
 *
 * The search walks the tree of schedules depth-first, in lexicographic order of the choices,
 * by re-running the program once per schedule: FIFO first, then the deepest choice point that
 * can still take a larger index within the delay bound, and so on. It visits every schedule
 * whose delays sum to at most `bound` exactly once (the program must be deterministic under a
 * schedule; a run that took other indices than it was asked for is an error), and stops at
 * the first run whose outcome is not `ok`, at the run budget, or when the bounded tree is
 * exhausted. The same program gives the same tree and the same first bad schedule on every
 * search. `exhausted` claims every schedule within the bound ran and held; `budget` claims
 * only the runs made did. Neither says anything about schedules past the bound.
 *
 * The runs go through a callback, so that the search itself is tested with a fake program
 * (harness/tests/unit/test_explore.c); rl_explore_binary is the real one. */
#ifndef RACELAB_EXPLORE_H
#define RACELAB_EXPLORE_H

#include <stddef.h>

#include "finding.h"
#include "util.h"

enum { RL_EXPLORE_DEFAULT_BOUND = 2, RL_EXPLORE_DEFAULT_BUDGET = 200 };
enum { RL_EXPLORE_SCHEDULE_MAX = 8192 }; /* bytes of a schedule racelab keeps, NUL included */

/* What one run under a schedule gave. The runner fills outcome (and exit_code or signal),
 * and the choices from the program's schedule line: n choice points, taken[k] the index taken
 * and ready[k] the tasks ready at the k-th. `error` non-empty: the run gave no usable answer
 * (no schedule line, a usage error, ...), which ends the search as an error. */
struct rl_explore_run {
    enum rl_outcome outcome;
    int exit_code, signal;
    unsigned char *taken, *ready;
    size_t n, cap;
    int has_line; /* the program printed its schedule line */
    char result_line[512];
    char error[512];
};

/* Run the program under `schedule` ("0.0.1"; "" for FIFO in explore mode) into r, whose
 * choices the callback resets first. Returns 0, or -1 when it could not run at all
 * (r->error says why). */
typedef int (*rl_explore_run_fn)(void *ctx, const char *schedule, struct rl_explore_run *r);

enum rl_explore_end { RL_EXPLORE_FOUND, RL_EXPLORE_EXHAUSTED, RL_EXPLORE_BUDGET, RL_EXPLORE_ERROR };

struct rl_explore_result {
    enum rl_explore_end end;
    unsigned long runs;                     /* schedules run */
    unsigned bound;                         /* the delay bound searched */
    unsigned long budget;                   /* the run budget */
    struct rl_explore_run bad;              /* FOUND: the run that broke the invariant */
    char schedule[RL_EXPLORE_SCHEDULE_MAX]; /* FOUND: its schedule, trailing zeros dropped */
    unsigned delays;                        /* FOUND: the delays it took */
    char error[1024];                       /* ERROR: why */
};

/* The search. `result->bad` is owned by the result: rl_explore_result_free. */
void rl_explore(unsigned bound, unsigned long budget, rl_explore_run_fn run, void *ctx,
                struct rl_explore_result *result);
void rl_explore_result_free(struct rl_explore_result *result);
void rl_explore_run_free(struct rl_explore_run *r);

/* "exhausted", "budget", "found" or "error". */
const char *rl_explore_end_name(enum rl_explore_end e);

/* Read the last schedule line of `out` into r's choices: 0, 1 when there is none, -1 (with
 * r->error) when it is malformed. */
int rl_explore_parse_line(const char *out, struct rl_explore_run *r);

/* The real runners, over one struct. rl_explore_binary_run (exec mode) spawns `bin` with
 * RACELAB_SCHEDULE set, env_add added, each run limited to timeout_s.
 *
 * rl_explore_fork_run (fork mode) keeps one tree of processes alive across the runs of a
 * search: the binary is exec'd once, asks racelab at each choice point over a socket
 * (protocol.h, RL_PROTO_SCHEDULE_FD_ENV), and forks where the search will come back for
 * another index (one more within `bound`), leaving the parent behind as a checkpoint. The
 * next schedule resumes at the deepest checkpoint on its way (the longest common prefix with
 * the last run), so a schedule costs a fork instead of an exec and the loop's work up to
 * its last choice. A run's stdout and stderr are the leaf's after its last fork (the loop
 * prints its result, timeline and schedule lines at exit); a leaf that outlives timeout_s
 * is killed (hang), and a leaf killed by a signal is a crash, as in exec mode. The tree is
 * one process group; rl_explore_binary_free kills what is left of it and counts, as
 * leftovers, any process that left the group (the caller must have no other children: a
 * pool worker). Fork mode fills `bound` in before the search; it must be the search's.
 *
 * Either way the stdout and stderr of the last run stay in out/err (the bad run's, when
 * the search stops at one). */
struct rl_explore_checkpoint {
    size_t k;       /* the choice point it waits at (0-based) */
    unsigned ready; /* the tasks ready there */
    int pid;
};
struct rl_explore_binary {
    const char *bin;
    char *const *env_add;
    double timeout_s;
    unsigned bound; /* fork mode: the delay bound of the search */
    struct rl_buf out, err;
    double wall_s;       /* of every run together */
    int leftovers;       /* processes a run left behind (killed) */
    unsigned long forks; /* fork mode: the forks the search asked for */
    /* fork mode's tree (internal): root pid, the running leaf, racelab's socket end and the
     * leaf's pipes (0: none), the checkpoints, the last leaf's choices (taken, ready pairs) */
    int root, leaf, sock, pipe[2];
    struct rl_explore_checkpoint *cp;
    size_t n_cp, cap_cp;
    unsigned char *path;
    size_t n_path, cap_path;
};
int rl_explore_binary_run(void *ctx, const char *schedule, struct rl_explore_run *r);
int rl_explore_fork_run(void *ctx, const char *schedule, struct rl_explore_run *r);
void rl_explore_binary_free(struct rl_explore_binary *b);

/* Exec or fork: which runner a search uses (racelab --explore-mode). */
enum rl_explore_mode { RL_EXPLORE_EXEC, RL_EXPLORE_FORK };
enum { RL_EXPLORE_DEFAULT_MODE = RL_EXPLORE_FORK };

#endif
