/* report: the terminal views of a matrix run (a progress line per cell, then the table). */
#ifndef RACELAB_REPORT_H
#define RACELAB_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "expect.h"
#include "runner.h"

struct rl_report_cell {
    const char *case_name;
    const char *case_dir; /* the case folder: its README.md and variant sources */
    const char *variant;
    int on_loop; /* the variant runs on the cooperative loop (struct rl_case's on_loop) */
    int tool;
    const char *family; /* the case's: race | starvation */
    const char *lesson; /* the case's, from its expect file */
    const char (*cert)[8]; /* the case's SEI CERT C rules (struct rl_expect's cert), n_cert */
    int n_cert;
    const struct rl_expect_row *row;
    struct rl_cell cell;
    /* The run folder as the report files name it: relative to the report's folder (set by
     * rl_report_write_dir, so that a CI artifact holding both keeps working links), or NULL
     * for cell.run_path. Files are still read through cell.run_path. */
    const char *run_link;
};

struct rl_report_totals {
    size_t match, mismatch, skip, errors;
};

void rl_report_count(const struct rl_report_cell *cells, size_t n, struct rl_report_totals *t);
/* racelab's exit status for these totals: 0 all matched, 1 a mismatch, 2 an error (and no
 * mismatch), 77 nothing but skips. `racelab run` and `racelab matrix` share it. */
int rl_report_exit_status(const struct rl_report_totals *t);

void rl_report_progress(FILE *f, size_t done, size_t total, const struct rl_report_cell *c);

/* Print the table (rows case.variant, columns tools; mismatches listed first with expected
 * vs actual) and return the exit status: 0 all matched, 1 mismatch, 2 error, 77 all skipped. */
int rl_report_matrix(FILE *f, const struct rl_report_cell *cells, size_t n);

/* Score the detectors the way DataRaceBench scores tools: over the race-family variants,
 * a variant is positive when it has the hazard (its name starts with "unsafe") and a detector
 * flags it when it reports any finding. Prints TP/FP/TN/FN, precision and recall per
 * detector; the same per CERT C rule family (CON, POS: the rule id's letters) over the cases
 * that name a rule of it, whatever their family; then every false positive and false
 * negative of the race family with its expect reason. */
void rl_report_score(FILE *f, const struct rl_report_cell *cells, size_t n);

/* The run folder to name in a report file: c->run_link, else c->cell.run_path. */
const char *rl_report_run_link(const struct rl_report_cell *c);

/* An explore cell's coverage for people, "" for other cells: "exhausted: all 6 schedules
 * within 2 delays held", "budget: 200 schedules within 2 delays held, the bounded tree is
 * larger", "found: schedule '0.0.1' at run 2 (bound 2)", "error after 1 run". */
void rl_report_explore_text(const struct rl_cell *c, struct rl_buf *out);

/* The short cell text: "race/lost-update", "clean/ok", "-/ok". */
void rl_report_cell_text(const struct rl_cell *c, char *out, size_t len);

#endif
