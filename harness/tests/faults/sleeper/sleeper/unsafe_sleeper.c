/* escapes/unsafe_sleeper.c -- runs long, ignores SIGTERM, and has a child in a session of its
 * own: what an interrupted racelab must still stop. */
#include <signal.h>
#include <unistd.h>

int main(void)
{
    signal(SIGTERM, SIG_IGN);
    if (fork() == 0) {
        setsid();
        sleep(20);
        _exit(0);
    }
    sleep(20);
    return 0;
}
