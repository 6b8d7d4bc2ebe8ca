/* async_cache_fill -- two requests on one event loop look up a key, miss, await the fetch, fill.
 * The variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...)
 * or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <stdio.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

enum { ORIGIN = 42, TIMELINE = 8 };

static int cache_valid;  /* the cache: one key, empty at the start */
static long cache_value; /* its value, once valid */
static int fetches;      /* calls to the origin: the invariant is one */
static int cache_pending;       /* FIX: a fetch of the key is on its way */
static coop_event cache_filled; /* FIX: set when that fetch has filled the cache */

struct request {
    int parse;    /* steps spent reading the request before the lookup */
    int fetching; /* 1: this request fetched and awaits the origin */
    long got;     /* the value it served */
};

static coop_status get(coop_loop *loop, void *arg)
{
    struct request *r = arg;
    coop_work(loop, 1);
    if (r->parse > 0) {
        r->parse--;
        return COOP_YIELD; /* await the request's body: the other request runs meanwhile */
    }
    if (r->fetching) {
        cache_value = ORIGIN; /* the fetch came back: fill the cache */
        cache_valid = 1;
        coop_set(loop, &cache_filled); /* FIX: wake the requests that awaited this fetch */
        r->got = cache_value;
        return COOP_DONE;
    }
    if (cache_valid) {
        r->got = cache_value; /* a hit */
        return COOP_DONE;
    }
    if (cache_pending && !coop_wait(loop, &cache_filled))
        return COOP_WAIT; /* FIX: a fetch is on its way: await it, then look again (a hit) */
    fetches++;
    cache_pending = 1; /* FIX: marked in the step that missed: nobody can look in between */
    r->fetching = 1;
    return COOP_YIELD; /* await fetch(key): the cache stays empty until it returns */
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[2];
    coop_timeline_entry timeline[TIMELINE];
    struct request a = {0, 0, 0}, b = {1, 0, 0}; /* b reads a body first */

    coop_init(&loop, 100, 0); /* every step is one unit: nothing is slow, nothing runs away */
    coop_record(&loop, timeline, TIMELINE);
    coop_spawn(&loop, &tasks[0], "get_a", get, &a);
    coop_spawn(&loop, &tasks[1], "get_b", get, &b);
    coop_run(&loop, 0);

    coop_print_timeline(&loop, stdout);
    int served = (a.got == ORIGIN) + (b.got == ORIGIN);
    rl_result("fetches=%d expected=1 served=%d dispatches=%lu", fetches, served, loop.dispatches);
    return fetches == 1 && served == 2 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
