/* cases: find case folders (a folder with an `expect` file and *.c variants). */
#ifndef RACELAB_CASES_H
#define RACELAB_CASES_H

#include <limits.h>
#include <stddef.h>

#include "util.h"

enum { RL_MAX_VARIANTS = 16 };

struct rl_case {
    char name[64];
    char dir[PATH_MAX];
    char variants[RL_MAX_VARIANTS][64]; /* unsafe first, then unsafe_*, then safe_* */
    size_t n_variants;
    unsigned on_loop; /* bit i: variants[i] runs on the cooperative loop (rl_source_on_loop) */
    int cmake_built; /* in a configured case folder: CMake builds its variants */
};

struct rl_caselist {
    struct rl_case *v;
    size_t n;
    struct rl_buf errors; /* "folder: why it was left out\n" per case folder left out */
};

/* Add the case at `dir`, or every case folder directly inside it. Case and variant names must
 * be [A-Za-z0-9_-]+ (a dot would read as the CASE.VARIANT.TOOL separator). A case folder
 * that cannot be added (a bad name, a name taken twice, no variant) is left out and the scan
 * goes on. Returns -1 when anything was left out or dir holds no case: the first reason in
 * err, every reason as one line in l->errors. */
int rl_cases_scan(struct rl_caselist *l, const char *dir, char *err, size_t errlen);
void rl_cases_free(struct rl_caselist *l);
const struct rl_case *rl_cases_find(const struct rl_caselist *l, const char *name);
int rl_variant_is_unsafe(const char *variant);

/* Is the variant source at `path` on the cooperative loop, so that the `explore` tool applies?
 * It is when a line of it includes "racelab/coop.h". The source decides, not the binary:
 * every variant links all the fixtures' objects, so every binary defines coop_run. 1 yes,
 * 0 no or unreadable. */
int rl_source_on_loop(const char *path);
/* Is c->variants[i] named `variant` on the loop (c->on_loop)? */
int rl_case_on_loop(const struct rl_case *c, const char *variant);

/* A case's suppression file for a detector kind (enum rl_tool_kind in tools.h), beside its
 * `expect`: suppress.tsan (ThreadSanitizer's format, passed as TSAN_OPTIONS suppressions=) or
 * suppress.supp (Valgrind's, passed as --suppressions=). Returns 1 with its absolute path in
 * path, 0 when the case has none for that kind (native never has one), or -1 with a message
 * naming the file when it cannot be passed: unreadable, or a path holding a character that
 * TSAN_OPTIONS splits on (space, ':', ',', quotes). The run and its bare fidelity twin call
 * this alike, so both see the same file. */
int rl_case_suppressions(const struct rl_case *c, int tool_kind, char *path, size_t len,
                         char *err, size_t errlen);

/* Cell ids and run folders have this one owner. A cell's id is CASE.VARIANT.TOOL and its
 * run folder <run_dir>/CASE.VARIANT.TOOL. Each part must be a name ([A-Za-z0-9_-]+, as
 * rl_cases_scan makes sure for cases and variants), so no part holds the dot that joins them
 * and two cells never share an id or a folder. A case name is taken once per run
 * (rl_cases_scan refuses a second folder of the same name), so one folder is one cell.
 * A run folder's path stays under RL_RUN_PATH_MAX, which leaves room for the files and
 * folders racelab keeps in it (fidelity's bare/ run, valgrind.PID.N.xml...) under PATH_MAX. */
enum { RL_RUN_PATH_MAX = PATH_MAX - 256 };
/* 0, or -1 when a part is no name ("" in out then). */
int rl_cell_id(char *out, size_t len, const char *case_name, const char *variant, int tool);
/* 0, or -1 with why in err: a part that is no name, a path of RL_RUN_PATH_MAX or more. out
 * needs RL_RUN_PATH_MAX bytes. */
int rl_run_folder(char *out, size_t len, const char *run_dir, const char *case_name,
                  const char *variant, int tool, char *err, size_t errlen);

/* Is dir one of the ';'-separated dirs, or inside one (by real path)? */
int rl_dir_within(const char *dir, const char *dirs);
/* Set cmake_built on every case inside one of dirs (the configured case folders). */
void rl_cases_mark_built(struct rl_caselist *l, const char *dirs);

#endif
