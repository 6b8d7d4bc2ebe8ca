/* faults/unsafe_stuck.c -- waits for a signal that never comes: the fixtures' watchdog sees
 * no progress and ends the program with outcome `watchdog`, before any harness timeout. */
#include <pthread.h>

#include "racelab/fixtures.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

int main(void)
{
    rl_watchdog_start(5); /* ms of no progress, times the tool's slowdown (250 ms at least) */
    pthread_mutex_lock(&lock);
    rl_progress("main: waiting for a signal nobody sends");
    pthread_cond_wait(&never, &lock);
    pthread_mutex_unlock(&lock);
    return 0;
}
