/* async_lost_update -- two tasks on one event loop read a balance, await, and write it back.
 * The variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...)
 * or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <stdio.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

enum { START = 100, TIMELINE = 8 };

long balance = START; /* shared by both deposits */

struct deposit {
    long amount;
    int resumed; /* 0: before the await, 1: after it */
    long v;      /* the balance this task read */
};

static coop_status deposit(coop_loop *loop, void *arg)
{
    struct deposit *d = arg;
    coop_work(loop, 1);
    if (!d->resumed) {
        d->v = balance; /* RACE: read, then await: the other deposit reads the same value */
        d->resumed = 1;
        return COOP_YIELD; /* await the ledger: the loop runs the other task meanwhile */
    }
    balance = d->v + d->amount; /* RACE: writes back a balance read before the await */
    return COOP_DONE;
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[2];
    coop_timeline_entry timeline[TIMELINE];
    struct deposit a = {30, 0, 0}, b = {50, 0, 0};

    coop_init(&loop, 100, 0); /* every step is one unit: nothing is slow, nothing runs away */
    coop_record(&loop, timeline, TIMELINE);
    coop_spawn(&loop, &tasks[0], "deposit_a", deposit, &a);
    coop_spawn(&loop, &tasks[1], "deposit_b", deposit, &b);
    coop_run(&loop, 0);

    coop_print_timeline(&loop, stdout);
    long expected = START + a.amount + b.amount;
    rl_result("balance=%ld expected=%ld dispatches=%lu", balance, expected, loop.dispatches);
    return balance == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
