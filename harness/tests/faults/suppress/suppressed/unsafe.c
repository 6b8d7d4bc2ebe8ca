/* suppressed/unsafe.c -- two threads bump `hits` with no lock: a real race, which this case's
 * suppression files hide from every detector (suppress.tsan, suppress.supp). The expect file
 * says clean, so a suppression file that does not reach the tool, or the bare fidelity run,
 * shows as a race. */
#include <pthread.h>

static int hits;

static void *bump(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
        hits = hits + 1; /* RACE: suppressed by name, see suppress.tsan and suppress.supp */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, bump, NULL);
    pthread_create(&b, NULL, bump, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
