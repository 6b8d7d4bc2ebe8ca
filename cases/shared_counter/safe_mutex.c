/* shared_counter -- THREADS threads each add ITERS to one shared counter. The variants
 * differ only in how they increment it: see the RACE and FIX comments. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { THREADS = 4, ITERS = 1000 };

static rl_gate gate;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER; /* FIX: guards counter */
long counter;                                                    /* shared by every worker */

static void *worker(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate); /* all workers start together, so their increments overlap */
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&counter_lock); /* FIX: the read-modify-write is a critical section */
        counter = counter + 1;
        pthread_mutex_unlock(&counter_lock);
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
