/* bench/scaling.c -- one fixed amount of work, split among WORKERS, five ways:
 *
 *   cpu-threads  UNITS units of arithmetic on WORKERS threads
 *   cpu-procs    the same on WORKERS forked processes; the set-up (fork, exit and wait of
 *                WORKERS processes that do nothing) is measured apart, first
 *   cpu-loop     the same as WORKERS tasks on the cooperative loop (fixtures/coop), one
 *                thread, each task yielding after every unit
 *   io-threads   UNITS waits of WAIT_MS (a sleep stands for a reply from a disk or a peer)
 *                on WORKERS threads
 *   io-loop      the same waits as WORKERS tasks on the loop: a task arms a timer and awaits
 *                it; when no task is ready the loop sleeps until the next timer is due, as
 *                asyncio's selector does
 *
 * usage: racelab-scaling MODE WORKERS [UNITS]   (UNITS: 64 by default)
 * It prints one line, "racelab-bench: mode=M workers=W units=U seconds=S setup=T": S is the
 * wall time from before the first worker starts to after the last one ends, T the set-up
 * cost (cpu-procs only, else 0). `racelab bench` runs it and takes the medians. A
 * measurement, never a test: nothing here passes or fails on a time. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "racelab/coop.h"
#include "racelab/protocol.h"

enum { SPIN_PER_UNIT = 2000000, WAIT_MS = 2, MAX_WORKERS = 16 };

static long units_each;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One unit of CPU-bound work: arithmetic the compiler cannot drop (the result is kept). */
static unsigned long cpu_unit(unsigned long x)
{
    for (long i = 0; i < SPIN_PER_UNIT; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    return x;
}

/* One unit of I/O-bound work: a wait, during which the CPU is free. */
static void io_unit(void)
{
    struct timespec t = {0, WAIT_MS * 1000000L};
    nanosleep(&t, NULL);
}

static volatile unsigned long sink; /* where results go, so the work stays */

static void *cpu_worker(void *arg)
{
    unsigned long x = (unsigned long)(size_t)arg;
    for (long u = 0; u < units_each; u++)
        x = cpu_unit(x);
    return (void *)(size_t)x;
}

static void *io_worker(void *arg)
{
    for (long u = 0; u < units_each; u++)
        io_unit();
    return arg;
}

static void on_threads(int workers, void *(*fn)(void *))
{
    pthread_t t[MAX_WORKERS];
    for (int i = 0; i < workers; i++)
        pthread_create(&t[i], NULL, fn, (void *)(size_t)(i + 1));
    for (int i = 0; i < workers; i++) {
        void *r;
        pthread_join(t[i], &r);
        sink += (unsigned long)(size_t)r;
    }
}

/* workers processes, each running cpu_worker (or nothing when !work), then all waited for. */
static void on_processes(int workers, int work)
{
    for (int i = 0; i < workers; i++)
        if (fork() == 0)
            _exit(work ? (int)((size_t)cpu_worker((void *)(size_t)(i + 1)) & 1) : 0);
    while (wait(NULL) > 0)
        ;
}

/* The loop's tasks: a count of units left, and for io-loop the timer each awaits. */
struct task {
    long left;
    double due; /* io-loop: when its wait ends; 0 when no wait is armed */
    coop_event timer;
    unsigned long x;
};
static struct task tasks[MAX_WORKERS];

static coop_status cpu_step(coop_loop *loop, void *state)
{
    struct task *t = state;
    t->x = cpu_unit(t->x);
    coop_work(loop, 1);
    return --t->left > 0 ? COOP_YIELD : COOP_DONE;
}

static coop_status io_step(coop_loop *loop, void *state)
{
    struct task *t = state;
    if (t->due != 0) { /* woken: its wait is over */
        t->due = 0;
        if (--t->left == 0)
            return COOP_DONE;
    }
    t->due = now_s() + WAIT_MS / 1000.0;
    t->timer.set = 0;
    return coop_wait(loop, &t->timer) ? COOP_YIELD : COOP_WAIT;
}

static void on_loop(int workers, int io)
{
    coop_loop loop;
    coop_task ct[MAX_WORKERS];
    coop_init(&loop, (unsigned long)-1, 0); /* no slow-step verdict: this measures time */
    for (int i = 0; i < workers; i++) {
        tasks[i] = (struct task){.left = units_each, .x = (unsigned long)i + 1};
        coop_spawn(&loop, &ct[i], "worker", io ? io_step : cpu_step, &tasks[i]);
    }
    while (coop_run(&loop, 0) > 0) { /* nothing ready: sleep until the first timer is due */
        double first = 0;
        for (int i = 0; i < workers; i++)
            if (tasks[i].due != 0 && (first == 0 || tasks[i].due < first))
                first = tasks[i].due;
        double wait = first - now_s();
        if (wait > 0) {
            struct timespec t = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
            nanosleep(&t, NULL);
        }
        for (int i = 0; i < workers; i++)
            if (tasks[i].due != 0 && tasks[i].due <= now_s())
                coop_set(&loop, &tasks[i].timer);
    }
    for (int i = 0; i < workers; i++)
        sink += tasks[i].x;
}

int main(int argc, char **argv)
{
    static const char *const modes[] = {"cpu-threads", "cpu-procs", "cpu-loop", "io-threads",
                                        "io-loop"};
    int mode = -1;
    for (int i = 0; argc >= 3 && i < 5; i++)
        if (strcmp(argv[1], modes[i]) == 0)
            mode = i;
    int workers = argc >= 3 ? atoi(argv[2]) : 0;
    long units = argc >= 4 ? atol(argv[3]) : 64;
    if (mode < 0 || workers < 1 || workers > MAX_WORKERS || units < 1 || units % workers) {
        fprintf(stderr, "usage: racelab-scaling cpu-threads|cpu-procs|cpu-loop|io-threads|"
                        "io-loop WORKERS(1-%d) [UNITS, a multiple of WORKERS]\n",
                MAX_WORKERS);
        return 2;
    }
    units_each = units / workers;
    double setup = 0;
    if (mode == 1) {
        double t0 = now_s();
        on_processes(workers, 0);
        setup = now_s() - t0;
    }
    double t0 = now_s();
    switch (mode) {
    case 0: on_threads(workers, cpu_worker); break;
    case 1: on_processes(workers, 1); break;
    case 2: on_loop(workers, 0); break;
    case 3: on_threads(workers, io_worker); break;
    default: on_loop(workers, 1); break;
    }
    double seconds = now_s() - t0;
    printf("%s mode=%s workers=%d units=%ld seconds=%.6f setup=%.6f\n", RL_PROTO_BENCH,
           modes[mode], workers, units, seconds, setup);
    return 0;
}
