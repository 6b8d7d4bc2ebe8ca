#include "explore.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "racelab/protocol.h"
#include "spawn.h"

static const size_t OUTPUT_CAP = 256 * 1024; /* per stream, as a cell's run */

const char *rl_explore_end_name(enum rl_explore_end e)
{
    static const char *const names[] = {"found", "exhausted", "budget", "error"};
    return (unsigned)e < sizeof names / sizeof *names ? names[e] : "error";
}

void rl_explore_run_free(struct rl_explore_run *r)
{
    free(r->taken);
    free(r->ready);
    memset(r, 0, sizeof *r);
}

void rl_explore_result_free(struct rl_explore_result *res)
{
    rl_explore_run_free(&res->bad);
}

static void push_choice(struct rl_explore_run *r, unsigned taken, unsigned ready)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        unsigned char *t = realloc(r->taken, cap), *q = t ? realloc(r->ready, cap) : NULL;
        if (q == NULL)
            abort();
        r->taken = t, r->ready = q, r->cap = cap;
    }
    r->taken[r->n] = (unsigned char)taken;
    r->ready[r->n] = (unsigned char)ready;
    r->n++;
}

/* "a.b.c" into a list; n_want its length. -1 when not digits and dots. */
static int dotted(const char *s, size_t n_want, unsigned max, struct rl_explore_run *r, int ready)
{
    size_t k = 0;
    const char *p = s;
    while (*p && *p != ' ' && *p != '\n') {
        unsigned long v = 0;
        const char *start = p;
        while (*p >= '0' && *p <= '9' && v <= max)
            v = v * 10 + (unsigned long)(*p++ - '0');
        if (p == start || v > max || k >= n_want)
            return -1;
        if (ready)
            r->ready[k] = (unsigned char)v;
        else
            push_choice(r, (unsigned)v, 0);
        k++;
        if (*p == '.' && (p[1] < '0' || p[1] > '9'))
            return -1;
        p += *p == '.';
    }
    return k == n_want ? 0 : -1;
}

int rl_explore_parse_line(const char *out, struct rl_explore_run *r)
{
    static const char tag[] = RL_PROTO_SCHEDULE " ";
    const char *line = NULL;
    for (const char *p = out; (p = strstr(p, tag)) != NULL; p++)
        if (p == out || p[-1] == '\n')
            line = p + sizeof tag - 1;
    r->n = 0;
    r->has_line = line != NULL;
    if (line == NULL)
        return 1;
    char text[120];
    rl_strlcpyn(text, sizeof text, line, strcspn(line, "\n"));
    unsigned long n = 0;
    int at = 0;
    if (sscanf(line, "choices=%lu taken=%n", &n, &at) != 1 || at == 0 || n > 1000000)
        goto bad;
    if (dotted(line + at, n, 255, r, 0) != 0)
        goto bad;
    const char *ready = strstr(line + at, " ready=");
    if (ready == NULL || ready > line + strcspn(line, "\n") || dotted(ready + 7, n, 255, r, 1) != 0)
        goto bad;
    for (size_t k = 0; k < r->n; k++)
        if (r->ready[k] < 2 || r->taken[k] >= r->ready[k])
            goto bad;
    return 0;
bad:
    r->n = 0;
    snprintf(r->error, sizeof r->error, "the program's schedule line is malformed: %s%s", text,
             strlen(line) >= sizeof text ? "..." : "");
    return -1;
}

/* The schedule as RACELAB_SCHEDULE takes it: indices joined by '.', without the trailing
 * zeros (a choice point past the list takes 0). 0, or -1 when it outgrows RL_EXPLORE_SCHEDULE_MAX.
 */
static int schedule_text(const unsigned char *v, size_t n, char *out, size_t len)
{
    while (n > 0 && v[n - 1] == 0)
        n--;
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + used, len - used, i ? ".%u" : "%u", v[i]);
        if (w < 0 || (size_t)w >= len - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}

/* Can a choice point where index `taken` of `ready` was run, after `before` delays, still take
 * index taken + 1 within the bound? The one rule of the search: the engine moves there next,
 * and fork mode keeps a checkpoint there for it. */
