/* text/unsafe_text.c -- output built to escape the reports: a run of 40 backticks (longer
 * than any fixed fence), Markdown and HTML after it, and terminal control sequences (clear
 * the screen, set the window title, a bell, a carriage return that hides a line). Exits 3,
 * so that it never matches and its output is shown in the notes. */
#include <stdio.h>

static void hostile(FILE *f)
{
    fputs("````````````````````````````````````````\n", f);
    fputs("# escaped heading <img src=x onerror=alert(1)>\n", f);
    fputs("\x1b[2J\x1b]0;pwned\x07 cleared the screen\n", f);
    fputs("hidden text\roverwritten\n", f);
}

int main(void)
{
    hostile(stdout);
    hostile(stderr);
    puts("racelab-result: colour=\x1b[31mred");
    return 3;
}
