/* async_lost_wakeup -- a consumer finds the queue empty, awaits, clears an event and sleeps on it.
 * The variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...)
 * or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <stdio.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

enum { TIMELINE = 8 };
enum stage { LOOK, SLEEP, TAKE };

static int items;          /* the queue: items waiting for the consumer */
static coop_event arrived; /* set by the producer when it queues an item */

static coop_status consume(coop_loop *loop, void *arg)
{
    enum stage *s = arg;
    coop_work(loop, 1);
    if (*s == LOOK && items == 0) {
        *s = SLEEP;
        return COOP_YIELD; /* the queue is empty: await the "idle" log line, then sleep */
    }
    if (*s == SLEEP) {
        arrived.set = 0; /* clear the event, to sleep until the next item */
        *s = TAKE;
        if (items == 0 && !coop_wait(loop, &arrived)) /* FIX: look again, as it sleeps */
            return COOP_WAIT;
    }
    items--; /* take the item */
    return COOP_DONE;
}

static coop_status produce(coop_loop *loop, void *arg)
{
    int *prepare = arg;
    coop_work(loop, 1);
    if ((*prepare)-- > 0)
        return COOP_YIELD; /* await the item's data */
    items++;
    coop_set(loop, &arrived); /* wake the consumer, if it sleeps */
    return COOP_DONE;
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[2];
    coop_timeline_entry timeline[TIMELINE];
    enum stage consumer = LOOK;
    int prepare = 1; /* the producer awaits its data once before it queues the item */

    coop_init(&loop, 100, 0); /* every step is one unit: nothing is slow, nothing runs away */
    coop_record(&loop, timeline, TIMELINE);
    coop_spawn(&loop, &tasks[0], "consumer", consume, &consumer);
    coop_spawn(&loop, &tasks[1], "producer", produce, &prepare);
    unsigned unfinished = coop_run(&loop, 0); /* it returns when no task is ready */

    coop_print_timeline(&loop, stdout);
    rl_result("unfinished=%u items_left=%d dispatches=%lu", unfinished, items, loop.dispatches);
    return unfinished ? RL_EXIT_DEADLOCK : RL_EXIT_OK;
}
