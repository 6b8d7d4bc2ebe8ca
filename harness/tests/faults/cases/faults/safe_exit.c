/* faults/safe_exit.c -- exits 3, a status outside racelab's contract: the outcome is `error`,
 * which no expectation can match. */
int main(void)
{
    return 3;
}
