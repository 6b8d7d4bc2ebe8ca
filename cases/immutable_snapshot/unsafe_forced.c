/* immutable_snapshot/unsafe_forced.c -- the race of unsafe.c with its bad interleaving forced.
 * A turnstile (invisible to every detector: it creates no happens-before) runs the reader
 * between the writer's writes of a and b, so the reader sees a torn config (version=1, a=1,
 * b=0) on every run under every tool. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

struct config {
    long version;
    long a, b; /* invariant: a == version, b == 2 * version */
};

static rl_turnstile turns; /* step k is due when turns == k */
static long torn;          /* reads that broke the invariant */
static struct config config;
struct config *current = &config; /* the config readers use: always config, changed in place */

static void *writer(void *arg)
{
    (void)arg;
    struct config *c = current; /* in place: the very config the reader is reading */
    rl_turn_wait(&turns, 0);    /* step 0: the writer starts an update */
    c->version = 1;
    c->a = 1; /* RACE: the reader reads between this write ... */
    rl_turn_next(&turns);
    rl_turn_wait(&turns, 2); /* step 2: the writer finishes the update */
    c->b = 2;                /* RACE: ... and this one, and sees a=1 with b=0 */
    rl_turn_next(&turns);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    rl_turn_wait(&turns, 1);          /* step 1: the reader reads, half-way through the update */
    const struct config *c = current; /* the config in use */
    long v = c->version, a = c->a, b = c->b; /* RACE: the writer is mid-update */
    if (a != v || b != 2 * v)
        torn++;
    rl_turn_next(&turns);
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    rl_turn_init(&turns);
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);

    rl_result("torn_reads=%ld reads=1", torn);
    return torn == 0 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
