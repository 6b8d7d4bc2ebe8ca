/* What a detector reported, in racelab's closed vocabulary, and what the program observed. */
#ifndef RACELAB_FINDING_H
#define RACELAB_FINDING_H

#include <stddef.h>

/* RL_SCHEDULE: explore found a schedule of the cooperative loop whose outcome breaks the
 * variant's invariant; its name is that outcome (schedule:lost-update). */
enum rl_kind {
    RL_RACE,
    RL_LOCK_ORDER,
    RL_THREAD_LEAK,
    RL_BAD_UNLOCK,
    RL_API_MISUSE,
    RL_SCHEDULE,
    RL_KIND_COUNT
};

/* One finding. `symbols` names the memory or locks involved (comma-separated globals, or a
 * location such as "heap"); `functions` the innermost project function of each stack. */
struct rl_finding {
    enum rl_kind kind;
    char tool_kind[48];  /* the detector's own word: data-race, Race, ConflictingAccess... */
    char symbols[256];   /* "counter" or "lock_a,lock_b" */
    char functions[256]; /* "worker" or "worker,main" */
    char file[256];      /* first frame in the project, relative to the case when possible */
    int line;            /* 0 when the detector gave none */
    char file2[256];     /* the same for the next stack that has one (a race's other access) */
    int line2;
    int names_cut; /* a name did not fit symbols or functions: judged as an error, never cut */
};

/* Findings of one run. `ran` is set only when the detector's channel proves it ran to the
 * end (Valgrind's XML says FINISHED, the TSan runtime announced itself); without it the run
 * has no findings verdict at all. */
struct rl_findings {
    struct rl_finding *v;
    size_t n, cap;
    int ran;
    char error[256]; /* why the channel is unreadable, when !ran */
};

void rl_findings_add(struct rl_findings *f, const struct rl_finding *x);
void rl_findings_free(struct rl_findings *f);

const char *rl_kind_name(enum rl_kind k);
int rl_kind_parse(const char *s); /* -1 when unknown */

/* Does `name` occur as a comma-separated item of `list`? */
int rl_list_has(const char *list, const char *name);
/* Append `name` to a comma-separated list (of `size` bytes) unless already present. 0, or -1
 * when it does not fit (the list is left as it was: the caller must say so). */
int rl_list_add(char *list, size_t size, const char *name);
/* Append a global's symbol as the source names it: without the ".N" a compiler appends when
 * it splits a struct into one global per field (clang: stats.1) or names a function-static
 * variable (gcc: hits.0). The tool's own text keeps the full symbol for people to read. */
int rl_list_add_symbol(char *list, size_t size, const char *symbol);

/* The program's own outcome, from its exit status (docs/design.md, "The protocol"). */
enum rl_outcome {
    RL_OUT_OK,
    RL_OUT_STARVED,
    RL_OUT_INCONCLUSIVE,
    RL_OUT_WATCHDOG,
    RL_OUT_LOST_UPDATE,
    RL_OUT_DEADLOCK, /* the cooperative loop ended with tasks left and none ready */
    RL_OUT_CRASH,
    RL_OUT_HANG,
    RL_OUT_ERROR, /* an exit status outside the contract, or the run could not start */
    RL_OUT_COUNT
};

const char *rl_outcome_name(enum rl_outcome o);
int rl_outcome_parse(const char *s); /* -1 when unknown */
enum rl_outcome rl_outcome_from_exit(int exit_code);

#endif
