/* ignored_trylock -- a teller deposits 10 under a mutex; a clerk deposits 1 with
 * pthread_mutex_trylock, keeping the amount for later when the lock is busy. The turnstile
 * makes the clerk try while the teller holds the lock, between its read and its write. The
 * variants differ only in the line marked ERROR or FIX: diff -u unsafe.c safe_check_busy.c
 * shows it; README.md has the lesson. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { TELLER = 10, CLERK = 1 };

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
long balance; /* guarded by lock */

/* Deposit `amount` if the lock is free; returns 0, or EBUSY when the caller must try later. */
static int deposit_if_free(long amount)
{
    int err = pthread_mutex_trylock(&lock);
    (void)err; /* ERROR: EBUSY is ignored, and the deposit goes on without */
    /* the lock, which another thread holds */
    balance = balance + amount;
    pthread_mutex_unlock(&lock);
    return 0;
}

static void *teller(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    long seen = balance;
    rl_turn_next(&turns);    /* step 1: the clerk tries while the teller holds the lock */
    rl_turn_wait(&turns, 2); /* step 2: the clerk has tried */
    balance = seen + TELLER;
    pthread_mutex_unlock(&lock);
    rl_turn_next(&turns); /* step 3: the lock is free again */
    return NULL;
}

static void *clerk(void *arg)
{
    (void)arg;
    long pending = CLERK;
    rl_turn_wait(&turns, 1);
    if (deposit_if_free(pending) == 0)
        pending = 0;
    rl_turn_next(&turns);
    rl_turn_wait(&turns, 3);
    if (pending != 0 && deposit_if_free(pending) == 0) /* the lock is free now */
        pending = 0;
    return NULL;
}

int main(void)
{
    pthread_t t, c;
    rl_turn_init(&turns);
    pthread_create(&t, NULL, teller, NULL);
    pthread_create(&c, NULL, clerk, NULL);
    pthread_join(t, NULL);
    pthread_join(c, NULL);

    long expected = TELLER + CLERK;
    rl_result("balance=%ld expected=%ld", balance, expected);
    return balance == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
