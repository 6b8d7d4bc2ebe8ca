/* report files: what `racelab matrix --report DIR` and `racelab report DIR` write from a
 * matrix's cells, one module per format:
 *
 *   matrix.md      Markdown for a CI summary ($GITHUB_STEP_SUMMARY)      report_md.c
 *   junit.xml      one testcase per case.variant.tool                     report_junit.c
 *   racelab.sarif  SARIF 2.1.0, one run per detector, one result per finding  report_sarif.c
 *   index.html     one self-contained page for learners                   report_html.c
 *
 * Each writer takes the cells in matrix order (a case's cells adjacent, its variants'
 * cells adjacent) and returns 0, or -1 when writing failed. */
#ifndef RACELAB_REPORT_FILES_H
#define RACELAB_REPORT_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

int rl_report_markdown(FILE *f, const struct rl_report_cell *cells, size_t n);
int rl_report_junit(FILE *f, const struct rl_report_cell *cells, size_t n);
/* source_root: the repository root; locations are given relative to it when inside it. */
int rl_report_sarif(FILE *f, const struct rl_report_cell *cells, size_t n, const char *source_root);
int rl_report_html(FILE *f, const struct rl_report_cell *cells, size_t n);

/* Write the four files into dir (created if needed). Each file is written to a temporary
 * name and renamed, so a reader never sees half a report. The files name each run folder
 * by its path relative to dir, so that the folders and the report can move together. */
int rl_report_write_dir(const char *dir, const struct rl_report_cell *cells, size_t n,
                        const char *source_root, char *err, size_t errlen);

/* Was finding f one the cell's expectation asks for (an unsafe variant flagged as designed)? */
int rl_report_finding_expected(const struct rl_report_cell *c, const struct rl_finding *f);

/* The last matrix's cells, so `racelab report` can re-render them from their run
 * directories: <run_dir>/last-matrix, one "cell <case>\t<case dir>\t<variant>\t<tool>" line
 * per cell, in matrix order. */
struct rl_manifest_cell {
    char case_name[64];
    char case_dir[512];
    char variant[64];
    int tool;
};

int rl_report_manifest_save(const char *run_dir, const struct rl_report_cell *cells, size_t n);
/* Returns -1 with a message when there is no readable manifest. *out is malloc'd. */
int rl_report_manifest_load(const char *run_dir, struct rl_manifest_cell **out, size_t *n,
                            char *err, size_t errlen);

#endif
