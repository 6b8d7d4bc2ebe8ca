/* message_passing -- a producer writes payload, then sets the flag ready; a consumer waits for
 * ready, then reads payload. The variants differ only in the lines whose comment names the
 * hazard (RACE:, DEADLOCK:, ...) or the FIX: diff -u unsafe.c safe_*.c shows them; README.md
 * has the lesson. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { PAYLOAD = 42, MAX_SPINS = 1000000 };

static rl_gate gate;
long payload;          /* the message: a long fills a whole 8-byte TSan shadow cell */
atomic_int ready;      /* FIX: the flag is atomic, and carries the ordering */
static long seen = -1; /* the payload the consumer read; -1 if it never saw the flag */

static void *producer(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate); /* start together with the consumer */
    payload = PAYLOAD;   /* happens-before the release store below */
    atomic_store_explicit(&ready, 1, memory_order_release); /* FIX: publishes the payload */
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate);
    for (long spins = 0; spins < MAX_SPINS; spins++) {
        if (atomic_load_explicit(&ready, memory_order_acquire)) { /* FIX: synchronises-with */
            seen = payload; /* ordered after the producer's write by the acquire load */
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
