/* fidelity: racelab must not change what a detector reports. One TSan or Valgrind cell is
 * run twice, through racelab (rl_run_cell, with everything racelab adds: the findings file,
 * TSAN_OPTIONS, --xml-file and --fair-sched, RACELAB_SLOWDOWN) and bare, the same binary
 * as a user would run it, and the number and kinds of reports are compared.
 *
 *   bare TSan       BIN, without TSAN_OPTIONS or any RACELAB_* variable: the runtime's
 *                   defaults. Kinds: the "WARNING: ThreadSanitizer: <kind>" report headers on
 *                   stderr, counted the same way for both runs.
 *   bare Valgrind   valgrind --tool=T --xml=yes --xml-file=DIR/valgrind.%p.xml BIN, without
 *                   any RACELAB_* variable. --xml only chooses how Valgrind prints the errors
 *                   it has recorded, and it names their <kind> exactly. Kinds: every
 *                   <error><kind> of every process's document, for both runs.
 *   A case's suppression file (suppress.tsan, suppress.supp: rl_case_suppressions) is the
 *   user's setup, not racelab's: the bare run gets it too, as TSAN_OPTIONS=suppressions=F
 *   or --suppressions=F.
 *
 * Where the schedule decides how many reports a run gives (Valgrind's count of conflicting
 * accesses on a flag depends on whether the reader spun before the writer ran), one pair of
 * runs proves nothing either way: the pair is run again, up to RL_FID_ATTEMPTS times, and
 * the cell agrees as soon as a run through racelab and a bare run gave the same reports.
 * A difference racelab causes on every run (an extra event that hides a race) never does.
 *
 * The racelab run's files go to <run_dir>/fidelity/<cell>/, the bare run's to its bare/,
 * apart from the cells' own runs; both are the last attempt's. */
#ifndef RACELAB_FIDELITY_H
#define RACELAB_FIDELITY_H

#include "cases.h"
#include "expect.h"
#include "runner.h"

enum { RL_TALLY_KINDS = 16, RL_FID_ATTEMPTS = 5 };

/* How many reports of each kind one run gave. */
struct rl_tally {
    int total;
    int n_kinds;
    char kinds[RL_TALLY_KINDS][96];
    int counts[RL_TALLY_KINDS];
    int overflow; /* more distinct kinds than RL_TALLY_KINDS: cannot be compared */
};

void rl_tally_add(struct rl_tally *t, const char *kind);
/* "2 reports: data race x1, thread leak x1", kinds in alphabetical order; "0 reports". */
void rl_tally_text(const struct rl_tally *t, char *out, size_t len);
int rl_tally_equal(const struct rl_tally *a, const struct rl_tally *b);

enum rl_fidelity_status { RL_FID_AGREE, RL_FID_DIFFER, RL_FID_SKIP, RL_FID_ERROR };

struct rl_fidelity {
    enum rl_fidelity_status status;
    int attempts; /* pairs of runs made */
    int agreed;   /* RL_FID_AGREE: the run through racelab that a bare run matched */
    struct rl_tally bare[RL_FID_ATTEMPTS], racelab[RL_FID_ATTEMPTS];
    char why[2048]; /* skip reason or error; "" when the runs were compared */
    char run_path[RL_RUN_PATH_MAX];
};

/* Run the cell both ways and compare. `tool` must be a detector (not native). */
void rl_fidelity_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                      int tool, const struct rl_expect_row *row, struct rl_fidelity *out);

#endif
