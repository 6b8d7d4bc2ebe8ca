/* failfork: an LD_PRELOAD shim for the faults tests. In the process that loads it first (not
 * in its children), fork() fails with EAGAIN from call number RACELAB_FAIL_FORK_AT (1-based)
 * on, as when a user's process limit is reached. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

static pid_t owner;

__attribute__((constructor)) static void remember_owner(void)
{
    owner = getpid();
}

pid_t fork(void)
{
    static int calls;
    pid_t (*real_fork)(void) = (pid_t(*)(void))dlsym(RTLD_NEXT, "fork");
    const char *at = getenv("RACELAB_FAIL_FORK_AT");
    if (getpid() == owner && at && ++calls >= atoi(at)) {
        errno = EAGAIN;
        return -1;
    }
    return real_fork();
}
