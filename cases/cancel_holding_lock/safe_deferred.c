/* cancel_holding_lock -- main stops a worker that holds a mutex, then takes the mutex itself.
 * The worker pushes a cleanup handler that unlocks it, one line after taking the lock; the
 * worker then sleeps in the kernel on the turnstile's word (a raw futex wait: no cancellation
 * point, no lock for a detector to count, and a word hidden from every detector); main stops
 * it once /proc shows it asleep there
 * (rl_wait_parked), so the stop reaches it inside the window under every tool (Valgrind
 * hands a thread a signal while it sleeps in a system call). unsafe.c cancels it asynchronously,
 * unsafe_signal.c sends it SIGTERM, safe_deferred.c cancels it at a cancellation point. Each
 * differs from safe_deferred.c only in the line marked CANCEL or SIGNAL; README.md has the
 * lesson. */
#include <pthread.h>
#include <signal.h>
#include <linux/futex.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "racelab/fixtures.h"

enum { WATCHDOG_MS = 10 };

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static rl_thread_id worker_id;
static long jobs; /* guarded by lock */

static void unlock_it(void *m)
{
    pthread_mutex_unlock(m);
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, NULL); /* FIX: only at cancellation points */
    pthread_mutex_lock(&lock);
    rl_progress("worker holds the lock");
    rl_turn_next(&turns);    /* step 1: main stops the worker now */
    rl_id_self(&worker_id);
    while (atomic_load_explicit(&turns.turn, memory_order_relaxed) != 2) /* step 2: stop sent */
        syscall(SYS_futex, &turns.turn, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
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
    rl_id_init(&worker_id);
    pthread_create(&w, NULL, worker, NULL);
    rl_turn_wait(&turns, 1);
    rl_wait_parked(&worker_id, &turns, sizeof turns); /* asleep at step 2, holding lock */
    pthread_cancel(w); /* stop the worker */
    rl_turn_next(&turns);
    syscall(SYS_futex, &turns.turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    pthread_join(w, NULL);
    rl_progress("worker stopped");
    pthread_mutex_lock(&lock); /* shutting down: the last look at the jobs */
    long done = jobs;
    pthread_mutex_unlock(&lock);

    rl_result("jobs=%ld", done);
    return RL_EXIT_OK;
}
