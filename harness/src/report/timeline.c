#include "timeline.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racelab/protocol.h"
#include "util.h"

static const char TAG[] = RL_PROTO_TIMELINE;

/* The last whitespace-separated word of s[0..*n), as an unsigned number; *n shrinks to the
 * text before it. Returns -1 when it is not a number. A number too large for unsigned long
 * saturates at ULONG_MAX, so that the caller counts it as out of range, not as no line. */
static int last_number(const char *s, size_t *n, unsigned long *v)
{
    size_t e = *n;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    size_t b = e;
    while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9')
        b--;
    if (b == e || (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\t'))
        return -1;
    if (e - b > 20) {
        *v = ULONG_MAX;
    } else {
        char num[24];
        memcpy(num, s + b, e - b);
        num[e - b] = '\0';
        *v = strtoul(num, NULL, 10); /* ULONG_MAX when it does not fit */
    }
    *n = b;
    return 0;
}

static struct rl_tl_task *task_of(struct rl_timeline *tl, const char *name, size_t len)
{
    if (len >= sizeof tl->tasks[0].name)
        len = sizeof tl->tasks[0].name - 1;
    for (size_t i = 0; i < tl->n_tasks; i++)
        if (strlen(tl->tasks[i].name) == len && memcmp(tl->tasks[i].name, name, len) == 0)
            return &tl->tasks[i];
    if (tl->n_tasks == RL_TIMELINE_MAX_TASKS)
        return NULL;
    struct rl_tl_task *t = &tl->tasks[tl->n_tasks++];
    memcpy(t->name, name, len);
    t->name[len] = '\0';
    return t;
}

static void add_span(struct rl_tl_task *t, unsigned long start, unsigned long units)
{
    rl_grow(&t->v, &t->cap, t->n, sizeof *t->v, 64);
    t->v[t->n++] = (struct rl_span){start, units};
    t->total = units > ULONG_MAX - t->total ? ULONG_MAX : t->total + units; /* overlaps */
    if (units > t->longest)
        t->longest = units;
}

size_t rl_timeline_parse(const char *text, size_t max_spans, struct rl_timeline *tl)
{
    memset(tl, 0, sizeof *tl);
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *next = nl ? nl + 1 : NULL;
        if (len > sizeof TAG - 1 && strncmp(line, TAG, sizeof TAG - 1) == 0) {
            const char *s = line + sizeof TAG - 1;
            size_t n = len - (sizeof TAG - 1);
            if (n && s[n - 1] == '\r')
                n--;
            while (n && (*s == ' ' || *s == '\t'))
                s++, n--;
            unsigned long start, units;
            if (last_number(s, &n, &units) == 0 && last_number(s, &n, &start) == 0) {
                while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                    n--;
                int in_range = units <= RL_TIMELINE_MAX_END && start <= RL_TIMELINE_MAX_END - units;
                struct rl_tl_task *t = n && in_range ? task_of(tl, s, n) : NULL;
                if (n == 0) {
                    /* no task name: not a timeline line */
                } else if (!in_range) {
                    tl->out_of_range++;
                } else if (t == NULL || (max_spans && tl->n_spans >= max_spans)) {
                    tl->dropped++;
                } else {
                    add_span(t, start, units);
                    tl->n_spans++;
                    if (start + units > tl->end)
                        tl->end = start + units;
                }
            }
        }
        line = next;
    }
    return tl->n_spans;
}

void rl_timeline_free(struct rl_timeline *tl)
{
    for (size_t i = 0; i < tl->n_tasks; i++)
        free(tl->tasks[i].v);
    memset(tl, 0, sizeof *tl);
}

size_t rl_timeline_merge(const struct rl_tl_task *t, double units_per_px, struct rl_span *out,
                         size_t cap)
{
    size_t n = 0;
    double slack = units_per_px / 2, narrow = 2 * units_per_px;
    unsigned long prev_units = 0; /* the last hold read, before merging */
    for (size_t i = 0; i < t->n; i++) {
        const struct rl_span *s = &t->v[i];
        /* Only holds too narrow to tell apart are merged: a long hold stays one bar of its
         * own even when the same task held just before or after it. */
        int fine = (double)s->units < narrow && (double)prev_units < narrow;
        prev_units = s->units;
        if (n > 0 && fine) {
            struct rl_span *last = &out[n - 1];
            unsigned long end = last->start + last->units;
            if (s->start >= last->start && (double)s->start <= (double)end + slack) {
                if (s->start + s->units > end)
                    last->units = s->start + s->units - last->start;
                continue;
            }
        }
        if (n == cap)
            break;
        out[n++] = *s;
    }
    return n;
}
