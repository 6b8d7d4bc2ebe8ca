/* cancel_holding_lock -- main stops a worker that holds a mutex, then takes the mutex itself.
 * The worker pushes a cleanup handler that unlocks it, one line after taking the lock; the
 * turnstile makes main stop the worker between the two. unsafe.c cancels it asynchronously,
 * unsafe_signal.c sends it SIGTERM, safe_deferred.c cancels it at a cancellation point. Each
 * differs from safe_deferred.c only in the line marked CANCEL or SIGNAL; README.md has the
 * lesson. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { WATCHDOG_MS = 10 };

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long jobs; /* guarded by lock */

static void unlock_it(void *m)
{
    pthread_mutex_unlock(m);
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL); /* CANCEL: at any instruction */
    pthread_mutex_lock(&lock);
    rl_progress("worker holds the lock");
    rl_turn_next(&turns);    /* step 1: main stops the worker now */
    rl_turn_wait(&turns, 2); /* step 2: the request is on its way */
    pthread_cleanup_push(unlock_it, &lock);
    pthread_testcancel(); /* a cancellation point, with the cleanup in place */
    jobs++;
    pthread_cleanup_pop(1);
    return NULL;
}

int main(void)
{
    pthread_t w;
    rl_watchdog_start(WATCHDOG_MS);
    rl_turn_init(&turns);
    pthread_create(&w, NULL, worker, NULL);
    rl_turn_wait(&turns, 1);
    pthread_cancel(w); /* stop the worker */
    rl_turn_next(&turns);
    pthread_join(w, NULL);
    rl_progress("worker stopped");
    pthread_mutex_lock(&lock); /* shutting down: the last look at the jobs */
    long done = jobs;
    pthread_mutex_unlock(&lock);

    rl_result("jobs=%ld", done);
    return RL_EXIT_OK;
}
