/* faults/unsafe_crash.c -- dies on a signal: the outcome is `crash`, never "flagged". */
#include <signal.h>
#include <stdio.h>

int main(void)
{
    printf("racelab-result: about_to=abort\n");
    fflush(stdout);
    raise(SIGKILL); /* SIGKILL: no tool can intercept or turn it into an exit status */
    return 0;
}
