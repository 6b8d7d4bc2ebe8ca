/* report files: what `racelab matrix --report DIR` and `racelab report DIR` write from a
 * matrix's cells, one module per format:
 *
 *   matrix.md      Markdown for a CI summary ($GITHUB_STEP_SUMMARY)      report_md.c
 *   junit.xml      one testcase per case.variant.tool                     report_junit.c
 *   racelab.sarif  SARIF 2.1.0, one run per detector, one result per finding  report_sarif.c
 *   code-scanning.sarif  the same, only what a user must act on              report_sarif.c
 *   index.html     one self-contained page for learners                   report_html.c
 *
 * Each writer takes the cells in matrix order (a case's cells adjacent, its variants'
 * cells adjacent) and returns 0, or -1 when writing failed. */
#ifndef RACELAB_REPORT_FILES_H
#define RACELAB_REPORT_FILES_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

int rl_report_markdown(FILE *f, const struct rl_report_cell *cells, size_t n);
/* source_root: the repository root; locations are given relative to it when inside it. */
int rl_report_junit(FILE *f, const struct rl_report_cell *cells, size_t n,
                    const char *source_root);
/* actionable 0: every finding (racelab.sarif, kept as an artifact); 1: only what a user must
 * act on, the findings no expectation asks for and the mismatched cells (code-scanning.sarif,
 * what CI uploads: GitHub ignores SARIF suppressions, so an expected finding uploaded would
 * stay an open alert for good). */
int rl_report_sarif(FILE *f, const struct rl_report_cell *cells, size_t n, const char *source_root,
                    int actionable);
int rl_report_html(FILE *f, const struct rl_report_cell *cells, size_t n);
/* The same page with a "How often, how fast" section: the charts of the measurements in
 * measured_dir (<run-dir>/measured, charts.h), when it holds any; NULL for none. */
int rl_report_html_measured(FILE *f, const struct rl_report_cell *cells, size_t n,
                            const char *measured_dir);

/* Write the five files into dir (created if needed); index.html draws the charts of the
 * measurements in measured_dir (NULL: none). Each file is written to a temporary
 * name and renamed, so a reader never sees half a report. The files name each run folder
 * by its path relative to dir, so that the folders and the report can move together. */
int rl_report_write_dir(const char *dir, const struct rl_report_cell *cells, size_t n,
                        const char *source_root, const char *measured_dir, char *err,
                        size_t errlen);

/* A source file of cell c as a report names it: file is relative to the case folder unless
 * absolute; root is the repository root (a real path). Writes the path relative to root and
 * returns 1 when it lies inside, or the absolute path and returns 0. */
/* source_root as a real path without a trailing '/', into root (PATH_MAX bytes). */
void rl_report_root(const char *source_root, char *root);

int rl_report_path(const struct rl_report_cell *c, const char *file, const char *root, char *out,
                   size_t len);

/* Where a cell points in the source, for an annotation: its first finding with a file (for a
 * mismatch, its first finding the expectation does not ask for, when there is one), else
 * its variant's own source at the line of the first RACE: or FIX: comment. The path as
 * rl_report_path gives it; returns the line, 0 when none is known. */
int rl_report_anchor(const struct rl_report_cell *c, const char *root, char *out, size_t len);

/* The first line of path at or after which the function fn is defined (a line that starts
 * its definition: "fn(" preceded by its type, not ending in ';'), or 0. For a detector's
 * frame that has a function but no line (clang's TSan, now and then). */
int rl_report_function_line(const char *path, const char *fn);

/* Was finding f one the cell's expectation asks for (an unsafe variant flagged as designed)? */
int rl_report_finding_expected(const struct rl_report_cell *c, const struct rl_finding *f);

/* The last matrix's cells, so `racelab report` can re-render them from their run
 * directories: <run_dir>/last-matrix, one "cell <case>\t<case dir>\t<variant>\t<tool>" line
 * per cell, in matrix order. A line with a field too long for its place, or a file over
 * RL_MANIFEST_MAX_BYTES, is refused with the limit named, never cut. */
enum { RL_MANIFEST_MAX_BYTES = 64 << 20 };
struct rl_manifest_cell {
    char case_name[64];
    char case_dir[PATH_MAX];
    char variant[64];
    int tool;
};

int rl_report_manifest_save(const char *run_dir, const struct rl_report_cell *cells, size_t n);
/* Returns -1 with a message when there is no readable manifest. *out is malloc'd. */
int rl_report_manifest_load(const char *run_dir, struct rl_manifest_cell **out, size_t *n,
                            char *err, size_t errlen);

#endif
