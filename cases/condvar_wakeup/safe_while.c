/* condvar_wakeup -- waiters wait on a condition variable for main's "go" broadcast; the
 * turnstile makes one of them arrive after it. A broadcast nobody waits for is forgotten: only
 * a predicate, checked under the lock, remembers it. A lost wakeup hangs; the watchdog ends it
 * (exit 30). The variants differ only in the lines whose comment names the hazard (RACE:,
 * DEADLOCK:, ...) or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { EARLY, LATE, WAITERS, WATCHDOG_MS = 10 };

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER; /* broadcast when go becomes 1 */
static int go;                                         /* the predicate, guarded by lock */
static int woken;                                      /* waiters past their wait */

static void *waiter(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    rl_turn_wait(&turns, me == EARLY ? 0 : 2); /* early: before the broadcast; late: after */
    pthread_mutex_lock(&lock);
    rl_turn_next(&turns); /* main may lock once this waiter has released lock in the wait */
    rl_progress(me == EARLY ? "early_waiter_waits" : "late_waiter_waits");
    while (!go) /* FIX: wait only while the predicate is false; re-check after each wakeup */
        pthread_cond_wait(&cond, &lock);
    woken++;
    pthread_mutex_unlock(&lock);
    rl_progress(me == EARLY ? "early_waiter_woken" : "late_waiter_woken");
    return NULL;
}

static void broadcast_go(void)
{
    pthread_mutex_lock(&lock); /* granted only once the early waiter waits */
    go = 1;
    pthread_cond_broadcast(&cond); /* wakes the early waiter; the late one is not waiting yet */
    pthread_mutex_unlock(&lock);
    rl_progress("broadcast_sent");
}

int main(void)
{
    pthread_t threads[WAITERS];
    /* A lost wakeup blocks forever: the watchdog ends it (exit 30) after WATCHDOG_MS x the
     * tool's slowdown without progress (never sooner than the fixture's 250 ms floor). */
    rl_watchdog_start(WATCHDOG_MS);
    rl_turn_init(&turns);
    for (int i = 0; i < WAITERS; i++)
        pthread_create(&threads[i], NULL, waiter, (void *)(uintptr_t)i);

    rl_turn_wait(&turns, 1); /* step 1: the early waiter holds lock, about to wait */
    broadcast_go();
    pthread_join(threads[EARLY], NULL); /* the early waiter was woken and has finished */
    rl_turn_next(&turns);               /* step 2: now the late waiter comes */
    pthread_join(threads[LATE], NULL);
    rl_result("woken=%d waiters=%d", woken, WAITERS);
    return woken == WAITERS ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
