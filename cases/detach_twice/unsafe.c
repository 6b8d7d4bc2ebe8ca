/* detach_twice -- main starts a worker that nobody will join: it is created detached. Later
 * main releases it again with pthread_detach. The turnstile keeps the worker alive until
 * then, so the second release meets a live thread on every run. The variants differ only in
 * that call: diff -u unsafe.c safe_detach_once.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "racelab/fixtures.h"

static rl_turnstile turns; /* step k is due when turns == k */

static void *worker(void *arg)
{
    (void)arg;
    rl_turn_wait(&turns, 1); /* step 1: main has done its releasing */
    rl_turn_next(&turns);
    return NULL;
}

int main(void)
{
    pthread_t thread;
    pthread_attr_t attr;
    rl_turn_init(&turns);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED); /* released at creation */
    pthread_create(&thread, &attr, worker, NULL);
    pthread_attr_destroy(&attr);
    int again = pthread_detach(thread); /* TWICE: the thread was released already */
    rl_turn_next(&turns);    /* step 0: main is done with the thread */
    rl_turn_wait(&turns, 2); /* step 2: the worker is on its way out */

    rl_result("second_detach=%s expected=0", again == 0 ? "0" : strerror(again));
    return again == 0 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
