/* tls_scratch_buffer/unsafe_forced.c -- the race of unsafe.c with its bad interleaving forced.
 * A turnstile (invisible to every detector: it creates no happens-before) makes thread 1
 * format its id between thread 0's format and thread 0's read, so thread 0 reads back
 * "id=1" on every run under every tool. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racelab/fixtures.h"

enum { THREADS = 2, BUF_LEN = 16 };

static rl_turnstile turns;       /* step k is due when turns == k */
static long mismatches[THREADS]; /* each worker counts its own; main adds them up */

/* Formats "id=<id>" and returns the text. Not reentrant: each call overwrites the last text. */
static const char *fmt_id(int id)
{
    static char buf[BUF_LEN]; /* RACE: one buffer for every thread, written and read unlocked */
    strcpy(buf, "id=?");
    buf[3] = (char)('0' + id); /* ids are single digits */
    return buf;
}

static void *worker(void *arg)
{
    int me = (int)(uintptr_t)arg;
    rl_turn_wait(&turns, me); /* steps 0, 1: each thread formats its id */
    const char *s = fmt_id(me);
    rl_turn_next(&turns);
    rl_turn_wait(&turns, THREADS + me); /* steps 2, 3: each thread reads its text back */
    if (atoi(s + 3) != me)              /* thread 0 finds thread 1's id */
        mismatches[me]++;
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

    long total = 0;
    for (int i = 0; i < THREADS; i++)
        total += mismatches[i];
    rl_result("mismatches=%ld calls=%ld", total, (long)THREADS);
    return total == 0 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
