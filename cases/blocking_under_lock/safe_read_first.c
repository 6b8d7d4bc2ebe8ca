/* blocking_under_lock -- a holder reads a 1000-byte message from a pipe, a byte a read, and
 * stores it in a table that a worker also updates under the same mutex. The turnstile makes
 * the worker ask for the lock as the holder starts on the message. The fairness clock counts
 * the holder's steps under the lock: each blocking read and the update. The variants differ
 * only in where the reads are (BLOCKS / FIX): diff -u unsafe.c safe_read_first.c shows it;
 * README.md has the lesson. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "racelab/fair.h"
#include "racelab/fixtures.h"

enum { HOLDER = 0, WORKER = 1, MSG = 1000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static rl_fair fair;       /* the clock: grants, and the holder's steps under the lock */
static rl_turnstile turns; /* step k is due when turns == k */
static int pipefd[2];      /* the device writes the message, the holder reads it */
long table, jobs;          /* guarded by lock */

static void step_under_lock(void) /* one more step while holding the lock */
{
    rl_fair_grant(&fair, HOLDER, rl_fair_wait(&fair, HOLDER));
}

static void *holder(void *arg)
{
    (void)arg;
    char msg[MSG];
    long sum = 0;
    for (int i = 0; i < MSG; i++) {
        (void)!read(pipefd[0], &msg[i], 1); /* FIX: the I/O first, without the lock */
        rl_progress("holder reads");
    }
    pthread_mutex_lock(&lock);
    rl_turn_next(&turns);    /* step 1: the worker asks for the lock */
    rl_turn_wait(&turns, 2); /* step 2: the worker waits */
    for (int i = 0; i < MSG; i++)
        sum += msg[i];
    table += sum; /* the update the lock is for */
    step_under_lock();
    pthread_mutex_unlock(&lock);
    rl_progress("holder");
    return NULL;
}

static void *worker(void *arg)
{
    (void)arg;
    rl_turn_wait(&turns, 1);
    unsigned long at = rl_fair_wait(&fair, WORKER);
    rl_turn_next(&turns);
    pthread_mutex_lock(&lock); /* a short update, but it waits for the holder */
    rl_fair_grant(&fair, WORKER, at);
    jobs++;
    pthread_mutex_unlock(&lock);
    rl_progress("worker");
    return NULL;
}

static void *device(void *arg) /* the I/O: the message, one byte a write */
{
    (void)arg;
    for (int i = 0; i < MSG; i++) {
        (void)!write(pipefd[1], "\1", 1);
        rl_progress("device");
    }
    return NULL;
}

int main(void)
{
    pthread_t h, w, d;
    if (pipe(pipefd) != 0)
        abort();
    rl_fair_init(&fair, 2); /* two threads want the lock: the holder and the worker */
    rl_fair_name(&fair, HOLDER, "holder");
    rl_fair_name(&fair, WORKER, "worker");
    rl_turn_init(&turns);
    rl_watchdog_start(2000);
    pthread_create(&h, NULL, holder, NULL);
    pthread_create(&w, NULL, worker, NULL);
    pthread_create(&d, NULL, device, NULL);
    pthread_join(h, NULL);
    pthread_join(w, NULL);
    pthread_join(d, NULL);

    rl_fair_result(&fair, "table=%ld jobs=%ld", table, jobs);
    return rl_fair_outcome(&fair, WORKER);
}
