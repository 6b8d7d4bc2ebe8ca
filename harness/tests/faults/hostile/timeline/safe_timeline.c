/* timeline/safe_timeline.c -- timeline lines whose numbers sit near ULONG_MAX: start + units
 * overflows, and an axis stepped up to the end would wrap around. */
#include <stdio.h>

int main(void)
{
    puts("racelab-timeline: a 0 5");
    puts("racelab-timeline: b 18446744073709551610 5");
    puts("racelab-timeline: a 18446744073709551000 600");
    puts("racelab-timeline: c 9223372036854775807 9223372036854775807");
    puts("racelab-result: holds=4");
    return 0;
}
