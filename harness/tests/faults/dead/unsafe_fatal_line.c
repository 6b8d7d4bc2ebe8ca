/* dead/unsafe_fatal_line.c -- prints, itself, the line a dying ThreadSanitizer runtime
 * prints, and then ends normally, so the TSan channel is complete. racelab cannot tell the
 * two apart: the line alone must make the run an error, never clean. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    fprintf(stderr,
            "==%d==ERROR: ThreadSanitizer: requested allocation size 0x1 exceeds "
            "maximum supported size (printed by the program)\n",
            (int)getpid());
    printf("racelab-result: printed=1\n");
    return 0;
}
