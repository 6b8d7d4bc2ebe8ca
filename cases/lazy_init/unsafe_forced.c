/* lazy_init/unsafe_forced.c -- the broken double-checked locking of unsafe.c with its bad
 * outcome forced. create() stores the pointer before the fields, an order the compiler may
 * choose for unsafe.c (and a weakly ordered CPU may show); the turnstile (invisible to every
 * detector) lets thread 1 take the unlocked fast path in between, so it reads an object that
 * is not built yet, on every run under every tool. */
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

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER; /* for the slow path */

struct config *instance; /* built on first use */

static struct config *create(void)
{
    struct config *c = calloc(1, sizeof *c);
    instance = c;            /* RACE: the pointer is visible before the object is built */
    rl_turn_next(&turns);    /* step 1: thread 1 looks now */
    rl_turn_wait(&turns, 2); /* step 2: build it */
    c->ready = READY;        /* RACE: too late for thread 1, which already read it */
    creations++;
    return c;
}

static struct config *get_instance(void)
{
    struct config *c = instance; /* RACE: read without the lock, unordered with the store */
    if (c == NULL) {
        pthread_mutex_lock(&init_lock);
        c = instance;
        if (c == NULL) {
            c = create(); /* stores instance itself, before it builds the object */
        }
        pthread_mutex_unlock(&init_lock);
    }
    return c;
}

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    rl_turn_wait(&turns, me); /* thread 0 starts building; thread 1 looks half-way (step 1) */
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
