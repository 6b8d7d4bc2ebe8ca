/* lock_order/unsafe_forced.c -- the opposite lock orders of unsafe.c with the deadlock
 * forced. The turnstile (invisible to every detector) lets thread 0 take lock_a and thread 1
 * take lock_b before either reaches for its second lock, so both wait forever. The watchdog
 * sees no progress and ends the program: outcome `watchdog` on every run under every tool. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { START = 100, AMOUNT = 10, WATCHDOG_MS = 10 };

static rl_turnstile turns;                          /* step k is due when turns == k */
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER; /* guards account_a */
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER; /* guards account_b */
long account_a = START, account_b = START;

static void transfer_a_to_b(long amount)
{
    pthread_mutex_lock(&lock_a);
    rl_progress("thread 0 holds lock_a");
    rl_turn_next(&turns);        /* step 1: thread 1 takes lock_b */
    rl_turn_wait(&turns, 2);     /* step 2: thread 1 holds lock_b */
    pthread_mutex_lock(&lock_b); /* DEADLOCK: waits for thread 1, which waits for us */
    account_a -= amount;
    account_b += amount;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
}

static void transfer_b_to_a(long amount)
{
    pthread_mutex_lock(&lock_b); /* LOCK ORDER: lock_b first, the reverse of transfer_a_to_b */
    rl_progress("thread 1 holds lock_b");
    rl_turn_next(&turns);        /* step 2: thread 0 reaches for lock_b */
    pthread_mutex_lock(&lock_a); /* DEADLOCK: thread 0 holds lock_a and waits for lock_b */
    account_b -= amount;
    account_a += amount;
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
}

static void *first(void *arg) /* thread 0: step 0 */
{
    (void)arg;
    rl_turn_wait(&turns, 0);
    transfer_a_to_b(AMOUNT);
    return NULL;
}

static void *second(void *arg) /* thread 1: step 1, while thread 0 holds lock_a */
{
    (void)arg;
    rl_turn_wait(&turns, 1); /* the turnstile is no lock: it adds no edge to the lock graph */
    transfer_b_to_a(AMOUNT);
    return NULL;
}

int main(void)
{
    pthread_t t0, t1;
    rl_turn_init(&turns);
    rl_watchdog_start(WATCHDOG_MS); /* ends the program once both threads are stuck */
    pthread_create(&t0, NULL, first, NULL);
    pthread_create(&t1, NULL, second, NULL);
    pthread_join(t0, NULL);
    pthread_join(t1, NULL);

    long total = account_a + account_b, expected = 2 * START;
    rl_result("account_a=%ld account_b=%ld total=%ld expected=%ld", account_a, account_b, total,
              expected);
    return total == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
