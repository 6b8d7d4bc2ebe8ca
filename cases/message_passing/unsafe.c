/* message_passing -- a producer writes payload, then sets the flag ready; a consumer waits for
 * ready, then reads payload. The variants differ only in the lines whose comment names the
 * hazard (RACE:, DEADLOCK:, ...) or the FIX: diff -u unsafe.c safe_*.c shows them; README.md
 * has the lesson. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { PAYLOAD = 42, MAX_SPINS = 1000000 };

static rl_gate gate;
long payload;          /* the message: a long fills a whole 8-byte TSan shadow cell */
int ready;             /* the flag: 1 once payload is written */
static long seen = -1; /* the payload the consumer read; -1 if it never saw the flag */

static void *producer(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate); /* start together with the consumer */
    payload = PAYLOAD;   /* RACE: the consumer reads it with nothing ordering the two */
    ready = 1;           /* RACE: a plain store; the consumer reads it concurrently */
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate);
    for (long spins = 0; spins < MAX_SPINS; spins++) {
        if (ready) {        /* RACE: a plain load of the flag the producer is writing */
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
