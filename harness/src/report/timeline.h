/* timeline: who held the event loop or the lock, in logical time, read from a program's
 * stdout. A fairness case prints one line per hold:
 *
 *   racelab-timeline: <task> <start_units> <units>
 *
 * (fixtures/src/coop.c coop_print_timeline). The task is any name, spaces included: the
 * last two words are the numbers. Tasks keep the order of their first line. A hold must end
 * (start + units) by RL_TIMELINE_MAX_END, so that no sum wraps around and every value is
 * exact as a double for drawing; a line beyond it is counted in out_of_range. */
#ifndef RACELAB_TIMELINE_H
#define RACELAB_TIMELINE_H

#include <stddef.h>

enum { RL_TIMELINE_MAX_TASKS = 32 };
#define RL_TIMELINE_MAX_END 9007199254740991UL /* 2^53 - 1 */

struct rl_span {
    unsigned long start, units;
};

struct rl_tl_task {
    char name[64];
    struct rl_span *v;
    size_t n, cap;
    unsigned long total;   /* units held in all */
    unsigned long longest; /* the longest single hold */
};

struct rl_timeline {
    struct rl_tl_task tasks[RL_TIMELINE_MAX_TASKS];
    size_t n_tasks;
    unsigned long end; /* the latest start + units */
    size_t n_spans;
    size_t dropped;      /* lines of tasks beyond RL_TIMELINE_MAX_TASKS, or beyond max_spans */
    size_t out_of_range; /* lines whose hold ends after RL_TIMELINE_MAX_END */
};

/* Parse every timeline line of `text`; other lines are ignored. At most max_spans holds are
 * kept (0: no limit). Returns the number kept. */
size_t rl_timeline_parse(const char *text, size_t max_spans, struct rl_timeline *tl);
void rl_timeline_free(struct rl_timeline *tl);

/* The holds of one task merged for drawing at `units_per_px`: holds narrower than two pixels
 * that start within half a pixel of the previous one's end extend it; wider holds stay
 * apart. Writes at most `cap` spans to out and returns how many. */
size_t rl_timeline_merge(const struct rl_tl_task *t, double units_per_px, struct rl_span *out,
                         size_t cap);

#endif
