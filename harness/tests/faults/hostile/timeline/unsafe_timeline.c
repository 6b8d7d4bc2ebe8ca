/* timeline/unsafe_timeline.c -- an ordinary timeline: one task holds for long. */
#include <stdio.h>

int main(void)
{
    puts("racelab-timeline: hog 0 90");
    puts("racelab-timeline: victim 90 1");
    puts("racelab-result: holds=2");
    return 0;
}
