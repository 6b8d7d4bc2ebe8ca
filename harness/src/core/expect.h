/* expect: the one place a case's verdicts live.
 *
 *   family: race                      race | starvation (a ctest label)
 *   lesson: one line a learner reads above the diff
 *   cert: CON43-C,POS49-C             optional: the SEI CERT C rules the case shows
 *   cflags: -DN=4 -O2                 optional: more compile flags, for every flavor
 *   ldflags: -lm                      optional: more link flags, for every flavor
 *   param: ITERS=100,1000,10000       optional, one per name: a parameter the variants read
 *                                     from RACELAB_PARAM_ITERS (a default when unset);
 *                                     `racelab stats --sweep ITERS` measures each value
 *   # variant  tools      findings       outcome          reason
 *   unsafe     native     -              may:lost-update  why this cell is what it is
 *   unsafe     detectors  race:counter   may:lost-update  ...
 *
 * tools: a tool, a comma list, or a group (* detectors tsan valgrind).
 * findings: `-` for native (no detector) and for hang rows (a killed run leaves the detector no
 *   report to finish), `clean`, or a comma list of kind:name where kind is
 *   race | lock-order | thread-leak | bad-unlock | api-misuse and name is the variable,
 *   lock or function the finding must name, or `*`: any name no named item of the row takes;
 *   or schedule:OUTCOME (explore: a schedule of the cooperative loop ended in OUTCOME).
 *   kind:name wants at least one report; kind:name=N exactly N. Every report must be wanted.
 * outcome: ok | starved | inconclusive | watchdog | lost-update | deadlock | crash | hang |
 *   exit:N (the program exited with status N, a convention of its own), alternatives joined
 *   with '|', and may:X meaning ok|X (a consequence that is likely, not certain).
 * Every (variant, tool) pair must be covered by exactly one row. A file is read whole or not
 * at all: one over RL_EXPECT_MAX_BYTES is refused, naming the limit. */
#ifndef RACELAB_EXPECT_H
#define RACELAB_EXPECT_H

#include <stddef.h>

#include "finding.h"

enum { RL_EXPECT_MAX_NEED = 8, RL_EXPECT_MAX_EXITS = 4, RL_EXPECT_MAX_COUNT = 100000,
       RL_EXPECT_MAX_BYTES = 64 << 20 };
enum { RL_EXPECT_MAX_CERT = 8 }; /* rules one cert: header may name */

/* param: NAME=v1,v2,...: a name of capitals, digits and '_' (a capital first, at most
 * RL_PARAM_NAME_MAX - 1), and whole values from 0 to RL_PARAM_VALUE_MAX, each once. */
enum { RL_EXPECT_MAX_PARAMS = 4, RL_PARAM_MAX_VALUES = 16, RL_PARAM_NAME_MAX = 32 };
#define RL_PARAM_VALUE_MAX 1000000000L
struct rl_param {
    char name[RL_PARAM_NAME_MAX];
    long values[RL_PARAM_MAX_VALUES];
    int n_values;
    int line;
};

struct rl_need {
    enum rl_kind kind;
    char name[128]; /* "*": any name that no named need of the row matches */
    int count;      /* 0: at least one report; N: exactly N reports */
};

struct rl_expect_row {
    char variant[64];
    char tools_spec[64];
    unsigned tools;  /* mask over rl_tools */
    int no_detector; /* findings column was '-' */
    int n_need;      /* 0 with !no_detector: clean */
    struct rl_need need[RL_EXPECT_MAX_NEED];
    char findings_spec[256];
    unsigned outcomes;                   /* mask over enum rl_outcome */
    int exit_codes[RL_EXPECT_MAX_EXITS]; /* exit:N alternatives (never a contract status) */
    int n_exit_codes;
    char outcome_spec[64];
    char reason[512];
    int line;
};

struct rl_expect {
    char path[512];
    char family[32];
    char lesson[512];
    char cert[RL_EXPECT_MAX_CERT][8]; /* rule ids, as written: "CON32-C" */
    int n_cert;
    char cflags[512]; /* options only, separated by spaces; "" when not given */
    char ldflags[512];
    struct rl_param params[RL_EXPECT_MAX_PARAMS];
    int n_params;
    struct rl_expect_row *rows;
    size_t n_rows;
};

/* Parse `text` (the file's contents; `path` is used in messages). On error returns -1 and
 * writes "path:line: what is wrong" to err. */
int rl_expect_parse(const char *text, const char *path, struct rl_expect *e, char *err,
                    size_t errlen);
int rl_expect_load(const char *path, struct rl_expect *e, char *err, size_t errlen);
void rl_expect_free(struct rl_expect *e);

/* Check coverage against the variants that exist: every row names an existing variant and
 * every (variant, tool) is covered exactly once, except that `explore` needs a row only for
 * the variants on the cooperative loop (bit i of on_loop: variants[i]); it skips the others
 * whatever their rows say. Returns -1 with "path:line: ..." in err. */
int rl_expect_validate_loop(const struct rl_expect *e, const char *const *variants, size_t n,
                            unsigned on_loop, char *err, size_t errlen);
/* rl_expect_validate_loop with no variant on the loop. */
int rl_expect_validate(const struct rl_expect *e, const char *const *variants, size_t n, char *err,
                       size_t errlen);

/* The row covering (variant, tool), or NULL. */
const struct rl_expect_row *rl_expect_find(const struct rl_expect *e, const char *variant,
                                           int tool);
/* rl_expect_find, except that `explore` on a variant with no row for it (one not on the
 * cooperative loop, which it skips) gets a row of its own that expects nothing and matches
 * nothing, so that the skipped cell can be reported. */
const struct rl_expect_row *rl_expect_cell_row(const struct rl_expect *e, const char *variant,
                                               int tool);

/* The case's parameter of that name, or NULL. */
const struct rl_param *rl_expect_param(const struct rl_expect *e, const char *name);

/* Render a row's findings expectation for people ("race on counter", "clean", "-"). */
void rl_expect_findings_text(const struct rl_expect_row *r, char *out, size_t len);

#endif
