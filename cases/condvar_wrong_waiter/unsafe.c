/* condvar_wrong_waiter -- two threads wait on one condition variable, each for its own turn
 * (next == me). main gives the turn to the second and wakes one waiter; the kernel wakes the
 * one that went to sleep first, which is not the one whose turn it is. The fixtures make both
 * really asleep, in that order, before the wakeup. The variants differ only in the line marked
 * LIVENESS or FIX: diff -u unsafe.c safe_broadcast.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { FIRST, SECOND, WAITERS, WATCHDOG_MS = 10 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER; /* one for both predicates */
static int next = -1;                                  /* whose turn; guarded by lock */
static int done;                                       /* turns taken; guarded by lock */
static rl_turnstile turns;                             /* step k is due when turns == k */
static rl_thread_id ids[WAITERS];                      /* to see each waiter asleep */

static void pass_turn(int to)
{
    next = to;
    pthread_cond_signal(&cond); /* LIVENESS: wakes one waiter, maybe not the one it is for */
}

static void *waiter(void *arg)
{
    int me = (int)(uintptr_t)arg;
    rl_id_self(&ids[me]);
    rl_turn_wait(&turns, (unsigned)me); /* the second starts once the first is asleep */
    pthread_mutex_lock(&lock);
    while (next != me)
        pthread_cond_wait(&cond, &lock); /* asleep; on a wakeup, check the turn again */
    done++;
    rl_progress(me == FIRST ? "first_done" : "second_done");
    if (me == SECOND)
        pass_turn(FIRST); /* the second hands the turn to the first */
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t threads[WAITERS];
    rl_watchdog_start(WATCHDOG_MS); /* a wakeup nobody acts on hangs: it ends the run */
    rl_turn_init(&turns);
    for (int i = 0; i < WAITERS; i++) {
        rl_id_init(&ids[i]);
        pthread_create(&threads[i], NULL, waiter, (void *)(uintptr_t)i);
    }
    for (int i = 0; i < WAITERS; i++) { /* the kernel queues them: first, then second */
        rl_wait_parked(&ids[i], &cond, sizeof cond);
        rl_turn_next(&turns);
    }
    pthread_mutex_lock(&lock);
    pass_turn(SECOND); /* the second's turn comes first */
    pthread_mutex_unlock(&lock);
    rl_progress("turn_passed");
    for (int i = 0; i < WAITERS; i++)
        pthread_join(threads[i], NULL);

    rl_result("done=%d waiters=%d", done, WAITERS);
    return done == WAITERS ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