static int can_move(unsigned long before, unsigned taken, unsigned ready, unsigned bound)
{
    return taken + 1u < ready && before + taken + 1u <= bound;
}

/* The next schedule in lexicographic order whose delays stay within bound: the deepest choice
 * point that can take one more index, everything after it back to 0. Its prefix goes to
 * `next` (length in *n_next). 0, or 1 when the tree is exhausted. */
static int next_prefix(const struct rl_explore_run *r, unsigned bound, unsigned char *next,
                       size_t *n_next)
{
    unsigned long before = 0; /* delays of taken[0..i) */
    for (size_t i = 0; i < r->n; i++)
        before += r->taken[i];
    for (size_t i = r->n; i-- > 0;) {
        before -= r->taken[i];
        if (can_move(before, r->taken[i], r->ready[i], bound)) {
            memcpy(next, r->taken, i);
            next[i] = (unsigned char)(r->taken[i] + 1);
            *n_next = i + 1;
            return 0;
        }
    }
    return 1;
}

void rl_explore(unsigned bound, unsigned long budget, rl_explore_run_fn run, void *ctx,
                struct rl_explore_result *res)
{
    memset(res, 0, sizeof *res);
    res->bound = bound;
    res->budget = budget;
    struct rl_explore_run r = {0};
    unsigned char *prefix = NULL;
    size_t n_prefix = 0, prefix_cap = 0;
    char asked[RL_EXPLORE_SCHEDULE_MAX];
    for (;;) {
        if (res->runs == budget) {
            res->end = RL_EXPLORE_BUDGET;
            break;
        }
        /* the prefix is at most one longer than a schedule that fit, but may not fit itself */
        if (schedule_text(prefix, n_prefix, asked, sizeof asked) != 0) {
            res->end = RL_EXPLORE_ERROR;
            snprintf(res->error, sizeof res->error,
                     "a schedule of %zu choice points is longer than the %d bytes racelab keeps "
                     "for one (RL_EXPLORE_SCHEDULE_MAX)",
                     n_prefix, RL_EXPLORE_SCHEDULE_MAX - 1);
            break;
        }
        const char *cut = strlen(asked) > 200 ? "..." : ""; /* messages are for people */
        r.error[0] = '\0';
        r.result_line[0] = '\0';
        r.n = 0;
        r.has_line = 0;
        int ran = run(ctx, asked, &r);
        res->runs++;
        if (ran != 0 || r.error[0]) {
            res->end = RL_EXPLORE_ERROR;
            snprintf(res->error, sizeof res->error, "under schedule '%.200s%s': %s", asked, cut,
                     r.error[0] ? r.error : "the program did not run");
            break;
        }
        /* a run killed or crashed says nothing about its choices: the schedule asked is its */
        int answered = r.outcome != RL_OUT_HANG && r.outcome != RL_OUT_CRASH;
        if (answered && !r.has_line) {
            res->end = RL_EXPLORE_ERROR;
            snprintf(
                res->error, sizeof res->error,
                "under schedule '%.200s%s' the program exited (%s) without its %s line: it did "
                "not run the cooperative loop in explore mode, so no schedule of it was "
                "checked",
                asked, cut, rl_outcome_name(r.outcome), RL_PROTO_SCHEDULE);
            break;
        }
        size_t differs = n_prefix;
        for (size_t k = 0; answered && k < n_prefix && differs == n_prefix; k++)
            if (k >= r.n || r.taken[k] != prefix[k])
                differs = k;
        if (differs < n_prefix) {
            res->end = RL_EXPLORE_ERROR;
            snprintf(res->error, sizeof res->error,
                     "under schedule '%.200s%s' the program made %zu choices and took index %s at "
                     "choice point %zu, not %u: the same schedule must give the same run",
                     asked, cut, r.n, differs < r.n ? "another" : "none", differs + 1,
                     prefix[differs]);
            break;
        }
        if (!answered) { /* its choices are the prefix asked */
            r.n = 0;
            for (size_t k = 0; k < n_prefix; k++)
                push_choice(&r, prefix[k], 0);
        }
        if (r.outcome != RL_OUT_OK) {
            res->end = RL_EXPLORE_FOUND;
            for (size_t k = 0; k < r.n; k++)
                res->delays += r.taken[k];
            if (schedule_text(r.taken, r.n, res->schedule, sizeof res->schedule) != 0) {
                res->end = RL_EXPLORE_ERROR;
                snprintf(res->error, sizeof res->error,
                         "the schedule that ended in %s is longer than the %d bytes racelab "
                         "keeps for one (RL_EXPLORE_SCHEDULE_MAX)",
                         rl_outcome_name(r.outcome), RL_EXPLORE_SCHEDULE_MAX - 1);
            }
            res->bad = r;
            memset(&r, 0, sizeof r);
            break;
        }
        if (r.n + 1 > prefix_cap) {
            prefix_cap = r.n + 64;
            prefix = realloc(prefix, prefix_cap);
            if (prefix == NULL)
                abort();
        }
        if (next_prefix(&r, bound, prefix, &n_prefix) != 0) {
            res->end = RL_EXPLORE_EXHAUSTED;
            break;
        }
    }
    rl_explore_run_free(&r);
    free(prefix);
}

