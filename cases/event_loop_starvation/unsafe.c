/* event_loop_starvation -- one task of a cooperative event loop runs a long job in one step.
 * The variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...)
 * or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <stdio.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

enum {
    JOB_UNITS = 20000,              /* the checksum's work: one unit per item */
    YIELD_EVERY = 10,               /* the fix's step, in units: the safe bound */
    SLOW_UNITS = 100 * YIELD_EVERY, /* the slow-step monitor's threshold */
    BEATS = 20,                     /* short steps each of the other two tasks runs */
    TIMELINE = 16,                  /* dispatches kept for the report */
};

struct job {
    unsigned long next, sum;
};

static coop_status checksum(coop_loop *loop, void *arg)
{
    struct job *j = arg;
    while (j->next < JOB_UNITS) {
        j->sum = j->sum * 31 + j->next++; /* one item: one unit of CPU-bound work */
        coop_work(loop, 1);
        /* STARVE: no await in the loop: the whole job is one step, the others wait */
    }
    return COOP_DONE;
}

static coop_status beat(coop_loop *loop, void *arg)
{
    int *left = arg;
    coop_work(loop, 1); /* a short step: answer one ping */
    return --*left > 0 ? COOP_YIELD : COOP_DONE;
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[3];
    coop_timeline_entry timeline[TIMELINE];
    struct job job = {0, 0};
    int heartbeats = BEATS, requests = BEATS;

    coop_init(&loop, SLOW_UNITS, 0); /* no runaway stop: the job is finite */
    coop_record(&loop, timeline, TIMELINE);
    coop_spawn(&loop, &tasks[0], "heartbeat", beat, &heartbeats);
    coop_spawn(&loop, &tasks[1], "checksum", checksum, &job);
    coop_spawn(&loop, &tasks[2], "requests", beat, &requests);
    coop_run(&loop, 0);

    coop_print_timeline(&loop, stdout);
    unsigned long longest = 0; /* the longest step any task ran without awaiting */
    for (int i = 0; i < 3; i++)
        longest = tasks[i].max_step_units > longest ? tasks[i].max_step_units : longest;
    coop_result(&loop, "longest_step=%lu step_bound=%d", longest, YIELD_EVERY);
    return coop_outcome(&loop);
}
