/* spinlock_barging -- a hog re-takes a spinlock right after releasing it; a victim asks while
 * the hog holds it. The turnstile forces that schedule on every run, so the outcome is exact.
 * The variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...)
 * or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fair.h"
#include "racelab/fixtures.h"

enum { HOG = 0, VICTIM = 1, SLICE = 100, WANTS = 5 };

static rl_fair fair;       /* grant clock and per-role bypass */
static rl_turnstile turns; /* the schedule: the hog runs on even turns, the victim on odd */
static _Thread_local unsigned my_turn;
static unsigned long budget; /* the hog stops after A = 10 x S grants */
long counter;                /* the data, changed under the lock */

/* One thread runs at a time: hand the CPU to the other thread until it hands it back. The
 * spin loops call it as their pause. */
static void run_other(void)
{
    rl_turn_next(&turns); /* relaxed, hidden from Valgrind: orders nothing for a detector */
    rl_turn_wait(&turns, my_turn += 2);
}

/* Test-and-set lock: one flag; lock swaps in 1 until it gets 0 back; unlock stores 0. */
typedef struct {
    atomic_int held;
} spinlock;

static void spin_lock(spinlock *l)
{
    while (atomic_exchange_explicit(&l->held, 1, memory_order_acquire)) /* STARVES: no queue */
        run_other();
}

static void spin_unlock(spinlock *l)
{
    atomic_store_explicit(&l->held, 0, memory_order_release); /* whoever swaps next wins */
}

static spinlock spin;

static void *worker(void *arg) /* the hog (budget grants) or the victim (WANTS grants) */
{
    int role = (int)(uintptr_t)arg;
    unsigned long wants = role == HOG ? budget : WANTS;
    rl_turn_wait(&turns, my_turn = (unsigned)role); /* the victim: when the hog hands over */
    for (unsigned long n = 0; n < wants; n++) {
        unsigned long at = rl_fair_wait(&fair, role);
        spin_lock(&spin); /* the hog: again, right after its own unlock */
        rl_fair_grant(&fair, role, at);
        counter++;
        if (role == HOG && n % SLICE == SLICE - 1)
            run_other(); /* the victim runs while the hog holds the lock */
        spin_unlock(&spin);
        if (role == VICTIM)
            run_other(); /* the victim thinks until the hog hands over again */
        rl_progress(role == HOG ? "hog" : "victim");
    }
    while (rl_fair_clock(&fair) < budget + WANTS)
        run_other(); /* done: keep taking turns until the other thread is done too */
    rl_turn_next(&turns);
    return NULL;
}

int main(void)
{
    pthread_t threads[2];
    rl_fair_init(&fair, 2);
    rl_fair_name(&fair, HOG, "hog");
    rl_fair_name(&fair, VICTIM, "victim");
    budget = 10 * rl_fair_starved_bound(&fair);
    rl_turn_init(&turns);
    rl_watchdog_start(2000);
    for (int i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);

    rl_fair_result(&fair, "counter=%ld expected=%lu", counter, budget + WANTS);
    return counter == (long)(budget + WANTS) ? rl_fair_outcome(&fair, VICTIM) : RL_EXIT_LOST_UPDATE;
}
