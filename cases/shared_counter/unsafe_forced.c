/* shared_counter/unsafe_forced.c -- the race of unsafe.c with its bad interleaving forced.
 * A turnstile (invisible to every detector: it creates no happens-before) makes both
 * threads read counter before either writes it back, so one update is lost on every run
 * under every tool: counter ends at 1, not 2. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { THREADS = 2 };

static rl_turnstile turns; /* step k is due when turns == k */
long counter;              /* shared by every worker */

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    rl_turn_wait(&turns, me); /* steps 0, 1: each thread reads */
    long v = counter;         /* RACE: both threads read the same old value */
    rl_turn_next(&turns);
    rl_turn_wait(&turns, THREADS + me); /* steps 2, 3: each thread writes */
    counter = v + 1;                    /* RACE: the second write overwrites the first */
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
    rl_result("counter=%ld expected=%ld", counter, expected);
    return counter == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
