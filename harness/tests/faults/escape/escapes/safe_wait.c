/* escapes/safe_wait.c -- forks a child and waits for it: nothing is left behind. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50 * 1000);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    puts("racelab-result: child=reaped");
    return 0;
}
