/* condvar_wakeup/unsafe_if.c -- a waiter checks the predicate `go` with an `if`, before it
 * takes the lock, then waits on the condition variable. Between the check and the wait, main
 * sets go and broadcasts: nobody is waiting yet, so the broadcast is lost and the waiter,
 * having already decided to wait, waits forever. The turnstile puts the broadcast in that
 * window on every run; the watchdog ends the program (exit 30). */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { WATCHDOG_MS = 10 };

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER; /* broadcast when go becomes 1 */
static int go;                                         /* the predicate, written under lock */
static int woken;                                      /* waiters past their wait */

static void *waiter(void *arg)
{
    (void)arg;
    if (!go) {                   /* RACE: go read without lock; checked once, with if */
        rl_turn_next(&turns);    /* step 0: decided to wait, not waiting yet */
        rl_turn_wait(&turns, 2); /* step 2: main has set go and broadcast meanwhile */
        pthread_mutex_lock(&lock);
        rl_progress("waiter_waits");
        pthread_cond_wait(&cond, &lock); /* the broadcast is gone: nothing will wake this */
        pthread_mutex_unlock(&lock);
    }
    woken = 1;
    rl_progress("waiter_woken");
    return NULL;
}

static void broadcast_go(void)
{
    pthread_mutex_lock(&lock);
    go = 1;
    pthread_cond_broadcast(&cond); /* nobody is waiting: wakes nobody */
    pthread_mutex_unlock(&lock);
    rl_progress("broadcast_sent");
}

int main(void)
{
    pthread_t thread;
    /* A lost wakeup blocks forever: the watchdog ends it (exit 30) after WATCHDOG_MS x the
     * tool's slowdown without progress (never sooner than the fixture's 250 ms floor). */
    rl_watchdog_start(WATCHDOG_MS);
    rl_turn_init(&turns);
    pthread_create(&thread, NULL, waiter, NULL);

    rl_turn_wait(&turns, 1); /* step 1: the waiter has checked go but does not wait yet */
    broadcast_go();
    rl_turn_next(&turns); /* step 2: the waiter goes on to wait */
    pthread_join(thread, NULL);
    rl_result("woken=%d waiters=1", woken);
    return woken == 1 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
