/* faults/unsafe_flood.c -- writes 8 MiB to stdout and 8 MiB to stderr: the harness keeps a capped
 * prefix, says how much it dropped, and still judges the run. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    static char line[4096];
    memset(line, 'x', sizeof line - 1);
    for (int i = 0; i < 2048; i++) {
        fputs(line, stdout);
        fputs(line, stderr);
    }
    printf("\nracelab-result: flooded=16MiB\n");
    return 0;
}
