/* tiny/safe.c -- ends at once, like unsafe.c. */
int main(void)
{
    return 0;
}
