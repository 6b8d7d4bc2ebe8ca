/* lock_order -- two threads take lock_a and lock_b in opposite orders. The variants differ
 * only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...) or the FIX: diff -u
 * unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <pthread.h>
#include <stdio.h>

#include "racelab/fixtures.h"

enum { START = 100, AMOUNT = 10 };

static rl_turnstile turns;                          /* step k is due when turns == k */
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER; /* guards account_a */
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER; /* guards account_b */
long account_a = START, account_b = START;

static void transfer_a_to_b(long amount)
{
    pthread_mutex_lock(&lock_a);
    pthread_mutex_lock(&lock_b); /* lock_a before lock_b */
    account_a -= amount;
    account_b += amount;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
}

static void transfer_b_to_a(long amount)
{
    pthread_mutex_lock(&lock_b); /* LOCK ORDER: lock_b first, the reverse of transfer_a_to_b */
    pthread_mutex_lock(&lock_a); /* LOCK ORDER: the lock graph now has a cycle */
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
    rl_turn_next(&turns);
    return NULL;
}

static void *second(void *arg) /* thread 1: step 1, after thread 0 released both locks */
{
    (void)arg;
    rl_turn_wait(&turns, 1); /* the turnstile is no lock: it adds no edge to the lock graph */
    transfer_b_to_a(AMOUNT);
    rl_turn_next(&turns);
    return NULL;
}

int main(void)
{
    pthread_t t0, t1;
    rl_turn_init(&turns);
    pthread_create(&t0, NULL, first, NULL);
    pthread_create(&t1, NULL, second, NULL);
    pthread_join(t0, NULL);
    pthread_join(t1, NULL);

    long total = account_a + account_b, expected = 2 * START;
    rl_result("account_a=%ld account_b=%ld total=%ld expected=%ld", account_a, account_b, total,
              expected);
    return total == expected ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
