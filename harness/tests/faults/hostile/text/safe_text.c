/* text/safe_text.c -- plain output: the neighbour of unsafe_text. */
#include <stdio.h>

int main(void)
{
    puts("racelab-result: colour=plain");
    return 0;
}
