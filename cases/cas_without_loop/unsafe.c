/* cas_without_loop -- two threads each add one to an _Atomic total with a compare-and-swap:
 * read the total, then swap in total + 1 if nobody changed it meanwhile. A turnstile
 * (invisible to every detector) makes both threads read before either swaps, so the second
 * swap fails on every run (and unsafe.c gives up). The variants differ only in the line marked
 * ATOMICITY or FIX: diff -u unsafe.c safe_retry_loop.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { THREADS = 2 };

static rl_turnstile turns; /* step k is due when turns == k */
_Atomic long total;        /* every access to it is atomic */

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    rl_turn_wait(&turns, me); /* steps 0, 1: each thread reads */
    long seen = atomic_load(&total);
    rl_turn_next(&turns);
    /* steps 2, 3: each thread swaps */
    rl_turn_wait(&turns, THREADS + me);
    atomic_compare_exchange_weak(&total, &seen, seen + 1); /* ATOMICITY: a failure is dropped */
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
    rl_result("total=%ld expected=%ld", (long)total, expected);
    return total == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
