#include "spawn.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

volatile sig_atomic_t rl_spawn_stop;

static void on_stop_signal(int sig)
{
    rl_spawn_stop = sig;
}

/* A mask inherited from the parent must not hide the signal either. */
void rl_spawn_catch_stop(int sig)
{
    struct sigaction sa = {.sa_handler = on_stop_signal}, old;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, &old);
    if (old.sa_handler == SIG_IGN)
        sigaction(sig, &old, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* The state letter of process `pid` when its parent is `parent` ('Z' for a zombie), or 0
 * when it is not a child of `parent` (or gone). */
static char child_state(long pid, long parent)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* "pid (comm) S ppid ...": comm may hold spaces and parentheses, so look from the last ')' */
    const char *p = strrchr(buf, ')');
    char state;
    long ppid;
    if (p == NULL || sscanf(p + 1, " %c %ld", &state, &ppid) != 2 || ppid != parent)
        return 0;
    return state;
}

struct child {
    int pid;
    char state;
};

/* The children of the calling process that are not in keep[0..n), from /proc: a malloc'd
 * array in *out, and their number. */
static size_t list_children(const int *keep, size_t n, struct child **out)
{
    long self = (long)getpid();
    size_t len = 0, cap = 0;
    *out = NULL;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        long pid = strtol(e->d_name, NULL, 10);
        int kept = 0;
        for (size_t i = 0; i < n && !kept; i++)
            kept = keep[i] == pid;
        char state = kept ? 0 : child_state(pid, self);
        if (state == 0)
            continue;
        if (len == cap) {
            cap = cap ? 2 * cap : 16;
            struct child *v = realloc(*out, cap * sizeof *v);
            if (v == NULL)
                break;
            *out = v;
        }
        (*out)[len++] = (struct child){(int)pid, state};
    }
    if (d)
        closedir(d);
    return len;
}

int rl_kill_children(const int *keep, size_t n)
{
    int killed = 0;
    /* each pass may hand us the children of those it killed; a fork bomb gets 1000 passes */
    for (int pass = 0; pass < 1000; pass++) {
        struct child *v;
        size_t found = list_children(keep, n, &v);
        for (size_t i = 0; i < found; i++) {
            if (v[i].state != 'Z') { /* a zombie has ended on its own: only reaped */
                kill(v[i].pid, SIGKILL);
                killed++;
            }
            waitpid(v[i].pid, NULL, 0);
        }
        free(v);
        if (found == 0)
            break;
    }
    return killed;
}

/* Is a child not in keep[0..n) still running (not a zombie)? */
static int child_running(const int *keep, size_t n)
{
    struct child *v;
    size_t found = list_children(keep, n, &v);
    int running = 0;
    for (size_t i = 0; i < found; i++)
        running |= v[i].state != 'Z';
    free(v);
    return running;
}

/* Remove NAME, or with "NAME*" every variable whose name starts with NAME. */
static void drop_env(const char *pattern)
{
    size_t len = strlen(pattern);
    int prefix = len > 0 && pattern[len - 1] == '*';
    len -= (size_t)prefix;
    for (size_t i = 0; environ[i] != NULL;) {
        const char *eq = strchr(environ[i], '=');
        size_t name_len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        char name[256];
        if (strncmp(environ[i], pattern, len) == 0 && (prefix || name_len == len) &&
            name_len < sizeof name) {
            rl_strlcpy(name, environ[i], name_len + 1);
            unsetenv(name); /* shifts the rest down: look at slot i again */
        } else {
            i++;
        }
    }
}

/* Child side: own process group, the pipes as stdout/stderr, extra environment, exec. The
 * exec error travels back through a close-on-exec pipe. */
static void child(const struct rl_spawn_opts *o, int out_w, int err_w, int status_w)
{
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    dup2(out_w, STDOUT_FILENO);
    dup2(err_w, STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, STDIN_FILENO);
    for (const char *const *d = o->env_drop; d && *d; d++)
        drop_env(*d);
    for (char *const *e = o->env_add; e && *e; e++)
        putenv(*e);
    if (o->cwd && chdir(o->cwd) != 0) {
        int e = -errno; /* negative: the directory, not the program, is the problem */
        (void)!write(status_w, &e, sizeof e);
        _exit(127);
    }
    execvp(o->argv[0], o->argv);
    int e = errno;
    (void)!write(status_w, &e, sizeof e);
    _exit(127);
}

