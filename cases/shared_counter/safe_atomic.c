/* shared_counter -- THREADS threads each add ITERS to one shared counter. The variants
 * differ only in how they increment it: see the RACE and FIX comments. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { THREADS = 4, ITERS = 1000 };

static rl_gate gate;
_Atomic long counter; /* FIX: every access is atomic */

static void *worker(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate); /* all workers start together, so their increments overlap */
    for (int i = 0; i < ITERS; i++) {
        atomic_fetch_add(&counter, 1); /* FIX: one indivisible read-modify-write */
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    rl_gate_init(&gate, THREADS);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    rl_gate_destroy(&gate);

    long expected = (long)THREADS * ITERS;
    rl_result("counter=%ld expected=%ld", counter, expected);
    return counter == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
