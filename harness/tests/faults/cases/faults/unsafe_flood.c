/* faults/unsafe_flood.c -- writes 1 MiB to stdout and 1 MiB to stderr, four times the
 * harness's cap on each: it keeps a capped prefix, says how much it dropped, and still judges
 * the run. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    static char line[4096];
    memset(line, 'x', sizeof line - 1);
    for (int i = 0; i < 256; i++) {
        fputs(line, stdout);
        fputs(line, stderr);
    }
    printf("\nracelab-result: flooded=2MiB\n");
    return 0;
}
