/* tls_scratch_buffer -- THREADS threads call fmt_id(), which formats into one static buffer
 * and returns a pointer to it. The variants differ only in the lines whose comment names the
 * hazard (RACE:, DEADLOCK:, ...) or the FIX: diff -u unsafe.c safe_*.c shows them; README.md
 * has the lesson. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racelab/fixtures.h"

enum { THREADS = 4, ITERS = 100, BUF_LEN = 16 };

static rl_gate gate;
static long mismatches[THREADS]; /* each worker counts its own; main adds them up */
static pthread_key_t buf_key;    /* FIX: a key under which each thread keeps its own buffer */

/* Formats "id=<id>" and returns the text. Not reentrant: each call overwrites the last text. */
static const char *fmt_id(int id)
{
    char *buf = pthread_getspecific(buf_key); /* FIX: this thread's buffer, or NULL at first */
    if (buf == NULL) {                        /* first call in this thread: make its buffer */
        buf = malloc(BUF_LEN);
        if (buf == NULL || pthread_setspecific(buf_key, buf) != 0)
            abort();
    }
    strcpy(buf, "id=?");
    buf[3] = (char)('0' + id); /* ids are single digits */
    return buf;
}

static void *worker(void *arg)
{
    int me = (int)(uintptr_t)arg;
    rl_gate_wait(&gate); /* all workers start together, so their calls overlap */
    for (int i = 0; i < ITERS; i++) {
        const char *s = fmt_id(me);
        if (atoi(s + 3) != me) /* the text must name this thread */
            mismatches[me]++;
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    rl_gate_init(&gate, THREADS);
    pthread_key_create(&buf_key, free); /* FIX: free() runs on each thread's buffer at its exit */
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    rl_gate_destroy(&gate);
    pthread_key_delete(buf_key);

    long total = 0;
    for (int i = 0; i < THREADS; i++)
        total += mismatches[i];
    rl_result("mismatches=%ld calls=%ld", total, (long)THREADS * ITERS);
    return total == 0 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
