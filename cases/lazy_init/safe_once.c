/* lazy_init -- two threads get one lazily built object through get_instance(). The variants
 * differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...) or the FIX:
 * diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <pthread.h>
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

static pthread_once_t once = PTHREAD_ONCE_INIT; /* FIX: replaces the lock and both checks */

struct config *instance; /* built on first use */

static struct config *create(void)
{
    struct config *c = malloc(sizeof *c);
    c->ready = READY;
    creations++;
    return c;
}

static void build(void)
{
    instance = create();
}

static struct config *get_instance(void)
{
    pthread_once(&once, build); /* FIX: returns after build() has run, in whichever thread */
    return instance;
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
