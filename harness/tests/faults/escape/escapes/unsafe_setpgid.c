/* escapes/unsafe_setpgid.c -- a child moves to a process group of its own and closes the
 * pipes, so the run ends as soon as the parent does: nothing says it is still there. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    if (fork() == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        sleep(20);
        _exit(0);
    }
    usleep(100 * 1000); /* the child has left the group by now */
    return 0;
}
