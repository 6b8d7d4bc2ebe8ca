/* dangling_local -- start_job() describes a job and starts a thread to run it, then returns;
 * main goes on with other work. The turnstile makes the thread read its job only once main's
 * next call is running in the stack memory start_job() used. The variants differ only in
 * where the job lives: diff -u unsafe.c safe_heap.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "racelab/fixtures.h"

static rl_turnstile turns; /* step k is due when turns == k */
static int job_seen;       /* the job id the thread read */

struct job {
    int id;
};

static void *run_job(void *arg)
{
    struct job *job = arg;
    rl_turn_wait(&turns, 1); /* step 1: start_job has returned, other_work is running */
    job_seen = job->id;
    free(job); /* FIX: the thread owns its job and ends its lifetime */
    rl_turn_next(&turns);
    return NULL;
}

static __attribute__((noinline)) pthread_t start_job(int id)
{
    pthread_t thread;
    struct job *job = malloc(sizeof *job); /* FIX: lives until the thread frees it */
    job->id = id;
    pthread_create(&thread, NULL, run_job, job);
    return thread;
}

/* Any call after start_job returns reuses its stack; this one fills it, so it shows. */
static __attribute__((noinline)) void other_work(void)
{
    int scratch[128];
    for (unsigned i = 0; i < sizeof scratch / sizeof scratch[0]; i++)
        scratch[i] = -1;
    __asm__ volatile("" : : "r"(scratch) : "memory"); /* keep the stores: scratch is read nowhere */
    rl_turn_next(&turns);    /* step 0: scratch is written */
    rl_turn_wait(&turns, 2); /* step 2: the thread has read its job */
}

int main(void)
{
    rl_turn_init(&turns);
    pthread_t thread = start_job(7);
    other_work();
    pthread_join(thread, NULL);

    rl_result("job=%d expected=7", job_seen);
    return job_seen == 7 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
