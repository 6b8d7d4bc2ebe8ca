#include "finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racelab/protocol.h"
#include "util.h"

static const char *const kind_names[RL_KIND_COUNT] = {
    "race", "lock-order", "thread-leak", "bad-unlock", "api-misuse", "schedule",
};

static const char *const outcome_names[RL_OUT_COUNT] = {
    "ok",       "starved", "inconclusive", "watchdog", "lost-update",
    "deadlock", "crash",   "hang",         "error",
};

void rl_findings_add(struct rl_findings *f, const struct rl_finding *x)
{
    rl_grow(&f->v, &f->cap, f->n, sizeof *f->v, 8);
    f->v[f->n++] = *x;
}

void rl_findings_free(struct rl_findings *f)
{
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}

const char *rl_kind_name(enum rl_kind k)
{
    return (unsigned)k < RL_KIND_COUNT ? kind_names[k] : "?";
}

int rl_kind_parse(const char *s)
{
    return rl_name_index(kind_names, RL_KIND_COUNT, s);
}

int rl_list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    if (n == 0)
        return 0;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

int rl_list_add(char *list, size_t size, const char *name)
{
    if (name[0] == '\0' || rl_list_has(list, name))
        return 0;
    size_t len = strlen(list);
    if (len + (len ? 1 : 0) + strlen(name) + 1 > size)
        return -1;
    if (len)
        strcat(list, ",");
    strcat(list, name);
    return 0;
}

int rl_list_add_symbol(char *list, size_t size, const char *symbol)
{
    char name[256];
    if (strlen(symbol) >= sizeof name)
        return -1;
    rl_strlcpy(name, symbol, sizeof name);
    char *dot = strrchr(name, '.');
    if (dot && dot > name && dot[1] != '\0' && strspn(dot + 1, "0123456789") == strlen(dot + 1))
        *dot = '\0';
    return rl_list_add(list, size, name);
}

const char *rl_outcome_name(enum rl_outcome o)
{
    return (unsigned)o < RL_OUT_COUNT ? outcome_names[o] : "?";
}

int rl_outcome_parse(const char *s)
{
    return rl_name_index(outcome_names, RL_OUT_COUNT, s);
}

enum rl_outcome rl_outcome_from_exit(int exit_code)
{
    switch (exit_code) {
    case RL_EXIT_OK:
        return RL_OUT_OK;
    case RL_EXIT_STARVED:
        return RL_OUT_STARVED;
    case RL_EXIT_INCONCLUSIVE:
        return RL_OUT_INCONCLUSIVE;
    case RL_EXIT_WATCHDOG:
        return RL_OUT_WATCHDOG;
    case RL_EXIT_LOST_UPDATE:
        return RL_OUT_LOST_UPDATE;
    case RL_EXIT_DEADLOCK:
        return RL_OUT_DEADLOCK;
    default:
        return RL_OUT_ERROR;
    }
}
