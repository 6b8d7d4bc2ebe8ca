/* dead/unsafe_hugealloc.c -- asks for 32 TiB before anything else. Natively malloc says no
 * and the program goes on; gcc's ThreadSanitizer runtime instead dies with "ERROR:
 * ThreadSanitizer: requested allocation size ... exceeds maximum", and its exit status is
 * the 0 racelab asks for: a dead detector that must never read as clean. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char *p = malloc((size_t)1 << 45);
    if (p)
        p[0] = 1;
    printf("racelab-result: got=%s\n", p ? "yes" : "no");
    free(p);
    return 0;
}
