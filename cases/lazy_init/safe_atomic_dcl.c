/* lazy_init -- two threads get one lazily built object through get_instance(). The variants
 * differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...) or the FIX:
 * diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "racelab/fixtures.h"

enum { THREADS = 2, READY = 42 };

struct config {
    int ready; /* READY once the object is built */
};

static rl_turnstile turns; /* step k is due when turns == k */
static int seen[THREADS];  /* what each thread read from the object */
int creations;             /* how often create() ran */

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER; /* for the slow path */

_Atomic(struct config *) instance; /* FIX: built on first use, published atomically */

static struct config *create(void)
{
    struct config *c = malloc(sizeof *c);
    c->ready = READY;
    creations++;
    return c;
}

static struct config *get_instance(void)
{
    struct config *c = atomic_load_explicit(&instance, memory_order_acquire); /* FIX */
    if (c == NULL) {
        pthread_mutex_lock(&init_lock);
        c = atomic_load_explicit(&instance, memory_order_relaxed); /* the lock orders it */
        if (c == NULL) {
            c = create();
            atomic_store_explicit(&instance, c, memory_order_release); /* FIX: with the fields */
        }
        pthread_mutex_unlock(&init_lock);
    }
    return c;
}

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    rl_turn_wait(&turns, me); /* thread 0 builds it; thread 1 takes the unlocked fast path */
    seen[me] = get_instance()->ready;
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

    int unbuilt = 0;
    for (int i = 0; i < THREADS; i++)
        unbuilt += seen[i] != READY;
    rl_result("creations=%d unbuilt=%d", creations, unbuilt);
    free(instance);
    return creations == 1 && unbuilt == 0 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
