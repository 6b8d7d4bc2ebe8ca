/* same_a/same/unsafe.c -- exits 0 (ok); same_b/same/unsafe.c exits 40. */
int main(void)
{
    return 0;
}