static void read_run(struct rl_explore_binary *b, struct rl_spawn_result *sr,
                     struct rl_explore_run *r);
static void fork_teardown(struct rl_explore_binary *b);

int rl_explore_binary_run(void *ctx, const char *schedule, struct rl_explore_run *r)
{
    struct rl_explore_binary *b = ctx;
    size_t n_add = 0;
    while (b->env_add && b->env_add[n_add])
        n_add++;
    char **env = calloc(n_add + 2, sizeof *env);
    struct rl_buf var = {0};
    if (env == NULL)
        abort();
    rl_buf_printf(&var, RL_PROTO_SCHEDULE_ENV "=%s", schedule);
    for (size_t i = 0; i < n_add; i++)
        env[i] = b->env_add[i];
    env[n_add] = var.data;
    char *argv[] = {(char *)b->bin, NULL};
    struct rl_spawn_opts so = {
        .argv = argv, .env_add = env, .timeout_s = b->timeout_s, .cap = OUTPUT_CAP};
    struct rl_spawn_result sr;
    int spawned = rl_spawn(&so, &sr);
    free(env);
    rl_buf_free(&var);
    if (spawned != 0 || sr.interrupted) {
        if (sr.interrupted)
            snprintf(r->error, sizeof r->error, "interrupted by SIG%s",
                     sigabbrev_np(sr.interrupted));
        else
            snprintf(r->error, sizeof r->error, "%s", sr.error);
        rl_spawn_result_free(&sr);
        return -1;
    }
    read_run(b, &sr, r);
    return 0;
}

/* How one run ended, in r, and its output kept in b: the same for both runners. */
static void read_run(struct rl_explore_binary *b, struct rl_spawn_result *srp,
                     struct rl_explore_run *r)
{
    struct rl_spawn_result sr = *srp;
    b->wall_s += sr.wall_s;
    b->leftovers += sr.leftovers;
    if (sr.timed_out)
        r->outcome = RL_OUT_HANG;
    else if (!sr.exited) {
        r->outcome = RL_OUT_CRASH;
        r->signal = sr.signal;
    } else {
        r->exit_code = sr.exit_code;
        r->outcome = rl_outcome_from_exit(sr.exit_code);
    }
    const char *out = rl_buf_str(&sr.out);
    if (sr.exited && sr.exit_code == RL_EXIT_SCHEDULE_USAGE) {
        const char *e = rl_buf_str(&sr.err);
        snprintf(r->error, sizeof r->error, "the program refused the schedule (exit %d): %.300s",
                 sr.exit_code, rl_trim((char *)e));
    } else if (sr.out_dropped) {
        snprintf(r->error, sizeof r->error,
                 "stdout outgrew the %zu bytes racelab keeps, so its schedule line is lost",
                 OUTPUT_CAP);
    } else if (r->outcome == RL_OUT_ERROR) {
        snprintf(r->error, sizeof r->error, "exit status %d is outside the contract", sr.exit_code);
    } else if (rl_explore_parse_line(out, r) < 0) {
        /* r->error says what */
    } else if (sr.leftovers) {
        snprintf(r->error, sizeof r->error,
                 "the program left %d process%s running after it "
                 "exited",
                 sr.leftovers, sr.leftovers == 1 ? "" : "es");
    }
    static const char tag[] = RL_PROTO_RESULT " ";
    r->result_line[0] = '\0';
    for (const char *p = out; (p = strstr(p, tag)) != NULL; p++)
        if (p == out || p[-1] == '\n')
            rl_strlcpyn(r->result_line, sizeof r->result_line, p + sizeof tag - 1,
                        strcspn(p + sizeof tag - 1, "\n"));
    rl_buf_free(&b->out);
    rl_buf_free(&b->err);
    b->out = sr.out;
    b->err = sr.err;
    memset(srp, 0, sizeof *srp);
}

