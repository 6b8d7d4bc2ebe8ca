/* escapes/unsafe_setsid.c -- a daemon's double fork: the grandchild leaves the process group
 * with setsid() and keeps stdout open, so no signal to the group reaches it. racelab must
 * still find it, kill it, and say so. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    if (fork() == 0) {
        setsid();
        if (fork() == 0)
            sleep(20); /* the grandchild: a new session, the pipes still open */
        _exit(0);
    }
    sleep(1); /* let the daemon settle before the program itself exits */
    puts("racelab-result: parent=done");
    return 0;
}
