/* faults/unsafe_hang.c -- never ends, and ignores SIGTERM, and leaves a forked child behind:
 * the harness must report `hang`, escalate to SIGKILL and kill the whole process group. */
#include <signal.h>
#include <unistd.h>

int main(void)
{
    signal(SIGTERM, SIG_IGN);
    if (fork() == 0)
        for (;;)
            pause(); /* the child would outlive a harness that only killed its parent */
    for (;;)
        pause();
}
