/* foreign_unlock -- main hands a job to a worker and waits for it to finish. The waiting is
 * done by a lock that main takes and the worker gives back: main locks it twice, and the
 * worker's unlock lets the second lock through. The variants differ only in that lock:
 * diff -u unsafe.c safe_semaphore.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#include "racelab/fixtures.h"

static sem_t done; /* FIX: a semaphore has no owner: any thread may post it */
static long answer; /* written by the worker, read by main once the job is done */

static void *worker(void *arg)
{
    (void)arg;
    answer = 42;
    sem_post(&done); /* FIX: posting is how a semaphore signals another thread */
    return NULL;
}

int main(void)
{
    pthread_t thread;
    sem_init(&done, 0, 0); /* FIX: the job is not done yet */
    pthread_create(&thread, NULL, worker, NULL);
    sem_wait(&done); /* wait until the worker has posted it */
    long seen = answer;
    sem_destroy(&done);
    pthread_join(thread, NULL);

    rl_result("answer=%ld expected=42", seen);
    return seen == 42 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
