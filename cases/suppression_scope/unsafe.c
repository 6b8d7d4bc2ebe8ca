/* suppression_scope -- the main thread publishes a config through a C11 release/acquire
 * pointer; READERS readers follow it, and each counts the request it served in hits. The
 * publication is correct, and Helgrind and DRD flag it anyway: the case's suppress.supp
 * silences them in publish_config and read_config, and nowhere else. The variants differ only
 * in the lines whose comment names the hazard (RACE:) or the FIX: diff -u unsafe.c safe_*.c
 * shows them; README.md has the lesson. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "racelab/fixtures.h"

enum { READERS = 2 };

struct config {
    long limit;
};

static struct config *_Atomic current;
static long hits;                                /* requests served, by every reader */
static pthread_mutex_t hits_lock = PTHREAD_MUTEX_INITIALIZER;
/* Step 0: the main thread publishes; step 1 + i: reader i reads and counts. No update is
 * lost, and no happens-before is created: the detectors see what the code alone orders. */
static rl_turnstile turn;

/* Correct code that Helgrind and DRD flag: suppress.supp names these two functions. */
__attribute__((noinline)) static void publish_config(long limit)
{
    struct config *c = malloc(sizeof *c);
    if (c == NULL)
        abort();
    c->limit = limit;
    atomic_store_explicit(&current, c, memory_order_release);
}

__attribute__((noinline)) static long read_config(void)
{
    const struct config *c;
    while ((c = atomic_load_explicit(&current, memory_order_acquire)) == NULL)
        sched_yield();
    return c->limit;
}

__attribute__((noinline)) static void count_hit(void)
{
    (void)hits_lock;
    hits = hits + 1; /* RACE: two readers update hits with no lock held */
}

static void *reader(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    rl_turn_wait(&turn, 1 + me);
    long limit = read_config();
    count_hit();
    rl_turn_next(&turn);
    return (void *)(intptr_t)limit;
}

int main(void)
{
    pthread_t r[READERS];
    rl_turn_init(&turn);
    for (uintptr_t i = 0; i < READERS; i++)
        pthread_create(&r[i], NULL, reader, (void *)i);
    publish_config(42);
    rl_turn_next(&turn);
    long seen = 0;
    for (int i = 0; i < READERS; i++) {
        void *limit;
        pthread_join(r[i], &limit);
        seen += (intptr_t)limit == 42;
    }
    free(atomic_load_explicit(&current, memory_order_relaxed));
    rl_result("hits=%ld expected=%d configs_seen=%ld", hits, READERS, seen);
    return hits == READERS && seen == READERS ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
