/* bitfield_neighbours -- two threads each set their own flag of one struct, and no thread
 * touches the other's. The variants differ only in how the flags are declared: diff -u
 * unsafe.c safe_own_bytes.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { THREADS = 2 };

static rl_turnstile turns; /* thread 0 writes first, then thread 1: never at the same instant */
struct flags {
    unsigned ready : 1, done : 1; /* RACE: neighbouring bit-fields share one memory location */
} status;

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    rl_turn_wait(&turns, me);
    if (me == 0)
        status.ready = 1; /* only this thread writes ready */
    else
        status.done = 1; /* only this thread writes done */
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

    rl_result("ready=%u done=%u expected=1,1", (unsigned)status.ready, (unsigned)status.done);
    return status.ready && status.done ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
