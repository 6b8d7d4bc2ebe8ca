/* A harness file with an exit code as a number (ci.protocol_broken): line 6 must be named.
 * A comment may say case 30: freely. */
int outcome(int exit_code)
{
    switch (exit_code) {
    case 30:
        return 3;
    }
    return exit_code == 0 ? 0 : -1;
}