void rl_explore_binary_free(struct rl_explore_binary *b)
{
    if (b->root > 0 || b->sock > 0)
        fork_teardown(b);
    free(b->cp);
    free(b->path);
    rl_buf_free(&b->out);
    rl_buf_free(&b->err);
}

/* ---- fork mode ----------------------------------------------------------------------------
 * The tree of processes: the root (started by exec), then one checkpoint per choice point
 * that still has an alternative within the bound, each the parent of the next, and the leaf
 * at the bottom, the one process that runs. cp[0..n_cp) are the checkpoints, outermost
 * first; path[0..n_path) the choices the last leaf made (so every checkpoint's own path is
 * path[0..cp.k)). Only the deepest live process talks on the socket. */

static void fork_teardown(struct rl_explore_binary *b)
{
    if (b->root > 0) {
        kill(-b->root, SIGKILL);
        while (waitpid(-b->root, NULL, 0) > 0 || errno == EINTR)
            ;
    }
    /* what left the group (a setsid child) came to us, the subreaper: count it and kill it */
    b->leftovers += rl_kill_children(NULL, 0);
    if (b->sock > 0)
        close(b->sock);
    for (int i = 0; i < 2; i++)
        if (b->pipe[i] > 0)
            close(b->pipe[i]);
    b->root = 0;
    b->sock = b->pipe[0] = b->pipe[1] = -1;
    b->n_cp = b->n_path = 0;
}

static void path_push(struct rl_explore_binary *b, unsigned taken, unsigned ready)
{
    if (b->n_path == b->cap_path) {
        b->cap_path = b->cap_path ? 2 * b->cap_path : 64;
        b->path = realloc(b->path, b->cap_path * 2);
        if (b->path == NULL)
            abort();
    }
    b->path[2 * b->n_path] = (unsigned char)taken;
    b->path[2 * b->n_path + 1] = (unsigned char)ready;
    b->n_path++;
}

/* The delays the last leaf's first k choices took. */
static unsigned long path_delays(const struct rl_explore_binary *b, size_t k)
{
    unsigned long delays = 0;
    for (size_t i = 0; i < k; i++)
        delays += b->path[2 * i];
    return delays;
}

/* Fresh pipes for a leaf's stdout and stderr: the read ends replace b->pipe, the write ends
 * go to w. */
static int leaf_pipes(struct rl_explore_binary *b, int w[2], char *err, size_t len)
{
    int o[2], e[2];
    if (pipe2(o, O_CLOEXEC) != 0) {
        snprintf(err, len, "pipe: %s", strerror(errno));
        return -1;
    }
    if (pipe2(e, O_CLOEXEC) != 0) {
        snprintf(err, len, "pipe: %s", strerror(errno));
        close(o[0]);
        close(o[1]);
        return -1;
    }
    for (int i = 0; i < 2; i++)
        if (b->pipe[i] > 0)
            close(b->pipe[i]);
    b->pipe[0] = o[0], b->pipe[1] = e[0];
    w[0] = o[1], w[1] = e[1];
    return 0;
}

