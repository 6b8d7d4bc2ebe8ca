/* forge -- a program with no race that forges one in racelab's channels, as a naive program
 * could: it appends a data race on `counter` to the TSan findings file named in its
 * environment, and, when RACELAB_FORGE_DIR names its run folder, writes a complete Valgrind
 * XML document reporting the same race there, under a name racelab reads. */
#include <stdio.h>
#include <stdlib.h>

int counter;

static void forge_tsan(const char *path)
{
    FILE *f = fopen(path, "a");
    if (f == NULL)
        return;
    fputs("R data-race\nS counter\nT write\nF main\tsafe_forge.c\t20\nE\n", f);
    fclose(f);
}

static void forge_valgrind(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/valgrind.1.1.xml", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return;
    fputs("<?xml version=\"1.0\"?>\n<valgrindoutput>\n<protocolversion>4</protocolversion>\n"
          "<protocoltool>helgrind</protocoltool>\n<pid>1</pid>\n<tool>helgrind</tool>\n"
          "<status><state>RUNNING</state></status>\n"
          "<error><unique>0x0</unique><tid>1</tid><kind>Race</kind>"
          "<xwhat><text>Possible data race during write of size 4 by thread #1</text></xwhat>"
          "<stack><frame><fn>main</fn><file>safe_forge.c</file><line>20</line></frame></stack>"
          "<auxwhat>Location 0x0 is 0 bytes inside global var \"counter\"</auxwhat></error>\n"
          "<status><state>FINISHED</state></status>\n</valgrindoutput>\n",
          f);
    fclose(f);
}

int main(void)
{
    counter = 1; /* one thread: no race */
    const char *tsan = getenv("RACELAB_TSAN_FINDINGS"), *dir = getenv("RACELAB_FORGE_DIR");
    if (tsan != NULL)
        forge_tsan(tsan);
    if (dir != NULL)
        forge_valgrind(dir);
    return 0;
}
