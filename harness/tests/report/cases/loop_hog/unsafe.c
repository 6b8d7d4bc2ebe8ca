/* loop_hog -- two tasks share a cooperative event loop: a ticker that does one unit per step,
 * and a hog with HOG_UNITS of work. The variants differ only in how the hog steps: see the
 * HAZARD and FIX comments. Prints the loop's timeline for the report's picture. */
#include <stdio.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

enum { HOG_UNITS = 60, TICKS = 30, SLOW_UNITS = 10 };

struct work {
    unsigned long left;
};

static coop_status hog_step(coop_loop *l, void *state)
{
    struct work *w = state;
    unsigned long units = w->left; /* HAZARD: all of its work in one step; the ticker waits */
    coop_work(l, units);
    w->left -= units;
    return w->left > 0 ? COOP_YIELD : COOP_DONE;
}

static coop_status tick_step(coop_loop *l, void *state)
{
    struct work *w = state;
    coop_work(l, 1);
    return --w->left > 0 ? COOP_YIELD : COOP_DONE;
}

int main(void)
{
    static coop_timeline_entry timeline[HOG_UNITS + TICKS];
    coop_loop loop;
    coop_task ticker, hog;
    struct work ticks = {TICKS}, hog_work = {HOG_UNITS};
    coop_init(&loop, SLOW_UNITS, 0);
    coop_record(&loop, timeline, sizeof timeline / sizeof *timeline);
    coop_spawn(&loop, &ticker, "ticker", tick_step, &ticks);
    coop_spawn(&loop, &hog, "hog", hog_step, &hog_work);
    coop_run(&loop, 0);

    fputs("racelab-result: ", stdout);
    coop_report(&loop, stdout);
    fputc('\n', stdout);
    coop_print_timeline(&loop, stdout);
    return coop_outcome(&loop);
}
