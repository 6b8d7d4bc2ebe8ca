/* a fixture variant: explain --cert reads the expect file only */
int main(void)
{
    return 0;
}
