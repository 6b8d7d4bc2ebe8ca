/* tls_escape/unsafe_forced.c -- the race of unsafe.c with its bad interleaving forced. A
 * turnstile (invisible to every detector: it creates no happens-before) makes the collector
 * drain the worker's thread-local counter between the worker's read and write of its second
 * increment. The worker then writes back 2 over the drained 0, so its first unit is counted
 * twice: collected ends at 3 for 2 units, on every run under every tool. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { ITERS = 2 };

static rl_turnstile turns;         /* step k is due when turns == k */
static _Thread_local long pending; /* units this thread has counted and nobody has collected */
static long collected;             /* every unit drained so far */

/* Moves what *slot holds into collected. */
static void drain(long *slot)
{
    collected += *slot;
    *slot = 0; /* RACE: writes the worker's thread-local counter while the worker updates it */
}

static void *collector(void *arg)
{
    rl_turn_wait(&turns, 1); /* step 1: drain between the worker's read and its write */
    drain(arg);
    rl_turn_next(&turns);
    return NULL;
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_t c;
    pthread_create(&c, NULL, collector, &pending); /* RACE: the thread-local's address escapes */
    rl_turn_wait(&turns, 0); /* step 0: count one unit, then read the counter for the next */
    pending = pending + 1;
    long v = pending; /* RACE: reads 1; the collector is about to drain it */
    rl_turn_next(&turns);
    rl_turn_wait(&turns, 2); /* step 2: write back, over the drained 0 */
    pending = v + 1;         /* RACE: 2, though the collector already took the first unit */
    rl_turn_next(&turns);
    pthread_join(c, NULL);
    drain(&pending); /* the collector has stopped: collect what is left */
    return NULL;
}

int main(void)
{
    pthread_t w;
    rl_turn_init(&turns);
    pthread_create(&w, NULL, worker, NULL);
    pthread_join(w, NULL);

    rl_result("collected=%ld expected=%ld", collected, (long)ITERS);
    return collected == ITERS ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
