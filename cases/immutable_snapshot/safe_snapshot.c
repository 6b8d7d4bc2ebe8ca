/* immutable_snapshot -- one writer updates config {version, a, b} (invariant b == 2 * a) while
 * READERS readers read it. The variants differ only in the lines whose comment names the
 * hazard (RACE:, DEADLOCK:, ...) or the FIX: diff -u unsafe.c safe_*.c shows them; README.md
 * has the lesson. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "racelab/fixtures.h"

enum { READERS = 2, UPDATES = 20, READS = 20 };

struct config {
    long version;
    long a, b; /* invariant: a == version, b == 2 * version */
};

static rl_gate gate;
static rl_turnstile first; /* step 1: the writer's first update is out (seen by no detector) */
static long torn[READERS]; /* per reader: reads that broke the invariant */
static struct config config;
struct config *_Atomic current = &config; /* FIX: readers load a whole, published snapshot */
static struct config *snapshots[UPDATES]; /* FIX: freed once no reader can hold one */

static void *writer(void *arg)
{
    (void)arg;
    rl_gate_wait(&gate); /* start together with the readers, so updates and reads overlap */
    for (long v = 1; v <= UPDATES; v++) {
        struct config *c = malloc(sizeof *c); /* FIX: a new snapshot, private until published */
        if (c == NULL)
            abort();
        c->version = v;
        c->a = v;     /* no reader can see c yet, ... */
        c->b = 2 * v; /* ... so none can see it half-written */
        snapshots[v - 1] = c;
        atomic_store_explicit(&current, c, memory_order_release); /* FIX: publish it whole */
        if (v == 1)
            rl_turn_next(&first); /* the readers may start: there is an update to read */
        sched_yield();
    }
    return NULL;
}

static void *reader(void *arg)
{
    uintptr_t me = (uintptr_t)arg;
    rl_gate_wait(&gate);
    rl_turn_wait(&first, 1); /* not before the first update: else a busy machine may let a
                                reader finish before the writer ever runs, leaving no race */
    for (int i = 0; i < READS; i++) {
        const struct config *c = atomic_load_explicit(&current, memory_order_acquire); /* FIX */
        long v = c->version, a = c->a, b = c->b; /* a published snapshot never changes */
        if (a != v || b != 2 * v)
            torn[me]++;
        sched_yield(); /* Valgrind runs one thread at a time: let the others run */
    }
    return NULL;
}

int main(void)
{
    pthread_t w, r[READERS];
    rl_gate_init(&gate, READERS + 1);
    rl_turn_init(&first);
    for (uintptr_t i = 0; i < READERS; i++)
        pthread_create(&r[i], NULL, reader, (void *)i);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    for (int v = 0; v < UPDATES; v++)
        free(snapshots[v]); /* FIX: every reader is joined, so none can hold a snapshot now */
    rl_gate_destroy(&gate);

    long bad = 0;
    for (int i = 0; i < READERS; i++)
        bad += torn[i];
    rl_result("torn_reads=%ld reads=%d", bad, READERS * READS);
    return bad == 0 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
