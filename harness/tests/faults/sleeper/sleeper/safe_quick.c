/* sleeper/safe_quick.c -- ends at once: the neighbour of unsafe_sleeper. */
int main(void)
{
    return 0;
}
