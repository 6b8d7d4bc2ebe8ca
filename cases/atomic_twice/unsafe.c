/* atomic_twice -- two threads each add one to an _Atomic counter with hits = hits + 1. Both
 * accesses are atomic, so there is no data race, yet the expression is a load and a separate
 * store. A turnstile (invisible to every detector) stops each thread between the two, so in
 * unsafe.c both load 0 and both store 1 on every run. The variants differ only in the line
 * marked ATOMICITY or FIX: diff -u unsafe.c safe_fetch_add.c shows it; README.md has the
 * lesson. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { THREADS = 2 };

static rl_turnstile turns; /* step k is due when turns == k */
_Atomic long hits;         /* every access to it is atomic */

/* Passes `seen` through, holding the thread until every thread has had its first step. */
static long after_both_read(long seen, unsigned me)
{
    rl_turn_next(&turns);
    rl_turn_wait(&turns, THREADS + me); /* steps 2, 3: each thread finishes its expression */
    return seen;
}

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    /* steps 0, 1: each thread starts its expression */
    rl_turn_wait(&turns, me);
    hits = after_both_read(hits, me) + 1; /* ATOMICITY: an atomic load, then an atomic store */
    rl_turn_next(&turns);
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    rl_turn_init(&turns);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);

    long expected = THREADS;
    rl_result("hits=%ld expected=%ld", (long)hits, expected);
    return hits == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