int rl_spawn(const struct rl_spawn_opts *o, struct rl_spawn_result *r)
{
    memset(r, 0, sizeof *r);
    if (rl_spawn_stop) {
        snprintf(r->error, sizeof r->error, "interrupted by SIG%s before it started",
                 sigabbrev_np(rl_spawn_stop));
        return -1;
    }
    /* orphaned descendants of the program come to us, not to init: none can escape */
    prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
    size_t cap = o->cap ? o->cap : (size_t)1 << 20;
    double grace = o->grace_s > 0 ? o->grace_s : 2.0;
    int outp[2], errp[2], statp[2];
    if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) || pipe2(statp, O_CLOEXEC)) {
        snprintf(r->error, sizeof r->error, "pipe: %s", strerror(errno));
        return -1;
    }
    /* The caller's children from before the run (other workers) are never taken for the
     * program's; before[n_before] holds the program itself until the loop reaps it. */
    struct child *v;
    size_t n_before = list_children(NULL, 0, &v);
    int *before = malloc((n_before + 1) * sizeof *before);
    for (size_t i = 0; before && i < n_before; i++)
        before[i] = v[i].pid;
    free(v);
    double t0 = rl_now_s();
    pid_t pid = before ? fork() : -1;
    if (pid < 0) {
        snprintf(r->error, sizeof r->error, "fork: %s", before ? strerror(errno) : "out of memory");
        free(before);
        return -1;
    }
    before[n_before] = (int)pid;
    if (pid == 0)
        child(o, outp[1], errp[1], statp[1]);
    setpgid(pid, pid); /* also in the parent, so the group exists before we may signal it */
    close(outp[1]);
    close(errp[1]);
    close(statp[1]);

    int exec_errno = 0;
    ssize_t got = read(statp[0], &exec_errno, sizeof exec_errno);
    close(statp[0]);
    if (got == (ssize_t)sizeof exec_errno) {
        if (exec_errno < 0)
            snprintf(r->error, sizeof r->error, "cannot change to directory %s: %s", o->cwd,
                     strerror(-exec_errno));
        else
            snprintf(r->error, sizeof r->error, "cannot run %s: %s", o->argv[0],
                     strerror(exec_errno));
        waitpid(pid, NULL, 0);
        close(outp[0]);
        close(errp[0]);
        free(before);
        return -1;
    }
    r->started = 1;
    r->pid = (int)pid;

    struct pollfd fds[2] = {{outp[0], POLLIN, 0}, {errp[0], POLLIN, 0}};
    int open_fds = 2, status = 0, reaped = 0;
    double term_at = o->timeout_s > 0 ? t0 + o->timeout_s : 0, kill_at = 0, reaped_at = 0;
    char chunk[65536];
    while (open_fds > 0 || !reaped) {
        double t = rl_now_s();
        if (rl_spawn_stop && !r->interrupted) {
            r->interrupted = rl_spawn_stop;
            kill(-pid, SIGKILL);
            rl_kill_children(before, n_before + !reaped); /* the loop reaps the program itself */
        }
        if (!reaped && term_at && t >= term_at && !r->timed_out) {
            r->timed_out = 1;
            kill(-pid, SIGTERM);
            kill_at = t + grace;
        }
        if (kill_at && t >= kill_at) {
            kill(-pid, SIGKILL);
            kill_at = 0;
        }
        /* The main process is gone but something still holds the pipes: a forked child in
         * its group, or one that left the group with setsid(), which no group signal
         * reaches but which came to us as an orphan. Give it a moment, then kill them all;
         * should the pipes stay open even so, stop reading after the grace period. */
        if (reaped && t - reaped_at > 0.5) {
            if (!r->interrupted)
                r->leftovers += rl_kill_children(before, n_before);
            kill(-pid, SIGKILL);
            if (t - reaped_at > 0.5 + grace) {
                r->pipes_held = 1;
                for (int i = 0; i < 2; i++)
                    if (fds[i].fd >= 0) {
                        close(fds[i].fd);
                        fds[i].fd = -1;
                        open_fds--;
                    }
                continue;
            }
        }
        if (!reaped) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                reaped = 1;
                reaped_at = rl_now_s();
                continue;
            }
        }
        if (open_fds == 0) {
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        int ms = 50;
        if (poll(fds, 2, ms) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n > 0) {
                if (i == 0)
                    rl_buf_append_capped(&r->out, cap, &r->out_dropped, chunk, (size_t)n);
                else
                    rl_buf_append_capped(&r->err, cap, &r->err_dropped, chunk, (size_t)n);
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    if (!reaped) { /* poll failed: end the run here */
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    /* Nothing of the run outlives it. What closed the pipes and kept running (a child that
     * moved to its own group and let go of stdout) is a leftover too; a child still on its
     * way out (a symbolizer that saw its input close) gets 0.2 s to finish. */
    for (double until = rl_now_s() + 0.2; child_running(before, n_before) && rl_now_s() < until;) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int killed = rl_kill_children(before, n_before);
    free(before);
    if (!r->interrupted)
        r->leftovers += killed;
    r->wall_s = rl_now_s() - t0;
    if (WIFEXITED(status)) {
        r->exited = 1;
        r->exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r->signal = WTERMSIG(status);
    }
    if (r->out.data == NULL)
        rl_buf_append(&r->out, "", 0);
    if (r->err.data == NULL)
        rl_buf_append(&r->err, "", 0);
    return 0;
}

void rl_spawn_result_free(struct rl_spawn_result *r)
{
    rl_buf_free(&r->out);
    rl_buf_free(&r->err);
}
