/* shared_counter -- THREADS threads (4) each add ITERS (1000) to one shared counter; both are
 * expect's param:s. The variants differ only in the increment: see the RACE and FIX comments. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "racelab/fixtures.h"

static long threads_n, iters; /* THREADS, ITERS: set once in main, before any worker */

static rl_gate gate;
_Atomic long counter; /* FIX: every access is atomic */

static void *worker(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate); /* all workers start together, so their increments overlap */
    for (long i = 0; i < iters; i++) {
        atomic_fetch_add(&counter, 1); /* FIX: one indivisible read-modify-write */
    }
    return NULL;
}

int main(void)
{
    threads_n = rl_param("THREADS", 4);
    iters = rl_param("ITERS", 1000);
    pthread_t threads[threads_n > 0 ? threads_n : 1];
    rl_gate_init(&gate, (unsigned)threads_n);
    for (long i = 0; i < threads_n; i++)
        pthread_create(&threads[i], NULL, worker, NULL);
    for (long i = 0; i < threads_n; i++)
        pthread_join(threads[i], NULL);
    rl_gate_destroy(&gate);

    long expected = threads_n * iters;
    rl_result("counter=%ld expected=%ld", counter, expected);
    return counter == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
