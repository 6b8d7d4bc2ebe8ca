/* condvar_two_mutexes -- two waiters, each with its own flag and its own mutex, wait on one
 * condition variable; main sets both flags and broadcasts. The turnstile makes both wait at
 * once, each with a different mutex. The variants differ only in the lines marked MISUSE or
 * FIX: diff -u unsafe.c safe_cond_per_mutex.c shows them; README.md has the lesson. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER; /* guards ready_a */
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER; /* guards ready_b */
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;     /* MISUSE: waited on with both */
static int ready_a, ready_b; /* each guarded by its lock */
static int woken_a, woken_b; /* each guarded by its lock */

static void *waiter_a(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock_a);
    rl_turn_next(&turns); /* step 1: main may lock lock_a once this waiter waits */
    while (!ready_a)
        pthread_cond_wait(&cond, &lock_a);
    woken_a = 1;
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void *waiter_b(void *arg)
{
    (void)arg;
    rl_turn_wait(&turns, 2); /* step 2: waiter_a waits */
    pthread_mutex_lock(&lock_b);
    rl_turn_next(&turns); /* step 3: main may lock lock_b once this waiter waits */
    while (!ready_b)
        pthread_cond_wait(&cond, &lock_b); /* MISUSE: waiter_a waits on it with lock_a */
    woken_b = 1;
    pthread_mutex_unlock(&lock_b);
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    rl_watchdog_start(10);
    rl_turn_init(&turns);
    pthread_create(&a, NULL, waiter_a, NULL);
    pthread_create(&b, NULL, waiter_b, NULL);
    rl_turn_wait(&turns, 1);
    pthread_mutex_lock(&lock_a); /* granted once waiter_a has released it in its wait */
    rl_turn_next(&turns);
    rl_turn_wait(&turns, 3);
    pthread_mutex_lock(&lock_b); /* granted once waiter_b waits too */
    ready_a = ready_b = 1;
    pthread_cond_broadcast(&cond); /* wakes both waiters */
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    rl_progress("broadcast");
    pthread_join(a, NULL);
    pthread_join(b, NULL);

    rl_result("woken=%d waiters=2", woken_a + woken_b);
    return woken_a + woken_b == 2 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
