/* process_counter -- WORKERS forked processes do counter = counter + 1 on one long in a
 * MAP_SHARED mapping. The race is shared_counter's, but between processes: no detector here
 * sees across a process boundary, so every detector row is a blind spot. The variants differ
 * only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...) or the FIX: diff -u
 * unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "racelab/fixtures.h"

enum { WORKERS = 2, ITERS = 1000 };
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2, "only a lock-free atomic works across processes");

struct shared {
    pthread_barrier_t gate; /* start gate, process-shared, so the increments overlap */
    _Atomic long counter;   /* FIX: every access is atomic */
};
static struct shared *sh; /* one mapping: the same physical page in every process */

static _Noreturn void worker(void)
{
    pthread_barrier_wait(&sh->gate);
    for (int i = 0; i < ITERS; i++) {
        atomic_fetch_add(&sh->counter, 1); /* FIX: one indivisible read-modify-write */
    }
    _exit(0); /* not exit(): a child must not flush the parent's stdio buffers */
}

static void *nothing(void *arg)
{
    return arg;
}

/* DIAGNOSTIC, never a verdict: microseconds to start and reap WORKERS empty processes (or
 * threads). Setting up a process costs more than a thread: small work may not repay it. */
static long start_cost_us(int processes)
{
    pthread_t threads[WORKERS];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < WORKERS; i++) {
        if (!processes)
            pthread_create(&threads[i], NULL, nothing, NULL);
        else if (fork() == 0)
            _exit(0);
    }
    for (int i = 0; i < WORKERS; i++)
        processes ? (void)wait(NULL) : (void)pthread_join(threads[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000L;
}

int main(void)
{
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_barrierattr_t gate_attr;
    pthread_barrierattr_init(&gate_attr);
    pthread_barrierattr_setpshared(&gate_attr, PTHREAD_PROCESS_SHARED);
    pthread_barrier_init(&sh->gate, &gate_attr, WORKERS);

    pid_t pids[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        if ((pids[i] = fork()) == 0)
            worker(); /* the child runs the worker and exits */
    for (int i = 0; i < WORKERS; i++) {
        int st;
        if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            abort(); /* a worker failed: no verdict on the count (the harness sees a crash) */
    }

    long expected = (long)WORKERS * ITERS;
    long process_us = start_cost_us(1), thread_us = start_cost_us(0);
    rl_result("counter=%ld expected=%ld process_start_us=%ld thread_start_us=%ld", sh->counter,
              expected, process_us, thread_us);
    return sh->counter == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
