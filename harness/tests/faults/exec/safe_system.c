/* exec/safe_system.c -- runs a shell command with system(): a fork, an exec of /bin/sh, a
 * wait. One thread, nothing shared: every tool must call it clean. Under Valgrind the
 * forked child's document stops at the exec, so racelab follows the exec'd shell. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int status = system("true");
    printf("racelab-result: system=%d\n", status);
    return status == 0 ? 0 : 3;
}
