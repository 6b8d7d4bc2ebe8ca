/* stack_local -- main passes the address of its local counter to THREADS threads, which
 * each add ITERS to it. The variants differ only in how they increment it: see the RACE
 * and FIX comments. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { THREADS = 4, ITERS = 1000 };

static rl_gate gate;

static void *worker(void *arg)
{
    long *counter = arg; /* main's local, reached through its address */
    rl_gate_wait(&gate); /* all workers start together, so their increments overlap */
    for (int i = 0; i < ITERS; i++) {
        *counter = *counter + 1; /* RACE: unsynchronised read-modify-write from every thread */
    }
    return NULL;
}

int main(void)
{
    long counter = 0; /* on main's stack, and shared by every worker */
    pthread_t threads[THREADS];
    rl_gate_init(&gate, THREADS);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, &counter);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    rl_gate_destroy(&gate);

    long expected = (long)THREADS * ITERS;
    rl_result("counter=%ld expected=%ld", counter, expected);
    return counter == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
