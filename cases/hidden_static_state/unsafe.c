/* hidden_static_state -- two threads each split their own line, "a0,b0" and "a1,b1", into
 * fields. They share no data of their own; the turnstile makes each take its first field
 * before either takes its second. The variants differ only in the splitting function:
 * diff -u unsafe.c safe_strtok_r.c shows it; README.md has the lesson. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "racelab/fixtures.h"

enum { THREADS = 2 };

static rl_turnstile turns;                                /* step k is due when turns == k */
static char lines[THREADS][8] = {"a0,b0", "a1,b1"};       /* thread i splits lines[i] only */
static int own_fields[THREADS];                           /* fields thread i found in its line */

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    char *field;
    rl_turn_wait(&turns, me); /* steps 0, 1: each thread's first field */
    field = strtok(lines[me], ","); /* STATIC: strtok keeps its place in one hidden global */
    own_fields[me] += field != NULL && field[0] == 'a' && field[1] == '0' + (char)me;
    rl_turn_next(&turns);
    rl_turn_wait(&turns, THREADS + me); /* steps 2, 3: each thread's second field */
    field = strtok(NULL, ","); /* STATIC: goes on from wherever the last caller stopped */
    own_fields[me] += field != NULL && field[0] == 'b' && field[1] == '0' + (char)me;
    rl_turn_next(&turns);
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    rl_turn_init(&turns);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);

    int found = own_fields[0] + own_fields[1];
    rl_result("own_fields=%d,%d expected=2,2", own_fields[0], own_fields[1]);
    return found == 2 * THREADS ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
