#include "explore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        if (r->taken[i] + 1u < r->ready[i] && before + r->taken[i] + 1u <= bound) {
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
    memset(&sr.out, 0, sizeof sr.out);
    memset(&sr.err, 0, sizeof sr.err);
    rl_spawn_result_free(&sr);
    return 0;
}

void rl_explore_binary_free(struct rl_explore_binary *b)
{
    rl_buf_free(&b->out);
    rl_buf_free(&b->err);
}
