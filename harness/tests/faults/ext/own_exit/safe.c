/* own_exit/safe.c -- exits 57 on success, as some public test suites do. */
int main(void)
{
    return 57;
}
