/* async_lost_update -- two tasks on one event loop read a balance, await, and write it back.
 * The variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...)
 * or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <stdio.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

enum { START = 100, TIMELINE = 8 };

long balance = START; /* shared by both deposits */

static int ledger_locked;      /* FIX: the lock: held from a deposit's read to its write */
static coop_event ledger_free; /* FIX: set on release; cleared whenever the lock is taken */

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
        if (ledger_locked && !coop_wait(loop, &ledger_free))
            return COOP_WAIT; /* FIX: the lock is held: await its release, then try again */
        ledger_locked = 1;    /* FIX: take the lock before reading */
        ledger_free.set = 0;
        d->v = balance; /* read under the lock: no other deposit can read until we write */
        d->resumed = 1;
        return COOP_YIELD; /* await the ledger: the loop runs the other task meanwhile */
    }
    balance = d->v + d->amount; /* still under the lock: nobody read since our read */
    ledger_locked = 0;          /* FIX: release the lock and wake the deposit waiting for it */
    coop_set(loop, &ledger_free);
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
