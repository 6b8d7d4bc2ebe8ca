/* byte_race -- a child writes the even bytes of a 10-byte array, then main writes the odd
 * ones and byte 4 as well: one race, on bytes[4], among many accesses to one 8-byte word.
 *
 * Not a lesson but a probe of racelab's fidelity. TSan keeps 4 shadow slots per 8-byte
 * word; when main's accesses find them full, gcc 12's runtime evicts the slot its epoch
 * picks, and every intercepted call moves that epoch. So whether the race on bytes[4] is
 * seen depends on how many intercepted calls ran before, racelab's own included: the run
 * through racelab must report what the bare run reports.
 *
 * Main waits for the child on a pipe with raw syscalls: neither TSan nor Valgrind sees
 * a happens-before edge in them (the race stays a race) and, unlike a spin loop, they add
 * no event that varies from run to run. */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static char bytes[10];
static int done_pipe[2];

static void *child(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++)
        bytes[2 * i]++; /* 0 2 4 6 8 */
    char c = 1;
    syscall(SYS_write, done_pipe[1], &c, 1);
    return NULL;
}

int main(void)
{
    if (syscall(SYS_pipe2, done_pipe, 0) != 0)
        return 2;
    pthread_t t;
    pthread_create(&t, NULL, child, NULL);
    char c;
    syscall(SYS_read, done_pipe[0], &c, 1);
    for (int i = 0; i < 5; i++)
        bytes[2 * i + 1]++; /* 1 3 5 7 9 */
    bytes[4]++;             /* RACE: the child wrote bytes[4] too, with no ordering */
    pthread_join(t, NULL);
    printf("racelab-result: byte4=%d\n", bytes[4]);
    return 0;
}
