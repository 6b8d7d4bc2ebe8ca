#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void keep(struct rl_buf *b, size_t *dropped, size_t cap, const char *s, size_t n)
{
    size_t room = b->len < cap ? cap - b->len : 0;
    size_t take = n < room ? n : room;
    if (take)
        rl_buf_append(b, s, take);
    *dropped += n - take;
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
    size_t cap = o->cap ? o->cap : (size_t)1 << 20;
    double grace = o->grace_s > 0 ? o->grace_s : 2.0;
    int outp[2], errp[2], statp[2];
    if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) || pipe2(statp, O_CLOEXEC)) {
        snprintf(r->error, sizeof r->error, "pipe: %s", strerror(errno));
        return -1;
    }
    double t0 = rl_now_s();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(r->error, sizeof r->error, "fork: %s", strerror(errno));
        return -1;
    }
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
         * its group (killed here), or one that left the group with setsid(), which no
         * group signal reaches. Give it a moment, kill the group, and after the grace
         * period stop reading: the run is over, whatever it left behind. */
        if (reaped && t - reaped_at > 0.5) {
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
                    keep(&r->out, &r->out_dropped, cap, chunk, (size_t)n);
                else
                    keep(&r->err, &r->err_dropped, cap, chunk, (size_t)n);
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    kill(-pid, SIGKILL); /* nothing of the run outlives it */
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