/* Start the root: the binary by exec, in its own process group, with the socket. */
static int fork_start(struct rl_explore_binary *b, char *err, size_t len)
{
    int sv[2], w[2];
    if (access(b->bin, X_OK) != 0) {
        snprintf(err, len, "cannot run %s: %s", b->bin, strerror(errno));
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, len, "socketpair: %s", strerror(errno));
        return -1;
    }
    if (leaf_pipes(b, w, err, len) != 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);
        dup2(w[0], STDOUT_FILENO);
        dup2(w[1], STDERR_FILENO);
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0)
            dup2(in, STDIN_FILENO);
        int fd = dup(sv[1]); /* without close-on-exec */
        char fdvar[64];
        snprintf(fdvar, sizeof fdvar, RL_PROTO_SCHEDULE_FD_ENV "=%d", fd);
        for (char *const *e = b->env_add; e && *e; e++)
            putenv(*e);
        putenv(fdvar);
        putenv(RL_PROTO_SCHEDULE_ENV "=");
        char *argv[] = {(char *)b->bin, NULL};
        execv(b->bin, argv);
        _exit(127);
    }
    close(sv[1]);
    close(w[0]);
    close(w[1]);
    if (pid < 0) {
        snprintf(err, len, "fork: %s", strerror(errno));
        close(sv[0]);
        return -1;
    }
    setpgid(pid, pid);
    b->sock = sv[0];
    b->root = pid;
    b->leaf = pid;
    b->n_cp = b->n_path = 0;
    return 0;
}

