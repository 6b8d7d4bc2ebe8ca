/* A case that prints the result tag by hand (ci.protocol_broken): the check must name line 7.
 * A comment may say "racelab-result: " freely. */
#include <stdio.h>

int main(void)
{
    fputs("racelab-result: ", stdout); /* line 7 */
    puts("counter=1");
    return 0;
}
