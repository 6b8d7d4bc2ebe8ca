/* foreign_unlock -- main hands a job to a worker and waits for it to finish. The waiting is
 * done by a lock that main takes and the worker gives back: main locks it twice, and the
 * worker's unlock lets the second lock through. The variants differ only in that lock:
 * diff -u unsafe.c safe_semaphore.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#include "racelab/fixtures.h"

static pthread_mutex_t done = PTHREAD_MUTEX_INITIALIZER; /* held while the job runs */
static long answer; /* written by the worker, read by main once the job is done */

static void *worker(void *arg)
{
    (void)arg;
    answer = 42;
    pthread_mutex_unlock(&done); /* MISUSE: main locked done; the worker does not own it */
    return NULL;
}

int main(void)
{
    pthread_t thread;
    pthread_mutex_lock(&done); /* the job is not done yet */
    pthread_create(&thread, NULL, worker, NULL);
    pthread_mutex_lock(&done); /* wait until the worker has unlocked it */
    long seen = answer;
    pthread_mutex_unlock(&done);
    pthread_join(thread, NULL);

    rl_result("answer=%ld expected=42", seen);
    return seen == 42 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
