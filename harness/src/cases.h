/* cases: find case folders (a folder with an `expect` file and *.c variants). */
#ifndef RACELAB_CASES_H
#define RACELAB_CASES_H

#include <stddef.h>

enum { RL_MAX_VARIANTS = 16 };

struct rl_case {
    char name[64];
    char dir[512];
    char variants[RL_MAX_VARIANTS][64]; /* unsafe first, then unsafe_*, then safe_* */
    size_t n_variants;
};

struct rl_caselist {
    struct rl_case *v;
    size_t n;
};

/* Add the case at `dir`, or every case folder directly inside it. Returns -1 with a message
 * when dir holds no case, or a case name is taken twice. */
int rl_cases_scan(struct rl_caselist *l, const char *dir, char *err, size_t errlen);
void rl_cases_free(struct rl_caselist *l);
const struct rl_case *rl_cases_find(const struct rl_caselist *l, const char *name);
int rl_variant_is_unsafe(const char *variant);

#endif