static int ctl_send(struct rl_explore_binary *b, int op, int a, int bb, const int *fds)
{
    struct rl_proto_ctl m = {op, a, bb};
    struct iovec iov = {&m, sizeof m};
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fds) {
        h.msg_control = u.buf;
        h.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(2 * sizeof(int));
        memcpy(CMSG_DATA(c), fds, 2 * sizeof(int));
    }
    ssize_t n;
    while ((n = sendmsg(b->sock, &h, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    return n == (ssize_t)sizeof m ? 0 : -1;
}

/* One message from the tree, waiting at most until `deadline`: 1, 0 on timeout, -1 when the
 * socket closed or failed. */
static int ctl_recv(struct rl_explore_binary *b, struct rl_proto_ctl *m, double deadline)
{
    for (;;) {
        double left = deadline - rl_now_s();
        if (left <= 0)
            return 0;
        struct pollfd p = {b->sock, POLLIN, 0};
        int ms = (int)(left * 1000) + 1;
        if (poll(&p, 1, ms) < 0 && errno != EINTR)
            return -1;
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t n = recv(b->sock, m, sizeof *m, 0);
        if (n == (ssize_t)sizeof *m)
            return 1;
        if (n < 0 && errno == EINTR)
            continue;
        return -1;
    }
}

/* Drop the checkpoints deeper than `keep` (told to quit; their parents report them gone). */
static int fork_pop(struct rl_explore_binary *b, size_t keep, double deadline)
{
    while (b->n_cp > keep) {
        if (ctl_send(b, RL_CTL_QUIT, 0, 0, NULL) != 0)
            return -1;
        b->n_cp--;
        if (b->n_cp == 0) { /* the root itself */
            while (waitpid(b->root, NULL, 0) < 0 && errno == EINTR)
                ;
            b->root = 0;
            close(b->sock);
            b->sock = -1;
            return 0;
        }
        struct rl_proto_ctl m;
        if (ctl_recv(b, &m, deadline) != 1 || m.op != RL_CTL_STATUS)
            return -1;
    }
    return 0;
}

/* Read what the leaf writes, waiting at most ms; a pipe at its end is closed (-1). */
static void drain(struct rl_explore_binary *b, struct rl_spawn_result *sr, int ms)
{
    struct pollfd p[2] = {{b->pipe[0], POLLIN, 0}, {b->pipe[1], POLLIN, 0}};
    if (p[0].fd < 0 && p[1].fd < 0)
        return;
    if (poll(p, 2, ms) <= 0)
        return;
    char chunk[65536];
    for (int i = 0; i < 2; i++) {
        if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t n = read(p[i].fd, chunk, sizeof chunk);
        if (n > 0) {
            if (i)
                rl_buf_append_capped(&sr->err, OUTPUT_CAP, &sr->err_dropped, chunk, (size_t)n);
            else
                rl_buf_append_capped(&sr->out, OUTPUT_CAP, &sr->out_dropped, chunk, (size_t)n);
        } else if (n == 0 || errno != EINTR) {
            close(b->pipe[i]);
            b->pipe[i] = -1;
        }
    }
}

/* The leaf ran to its end (status): its output to the end of its pipes, then read_run. */
static void leaf_done(struct rl_explore_binary *b, struct rl_spawn_result *sr, int status,
                      double t0, struct rl_explore_run *r)
{
    for (double until = rl_now_s() + 1.0;
         (b->pipe[0] >= 0 || b->pipe[1] >= 0) && rl_now_s() < until;)
        drain(b, sr, 50);
    if (WIFEXITED(status)) {
        sr->exited = 1;
        sr->exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        sr->signal = WTERMSIG(status);
    }
    sr->wall_s = rl_now_s() - t0;
    if (sr->out.data == NULL)
        rl_buf_append(&sr->out, "", 0);
    if (sr->err.data == NULL)
        rl_buf_append(&sr->err, "", 0);
    read_run(b, sr, r);
}

int rl_explore_fork_run(void *ctx, const char *schedule, struct rl_explore_run *r)
{
    struct rl_explore_binary *b = ctx;
    /* the schedule asked, as indices */
    size_t m = 0;
    unsigned char want[RL_EXPLORE_SCHEDULE_MAX / 2 + 1];
    for (const char *p = schedule; *p && m < sizeof want;) {
        char *end;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p)
            break; /* rl_explore writes digits and dots only */
        want[m++] = (unsigned char)(v > 255 ? 255 : v);
        p = end + (*end == '.');
    }
    double t0 = rl_now_s();
    double deadline = b->timeout_s > 0 ? t0 + b->timeout_s : t0 + 1e9;
    struct rl_spawn_result sr;
    memset(&sr, 0, sizeof sr);
    char err[300] = "";

    /* the deepest checkpoint on the way to this schedule */
    size_t same = 0;
    while (same < b->n_path && same < m && b->path[2 * same] == want[same])
        same++;
    size_t keep = b->n_cp;
    while (keep > 0 && (b->cp[keep - 1].k >= m || b->cp[keep - 1].k > same))
        keep--;
    if (b->root > 0 && fork_pop(b, keep, deadline) != 0) {
        snprintf(err, sizeof err, "fork mode: a checkpoint did not answer");
        goto fail;
    }
    if (b->root > 0 && b->n_cp > 0) { /* resume at cp[n_cp - 1] */
        size_t k = b->cp[b->n_cp - 1].k;
        unsigned ready = b->cp[b->n_cp - 1].ready;
        b->n_path = k;
        unsigned long delays = path_delays(b, k);
        if (want[k] >= ready) {
            snprintf(err, sizeof err,
                     "choice point %zu has %u ready tasks: index %u is out of range", k + 1, ready,
                     want[k]);
            goto fail;
        }
        int w[2];
        if (leaf_pipes(b, w, err, sizeof err) != 0)
            goto fail;
        int free_run = k + 1 >= m && delays + want[k] >= b->bound;
        /* its last index within the bound: the checkpoint goes on itself, no fork */
        int last = !can_move(delays, want[k], ready, b->bound);
        int sent = ctl_send(b, last ? RL_CTL_TAKE : RL_CTL_FORK, want[k], free_run, w);
        close(w[0]);
        close(w[1]);
        struct rl_proto_ctl msg;
        if (last && sent == 0) {
            b->leaf = b->cp[--b->n_cp].pid;
        } else if (sent != 0 || ctl_recv(b, &msg, deadline) != 1 || msg.op != RL_CTL_FORKED) {
            snprintf(err, sizeof err, "fork mode: the checkpoint at choice point %zu did not fork",
                     k + 1);
            goto fail;
        } else {
            b->leaf = msg.a;
            b->forks++;
        }
        path_push(b, want[k], ready);
    } else {
        if (b->root > 0)
            fork_teardown(b);
        if (fork_start(b, err, sizeof err) != 0)
            goto fail;
    }

    /* drive the leaf to its end */
    int timed_out = 0, hup = 0;
    for (;;) {
        if (rl_spawn_stop) {
            snprintf(err, sizeof err, "interrupted by SIG%s", sigabbrev_np(rl_spawn_stop));
            goto fail;
        }
        if (!timed_out && rl_now_s() >= deadline) {
            timed_out = sr.timed_out = 1;
            kill(b->leaf, SIGKILL);
            deadline = rl_now_s() + 5; /* for its checkpoint to report it */
        } else if (timed_out && rl_now_s() >= deadline) {
            snprintf(err, sizeof err, "fork mode: a killed leaf was never reported");
            goto fail;
        }
        if (b->n_cp == 0) { /* the root is the leaf: racelab is its parent */
            int st;
            pid_t w = waitpid(b->root, &st, WNOHANG);
            if (w == b->root) {
                b->root = 0;
                close(b->sock);
                b->sock = -1;
                b->n_cp = 0;
                leaf_done(b, &sr, st, t0, r);
                return 0;
            }
        }
        struct pollfd p[3] = {
            {hup ? -1 : b->sock, POLLIN, 0}, {b->pipe[0], POLLIN, 0}, {b->pipe[1], POLLIN, 0}};
        if (poll(p, 3, b->n_cp == 0 ? 5 : 50) < 0 && errno != EINTR) {
            snprintf(err, sizeof err, "poll: %s", strerror(errno));
            goto fail;
        }
        if (p[1].revents || p[2].revents)
            drain(b, &sr, 0);
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        if (p[0].revents & POLLHUP) {
            hup = b->n_cp == 0;
            if (hup)
                continue; /* the root, the leaf, is exiting: waitpid says how */
            snprintf(err, sizeof err, "fork mode: the process tree closed its control socket");
            goto fail;
        }
        struct rl_proto_ctl msg;
        if (ctl_recv(b, &msg, rl_now_s() + 1) != 1) {
            snprintf(err, sizeof err, "fork mode: the control socket failed");
            goto fail;
        }
        if (msg.op == RL_CTL_STATUS) { /* the leaf is gone; its checkpoint waits for a command */
            leaf_done(b, &sr, msg.a, t0, r);
            return 0;
        }
        if (msg.op != RL_CTL_CHOICE || (size_t)msg.a != b->n_path || msg.b < 2 || msg.b > 255) {
            snprintf(err, sizeof err, "fork mode: message %d (%d, %d) out of turn", msg.op, msg.a,
                     msg.b);
            goto fail;
        }
        size_t k = (size_t)msg.a;
        unsigned ready = (unsigned)msg.b, i = k < m ? want[k] : 0;
        unsigned long delays = path_delays(b, k);
        if (i >= ready) {
            snprintf(err, sizeof err,
                     "choice point %zu has %u ready tasks: index %u is out of range", k + 1, ready,
                     i);
            goto fail;
        }
        int free_run = k + 1 >= m && delays + i >= b->bound;
        if (can_move(delays, i, ready, b->bound)) { /* an alternative is left: checkpoint */
            int w[2];
            if (leaf_pipes(b, w, err, sizeof err) != 0)
                goto fail;
            rl_buf_free(&sr.out); /* a leaf's output is what it wrote after its last fork */
            rl_buf_free(&sr.err);
            sr.out_dropped = sr.err_dropped = 0;
            int sent = ctl_send(b, RL_CTL_FORK, (int)i, free_run, w);
            close(w[0]);
            close(w[1]);
            if (sent != 0 || ctl_recv(b, &msg, rl_now_s() + 5) != 1 || msg.op != RL_CTL_FORKED) {
                snprintf(err, sizeof err, "fork mode: choice point %zu did not fork (%d: %d %d)",
                         k + 1, msg.op, msg.a, msg.b);
                goto fail;
            }
            if (b->n_cp == b->cap_cp) {
                b->cap_cp = b->cap_cp ? 2 * b->cap_cp : 64;
                b->cp = realloc(b->cp, b->cap_cp * sizeof *b->cp);
                if (b->cp == NULL)
                    abort();
            }
            b->cp[b->n_cp++] = (struct rl_explore_checkpoint){k, ready, b->leaf};
            b->leaf = msg.a;
            b->forks++;
        } else if (ctl_send(b, RL_CTL_TAKE, (int)i, free_run, NULL) != 0) {
            snprintf(err, sizeof err, "fork mode: the control socket: %s", strerror(errno));
            goto fail;
        }
        path_push(b, i, ready);
    }
fail:
    rl_spawn_result_free(&sr);
    fork_teardown(b);
    snprintf(r->error, sizeof r->error, "%s", err);
    return -1;
}
