/* spawn: run one program in its own process group, capture stdout and stderr separately
 * (each capped so that a flood cannot exhaust memory), and stop it on a timeout with TERM,
 * then KILL after a grace period. Every process left in the group is killed at the end. */
#ifndef RACELAB_SPAWN_H
#define RACELAB_SPAWN_H

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
    int signal;     /* killed by this signal (0 if exited) */
    int timed_out;  /* the timeout fired; we sent TERM (and KILL if needed) */
    int pipes_held; /* after the main process exited, an escaped descendant kept the
                       pipes open; we stopped reading after the grace period */
    double wall_s;
    struct rl_buf out, err;
    size_t out_dropped, err_dropped; /* bytes beyond the cap, discarded */
    char error[256];
};

int rl_spawn(const struct rl_spawn_opts *o, struct rl_spawn_result *r);
void rl_spawn_result_free(struct rl_spawn_result *r);

#endif
