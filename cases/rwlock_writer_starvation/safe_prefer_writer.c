/* rwlock_writer_starvation -- two readers hand a read lock to each other so it is never free;
 * a writer asks for it while both hold it. The hand-over makes the outcome exact on every run.
 * The variants differ only in the lines whose comment names the hazard (RACE:, DEADLOCK:, ...)
 * or the FIX: diff -u unsafe.c safe_*.c shows them; README.md has the lesson. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "racelab/fair.h"
#include "racelab/fixtures.h"

enum { READERS = 2, READER = 0, WRITER = 1, BURST = 50, WRITER_STEP = 11 };

static pthread_rwlock_t lock;
static rl_fair fair;         /* grant clock and per-role bypass */
static rl_turnstile turns;   /* step k is reader k % 2's, except WRITER_STEP: the writer's */
static unsigned long budget; /* the readers stop at A = 10 x S grants */
long version;                /* the data: written under the write lock */
long seen[READERS];          /* what each reader last read */

static void *reader(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    int holding = 0, more = 1;
    for (unsigned step = me; more; step += READERS) {
        if (step == WRITER_STEP)
            step += READERS;        /* reader 1 leaves that step to the writer */
        rl_turn_wait(&turns, step); /* the other reader holds the lock all through this turn */
        /* one grant a turn while the writer may still be on its way into wrlock */
        int burst = step == WRITER_STEP + 1 || step == WRITER_STEP + 2 ? 1 : BURST;
        for (int i = 0; i < burst && more; i++) {
            if (holding)
                pthread_rwlock_unlock(&lock); /* hand-over: the other reader still holds it */
            more = rl_fair_clock(&fair) < budget;
            holding = more && pthread_rwlock_tryrdlock(&lock) == 0; /* join the read phase */
            if (holding) { /* a try never waits: its bypass is 0 */
                rl_fair_grant(&fair, READER, rl_fair_wait(&fair, READER));
                seen[me] = version;
            }
        }
        rl_progress("reader");
        rl_turn_next(&turns);
    }
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    rl_turn_wait(&turns, WRITER_STEP); /* both readers hold the lock now */
    unsigned long at = rl_fair_wait(&fair, WRITER);
    rl_turn_next(&turns);         /* the readers go on while the writer waits */
    pthread_rwlock_wrlock(&lock); /* waits while readers hold the lock */
    rl_fair_grant(&fair, WRITER, at);
    version++;
    pthread_rwlock_unlock(&lock);
    rl_progress("writer");
    return NULL;
}

int main(void)
{
    pthread_t readers[READERS], w;
    pthread_rwlockattr_t attr; /* FIX: a waiting writer blocks new readers */
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    rl_fair_init(&fair, READERS + 1);
    rl_fair_name(&fair, READER, "reader");
    rl_fair_name(&fair, WRITER, "writer");
    budget = 10 * rl_fair_starved_bound(&fair);
    rl_turn_init(&turns);
    pthread_rwlock_wrlock(&lock); /* resolve the symbol now, not during the measured wait */
    pthread_rwlock_unlock(&lock);
    rl_watchdog_start(2000);
    for (int i = 0; i < READERS; i++)
        pthread_create(&readers[i], NULL, reader, (void *)(uintptr_t)i);
    pthread_create(&w, NULL, writer, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(readers[i], NULL);
    pthread_join(w, NULL);
    pthread_rwlock_destroy(&lock);

    rl_fair_result(&fair, "version=%ld budget=%lu", version, budget);
    return rl_fair_outcome(&fair, WRITER);
}
