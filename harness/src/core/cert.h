/* cert: the SEI CERT C rule x detector table (issue 15), made from observations of cells, so
 * that one code makes it from what the expect files say (`racelab explain --cert`, the README
 * section) and from what a matrix saw (the report). Nothing here knows a rule: the rows are
 * the rules the cases' `cert:` headers name, sorted by id; the columns are rl_tools.
 *
 * An observation is one cell: its case and the case's rules, its variant (an unsafe* one has
 * the hazard, a safe* one is the fix), its tool, whether the detector flagged it (any
 * finding), and whether its outcome shows the hazard for sure (lost-update, starved,
 * watchdog, crash, hang, with no `ok` allowed). For each (rule, tool), every case carrying
 * the rule gives one entry: its unsafe variants flagged and missed (and which of the missed
 * ones the outcome still shows), its safe variants with a finding (a false alarm on the fix),
 * and its variants with no verdict (skipped, an error: never counted as clean). A native
 * cell has no detector: its entry speaks of the outcome only.
 *
 * Each entry reads as one phrase ("flagged", "missed; the outcome shows it", "flagged;
 * false alarm on safe_fences"); a cell groups its cases by phrase, so a rule several cases
 * share reads "flagged: a, b / missed; the outcome does not show it: c". */
#ifndef RACELAB_CERT_H
#define RACELAB_CERT_H

#include <stddef.h>

#include "cases.h"
#include "expect.h"
#include "tools.h"

enum rl_cert_seen { RL_CERT_CLEAN, RL_CERT_FLAGGED, RL_CERT_NO_VERDICT };

struct rl_cert_obs {
    const char *case_name, *variant;
    const char (*cert)[8]; /* the case's rules (struct rl_expect's cert) */
    int n_cert;
    int tool;
    enum rl_cert_seen seen;
    int outcome_shows; /* the outcome shows the hazard: 2 for sure, 1 it may (may:), 0 not */
};

/* The observation an expect row promises: flagged when it asks for a finding; the outcome
 * shows the hazard for sure (2) when every outcome it allows is a bad one, may show it (1)
 * when some are. */
void rl_cert_obs_expected(struct rl_cert_obs *o, const struct rl_expect_row *row);
/* Is this outcome (by name, as a verdict spells it) one that shows a hazard? */
int rl_cert_outcome_bad(const char *outcome);

struct rl_cert_entry {
    const char *case_name;
    const char *flagged[RL_MAX_VARIANTS], *missed[RL_MAX_VARIANTS], *shown[RL_MAX_VARIANTS],
        *alarm[RL_MAX_VARIANTS], *none[RL_MAX_VARIANTS];
    int n_unsafe, n_flagged, n_missed, n_shown, n_alarm, n_none; /* shown: missed, outcome bad */
    int n_maybe; /* missed, and the outcome may show it */
};

struct rl_cert_cell {
    struct rl_cert_entry *e; /* one per case carrying the rule, in observation order */
    size_t n;
};

struct rl_cert_row {
    char rule[8];
    struct rl_cert_cell tool[RL_TOOL_COUNT];
};

struct rl_cert_table {
    struct rl_cert_row *rows; /* sorted by rule id */
    size_t n;
    unsigned tools; /* mask of the tools some observation has: the table's columns */
};

/* The table of n observations (their strings must outlive it). */
void rl_cert_table_make(const struct rl_cert_obs *obs, size_t n, struct rl_cert_table *t);
void rl_cert_table_free(struct rl_cert_table *t);

/* An entry as one phrase for people, e.g. "flagged on unsafe, missed on unsafe_forced (the
 * outcome shows it); false alarm on safe_x". */
void rl_cert_entry_phrase(const struct rl_cert_entry *e, int tool, char *out, size_t len);

/* A cell's cases grouped by phrase: group g is phrase[g] and the entries idx[g][0..n[g]).
 * Returns the number of groups; rl_cert_groups_free frees what it made. */
struct rl_cert_groups {
    char (*phrase)[512];
    size_t **idx, *n, count;
};
size_t rl_cert_cell_groups(const struct rl_cert_cell *c, int tool, struct rl_cert_groups *g);
void rl_cert_groups_free(struct rl_cert_groups *g);

/* A cell in a word or two, for a narrow grid: "flagged", "missed", "partly", each with
 * "; false alarm" when the fix is flagged too, "no verdict" when nothing was judged; for
 * native (the outcome): "shows it", "partly", "does not". "" for an empty cell. */
void rl_cert_cell_word(const struct rl_cert_cell *c, int tool, char *out, size_t len);

/* The table's columns in order, into col (RL_TOOL_COUNT of them): the detectors of the mask,
 * then native (its outcome) last. Returns how many. */
int rl_cert_columns(unsigned tools, int *col);

/* The rule family: the letters before the number ("CON", "POS"). */
void rl_cert_family(const char *rule, char *out, size_t len);

#endif
