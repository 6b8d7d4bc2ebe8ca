/* destroy_locked_mutex -- a worker does its job under a mutex while main tears the program
 * down. A turnstile (invisible to every detector) makes main reach its teardown while the
 * worker holds the lock. The variants differ only in where main destroys the mutex: diff -u
 * unsafe.c safe_join_first.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "racelab/fixtures.h"

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t guard = PTHREAD_MUTEX_INITIALIZER;
static long jobs; /* guarded by guard */

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&guard);
    jobs++;
    rl_turn_next(&turns);    /* step 0: the lock is held */
    rl_turn_wait(&turns, 2); /* step 2: main has reached its teardown */
    pthread_mutex_unlock(&guard);
    return NULL;
}

int main(void)
{
    pthread_t thread;
    int destroyed;
    rl_turn_init(&turns);
    pthread_create(&thread, NULL, worker, NULL);
    /* step 1: the worker holds guard */
    rl_turn_wait(&turns, 1);
    rl_turn_next(&turns);
    pthread_join(thread, NULL);
    destroyed = pthread_mutex_destroy(&guard); /* FIX: after the last thread that uses it */

    rl_result("jobs=%ld destroy=%s", jobs, destroyed == 0 ? "0" : strerror(destroyed));
    return RL_EXIT_OK;
}
