/* tiny/unsafe.c -- ends at once: trunc.sh copies this case, racelab only reads it. */
int main(void)
{
    return 0;
}
