/* process_counter/unsafe_forced.c -- the race of unsafe.c with its bad interleaving forced.
 * A turnstile in the shared mapping (a lock-free atomic works across processes) makes both
 * processes read counter before either writes it back, so one update is lost on every run
 * under every tool: counter ends at 1, not 2. No detector sees the race. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "racelab/fixtures.h"

enum { WORKERS = 2 };
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a turnstile shared by processes must be lock-free");

struct shared {
    rl_turnstile turns; /* step k is due when turns == k; one copy seen by every process */
    long counter;       /* shared by every worker process */
};
static struct shared *sh; /* one mapping: the same physical page in every process */

static _Noreturn void worker(unsigned me)
{
    rl_turn_wait(&sh->turns, me); /* steps 0, 1: each process reads */
    long v = sh->counter;         /* RACE: both processes read the same old value */
    rl_turn_next(&sh->turns);
    rl_turn_wait(&sh->turns, WORKERS + me); /* steps 2, 3: each process writes */
    sh->counter = v + 1;                    /* RACE: the second write overwrites the first */
    rl_turn_next(&sh->turns);
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
    rl_turn_init(&sh->turns);

    pid_t pids[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        if ((pids[i] = fork()) == 0)
            worker((unsigned)i); /* the child runs the worker and exits */
    for (int i = 0; i < WORKERS; i++) {
        int st;
        if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            abort(); /* a worker failed: no verdict on the count (the harness sees a crash) */
    }

    long expected = WORKERS;
    long process_us = start_cost_us(1), thread_us = start_cost_us(0);
    rl_result("counter=%ld expected=%ld process_start_us=%ld thread_start_us=%ld", sh->counter,
              expected, process_us, thread_us);
    return sh->counter == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
