/* tls_escape -- a worker hands the address of its _Thread_local counter to a collector thread,
 * which drains it. The variants differ only in the lines whose comment names the hazard
 * (RACE:, DEADLOCK:, ...) or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the
 * lesson. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { ITERS = 100, BATCH = 10 };

static rl_gate gate;               /* the worker and the collector start together */
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
    rl_gate_wait(&gate); /* start together with the worker, so drains overlap its counting */
    for (int i = 0; i < ITERS / BATCH; i++)
        drain(arg);
    return NULL;
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_t c;
    pthread_create(&c, NULL, collector, &pending); /* RACE: the thread-local's address escapes */
    rl_gate_wait(&gate);
    for (int i = 0; i < ITERS; i++) {
        pending = pending + 1; /* RACE: "my own counter": no lock, but the collector writes it */
    }
    pthread_join(c, NULL);
    drain(&pending); /* the collector has stopped: collect what is left */
    return NULL;
}

int main(void)
{
    pthread_t w;
    rl_gate_init(&gate, 2);
    pthread_create(&w, NULL, worker, NULL);
    pthread_join(w, NULL);
    rl_gate_destroy(&gate);

    rl_result("collected=%ld expected=%ld", collected, (long)ITERS);
    return collected == ITERS ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
