/* signal_handler_lock -- SIGUSR1 asks a threaded program to rotate its log, and rotating takes
 * the log's mutex. The turnstile sends the signal while the logger holds that mutex, and only
 * the logger can take the signal. unsafe.c installs a handler with signal(); safe_sigwait.c
 * blocks the signal everywhere and gives it to one thread that waits for it with sigwait.
 * diff -u unsafe.c safe_sigwait.c shows the change; README.md has the lesson. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "racelab/fixtures.h"

enum { WATCHDOG_MS = 10 };

static rl_turnstile turns; /* step k is due when turns == k */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long lines, rotations; /* guarded by lock */
static int log_fd;

static void rotate(void) /* what SIGUSR1 asks for */
{
    pthread_mutex_lock(&lock);
    rotations++;
    pthread_mutex_unlock(&lock);
    rl_progress("rotated");
}

static void *signal_thread(void *arg) /* FIX: an ordinary thread, free to wait for the lock */
{
    int sig;
    sigwait(arg, &sig);
    rotate();
    return NULL;
}

static void *logger(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    rl_progress("logger holds the lock");
    rl_turn_next(&turns);    /* step 1: main sends SIGUSR1 */
    rl_turn_wait(&turns, 2); /* step 2: it is on its way */
    (void)!write(log_fd, "line\n", 5);
    lines++;
    pthread_mutex_unlock(&lock);
    rl_progress("logged");
    return NULL;
}

int main(void)
{
    pthread_t t, s;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    log_fd = open("/dev/null", O_WRONLY);
    rl_turn_init(&turns);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* FIX: blocked in every thread, inherited */
    pthread_create(&t, NULL, logger, NULL);
    pthread_create(&s, NULL, signal_thread, &usr1); /* FIX: the one thread that takes it */
    rl_watchdog_start(WATCHDOG_MS);
    rl_turn_wait(&turns, 1);
    kill(getpid(), SIGUSR1); /* "rotate the log", as if from outside */
    rl_turn_next(&turns);
    pthread_join(t, NULL);
    pthread_join(s, NULL);

    rl_result("lines=%ld rotations=%ld", lines, rotations);
    return lines == 1 && rotations == 1 ? RL_EXIT_OK : RL_EXIT_LOST_UPDATE;
}
