/* escapes/unsafe_killparent.c -- kills the process that started it, then keeps running. */
#include <signal.h>
#include <unistd.h>

int main(void)
{
    kill(getppid(), SIGKILL);
    sleep(20);
    return 0;
}
