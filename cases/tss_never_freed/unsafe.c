/* tss_never_freed -- each worker gets a scratch buffer of its own through a pthread key,
 * made on first use; the buffer should go when its thread ends. The variants differ only in
 * the destructor given to pthread_key_create: diff -u unsafe.c safe_destructor.c shows it;
 * README.md has the lesson. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "racelab/fixtures.h"

enum { THREADS = 2, SCRATCH = 64 };

static pthread_key_t scratch_key;
static atomic_int made, released; /* buffers made, buffers freed by the destructor */

/* A destructor: at thread exit the thread library calls the key's, if it has one, with the
 * thread's value. Not static, so the variant that never registers it compiles without warning. */
void release_scratch(void *buf)
{
    free(buf);
    atomic_fetch_add(&released, 1);
}

static char *scratch(void)
{
    char *buf = pthread_getspecific(scratch_key);
    if (buf == NULL) {
        buf = malloc(SCRATCH);
        pthread_setspecific(scratch_key, buf);
        atomic_fetch_add(&made, 1);
    }
    return buf;
}

static void *worker(void *arg)
{
    snprintf(scratch(), SCRATCH, "worker %u", (unsigned)(uintptr_t)arg);
    return NULL; /* the thread ends with its buffer still in scratch_key */
}

int main(void)
{
    pthread_t threads[THREADS];
    pthread_key_create(&scratch_key, NULL); /* LEAK: no destructor, nobody frees the buffers */
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    pthread_key_delete(scratch_key);

    int m = atomic_load(&made), r = atomic_load(&released);
    rl_result("made=%d released=%d expected=%d,%d", m, r, THREADS, THREADS);
    return m == THREADS && r == THREADS ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
