/* message_passing/unsafe_relaxed.c -- unsafe.c with the flag made a relaxed atomic. The flag
 * itself no longer races, but a relaxed store and load order nothing else: the payload is still
 * a data race, and the consumer may still read a stale payload. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { PAYLOAD = 42, MAX_SPINS = 1000000 };

static rl_gate gate;
long payload;          /* the message: a long fills a whole 8-byte TSan shadow cell */
atomic_int ready;      /* the flag: 1 once payload is written; atomic, so the flag cannot race */
static long seen = -1; /* the payload the consumer read; -1 if it never saw the flag */

static void *producer(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate); /* start together with the consumer */
    payload = PAYLOAD;   /* RACE: the consumer reads it with nothing ordering the two */
    atomic_store_explicit(&ready, 1, memory_order_relaxed); /* relaxed: publishes nothing */
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate);
    for (long spins = 0; spins < MAX_SPINS; spins++) {
        if (atomic_load_explicit(&ready, memory_order_relaxed)) { /* relaxed: orders nothing */
            seen = payload; /* RACE: seeing the flag does not order this read after the write */
            break;
        }
        sched_yield(); /* Valgrind runs one thread at a time: let the producer run */
    }
    return NULL;
}

int main(void)
{
    pthread_t prod, cons;
    rl_gate_init(&gate, 2);
    pthread_create(&cons, NULL, consumer, NULL);
    pthread_create(&prod, NULL, producer, NULL);
    pthread_join(prod, NULL);
    pthread_join(cons, NULL);
    rl_gate_destroy(&gate);

    rl_result("payload=%ld expected=%d", seen, PAYLOAD);
    if (seen < 0)
        return RL_EXIT_WATCHDOG; /* the flag never came: no progress */
    return seen == PAYLOAD ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
