/* same_b/same/unsafe.c -- exits 40 (lost-update); same_a/same/unsafe.c exits 0. */
int main(void)
{
    return 40;
}
