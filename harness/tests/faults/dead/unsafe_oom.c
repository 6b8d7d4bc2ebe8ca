/* dead/unsafe_oom.c -- caps its own address space just above what it uses now, then
 * allocates until malloc says no. Natively that ends the loop; a detector whose own
 * allocations fail dies of it, and must never read as clean. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

int main(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL || fscanf(f, "%lu", &pages) != 1)
        return 3;
    fclose(f);
    rlim_t cap = (rlim_t)pages * 4096 + (16 << 20);
    struct rlimit r = {cap, cap};
    if (setrlimit(RLIMIT_AS, &r) != 0)
        return 3;
    size_t blocks = 0;
    while (blocks < 4096 && malloc(1 << 20) != NULL) /* leaked on purpose */
        blocks++;
    printf("racelab-result: blocks=%zu\n", blocks);
    return 0;
}
