/* spawn: run one program in its own process group, capture stdout and stderr separately
 * (each capped so that a flood cannot exhaust memory), and stop it on a timeout with TERM,
 * then KILL after a grace period. The caller becomes a child subreaper, so that every
 * descendant of the program, even one that left the group or the session, ends up as the
 * caller's child: what is still running after the program ended is found, killed and
 * counted. The caller's children from before the run are left alone. */
#ifndef RACELAB_SPAWN_H
#define RACELAB_SPAWN_H

#include <signal.h>
#include <stddef.h>

#include "util.h"

struct rl_spawn_opts {
    char *const *argv;    /* argv[0] is the program; searched in PATH when it has no '/' */
    char *const *env_add; /* "NAME=value" strings added to the environment, NULL-terminated */
    const char *const *env_drop; /* names removed from it first; "NAME*" removes every name
                                    that starts with NAME. NULL-terminated */
    const char *cwd;             /* NULL: inherit */
    double timeout_s;            /* <= 0: none */
    double grace_s;              /* between TERM and KILL; default 2 s when 0 */
    size_t cap;                  /* bytes kept per stream; default 1 MiB when 0 */
};

struct rl_spawn_result {
    int started; /* 0: exec failed (see error) */
    int pid;     /* of the process started (also its process group) */
    int exited;  /* normal exit: exit_code is valid */
    int exit_code;
    int signal;      /* killed by this signal (0 if exited) */
    int timed_out;   /* the timeout fired; we sent TERM (and KILL if needed) */
    int pipes_held;  /* after the main process exited, something kept the pipes open even
                        after its descendants were killed; we stopped reading */
    int leftovers;   /* processes still running after the program ended (in its group
                        or not), which were killed */
    int interrupted; /* rl_spawn_stop was set: this signal stopped the run */
    double wall_s;
    struct rl_buf out, err;
    size_t out_dropped, err_dropped; /* bytes beyond the cap, discarded */
    char error[256];
};

/* Set to the signal number by the caller's SIGINT/SIGTERM handler: a running rl_spawn kills
 * the program and all its descendants at once and returns with `interrupted`; a new one does
 * not start (it returns -1). */
extern volatile sig_atomic_t rl_spawn_stop;
/* Install the handler that sets rl_spawn_stop on sig (SIGINT, SIGTERM) and unblock sig,
 * unless the process started with sig ignored (a shell's background job): that stays so. */
void rl_spawn_catch_stop(int sig);

int rl_spawn(const struct rl_spawn_opts *o, struct rl_spawn_result *r);
/* Kill (SIGKILL) and reap every child of the calling process whose pid is not in keep[0..n),
 * then the children those leave behind (a subreaper inherits them), until none is left.
 * Children that had exited already are reaped and not counted. Returns how many were
 * killed. */
int rl_kill_children(const int *keep, size_t n);
void rl_spawn_result_free(struct rl_spawn_result *r);

#endif
