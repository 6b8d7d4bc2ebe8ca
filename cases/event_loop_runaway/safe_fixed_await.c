/* event_loop_runaway -- a loop condition that is never false, in a step that never awaits. The
 * variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...) or
 * the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <stdio.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

enum {
    LEN = 10,                          /* bytes to upload */
    CHUNK = 4,                         /* bytes per send: LEN is not a multiple of it */
    BEATS = 5,                         /* heartbeats the other task sends */
    SLOW_UNITS = 100,                  /* the slow-step monitor's threshold */
    RUNAWAY_UNITS = 1000 * SLOW_UNITS, /* 1: a step this long is stopped (exit 30) */
    MAX_DISPATCHES = 1000,             /* 2: a task that awaits but never ends is stopped here */
    WATCHDOG_MS = 1000,                /* 3: a step that reports no work, x the tool's slowdown */
    TIMELINE = 16,                     /* dispatches kept for the report */
};

struct upload {
    unsigned off;       /* the next byte to send */
    unsigned long sent; /* bytes sent so far */
};

static coop_status upload(coop_loop *loop, void *arg)
{
    struct upload *u = arg;
    while (u->off < LEN) { /* FIX: < also stops when off steps over LEN */
        unsigned n = LEN - u->off < CHUNK ? LEN - u->off : CHUNK; /* the last piece is short */
        u->sent += n;                                             /* send bytes [off, off + n) */
        u->off += CHUNK;
        coop_work(loop, 1);
        return COOP_YIELD; /* FIX: await after each piece: the other tasks run between */
    }
    return COOP_DONE;
}

static coop_status heartbeat(coop_loop *loop, void *arg)
{
    int *left = arg;
    coop_work(loop, 1); /* a short step: one keep-alive */
    return --*left > 0 ? COOP_YIELD : COOP_DONE;
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[2];
    coop_timeline_entry timeline[TIMELINE];
    struct upload up = {0, 0};
    int beats = BEATS;

    rl_watchdog_start(WATCHDOG_MS); /* coop_run reports progress at every dispatch */
    coop_init(&loop, SLOW_UNITS, RUNAWAY_UNITS);
    coop_record(&loop, timeline, TIMELINE);
    coop_spawn(&loop, &tasks[0], "heartbeat", heartbeat, &beats);
    coop_spawn(&loop, &tasks[1], "upload", upload, &up);
    unsigned unfinished = coop_run(&loop, MAX_DISPATCHES);

    coop_print_timeline(&loop, stdout);
    coop_result(&loop, "unfinished=%u sent=%lu expected=%d longest_step=%lu runaway_units=%d",
                unfinished, up.sent, LEN, tasks[1].max_step_units, RUNAWAY_UNITS);
    return unfinished ? RL_EXIT_WATCHDOG : coop_outcome(&loop);
}
