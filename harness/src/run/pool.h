/* pool: run cells in parallel, each in a forked worker process, at most `jobs` at once.
 *
 * A worker runs one cell (rl_run_cell) and saves its verdict in the cell's run folder; the
 * pool collects it from there, so a program that kills its parent costs one cell, never the
 * caller. A worker that dies without a verdict gives an error cell saying how it died, after
 * what its run left running is killed (the caller is a child subreaper, so every child that
 * is not a worker is such an orphan). A cell whose binary did not build is not run: it is an
 * error cell pointing at the compiler's message. When fork fails, no further worker starts:
 * the cells not started are error cells saying so, and the running workers are waited for
 * and reaped; their cells count. On SIGINT/SIGTERM (rl_spawn_stop) the running workers are
 * told once to stop, killed after 10 s, and reaped; nothing new starts. A cell may carry
 * settings of its own (`racelab stats` runs one cell many times, each in its own run
 * folder). Idle cells (pool.c) run beside the busy ones. */
#ifndef RACELAB_POOL_H
#define RACELAB_POOL_H

#include <stddef.h>

#include "runner.h"

struct rl_pool_cell {
    const struct rl_case *c;
    const char *variant;
    int tool;
    const struct rl_expect_row *row;
    int not_built;       /* its binary did not build: an error cell, not run */
    const struct rl_settings *settings; /* this cell's own (its run folder), or NULL: the pool's */
    struct rl_cell cell; /* out: the verdict (rl_cell_free it) */
    int ran;             /* out: 1 when the cell ended (cell is set), 0 when never started */
};

/* A cell whose last run kept a core busy less than this fraction of its wall time is idle:
 * it weighs that fraction (at least 0.1) of a job; every other cell, and one never run,
 * weighs 1. */
#define RL_POOL_IDLE 0.4
/* How far over `jobs` cores the running cells' weights may add up, so that idle cells run
 * beside a full set of busy ones. */
#define RL_POOL_SPARE 0.25
double rl_pool_weight(double wall_s, double cpu_s);
/* May a cell of `weight` start beside `running` cells whose weights add up to `load`? Always
 * when none runs; never beside another with jobs 1 (one at a time, as asked); else when the
 * load stays within jobs + RL_POOL_SPARE and fewer than 2 * jobs cells run. */
int rl_pool_fits(double load, double weight, size_t running, int jobs);

/* Run cells[0..n), the running cells' weights within `jobs` (above), the longest first (by
 * the wall time of the cell's last run, saved in its run folder, else by its tool's
 * slowdown; a later cell that fits starts when the next one does not), calling done(arg, i)
 * as each cell i ends. Returns how many cells ended: n, or fewer when stopped by a signal (then the
 * cells with `ran` set are the ones that ended; the others were never started). */
size_t rl_pool_run(const struct rl_settings *s, struct rl_pool_cell *cells, size_t n, int jobs,
                   void (*done)(void *arg, size_t i), void *arg);

#endif
