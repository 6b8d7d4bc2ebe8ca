/* report_cert: the SEI CERT C rule x detector table (core/cert.h) as the reports show it.
 *
 * From a matrix's cells, the table says what the run actually saw: a cell is flagged when
 * its verdict has a finding, its outcome shows the hazard when it is a bad one, and a cell
 * skipped or in error is "no verdict", never clean. The same table is written as Markdown
 * (matrix.md, and `racelab explain --cert --markdown`, whose table comes from the expect
 * files instead) and as HTML (index.html, each case linked to its section). Columns: every
 * detector the table has, then native's outcome. */
#ifndef RACELAB_REPORT_CERT_H
#define RACELAB_REPORT_CERT_H

#include <stddef.h>

#include "cert.h"
#include "report.h"
#include "util.h"

/* The observations of cells whose case names a rule (malloc'd; their strings are the
 * cells'). Returns how many. */
size_t rl_report_cert_obs(const struct rl_report_cell *cells, size_t n, struct rl_cert_obs **out);

/* The table as a Markdown table. link(case, out, len, arg) gives each case's link target;
 * with link NULL, cases are named without links. Nothing is written for an empty table. */
typedef void (*rl_cert_link_fn)(const char *case_name, char *out, size_t len, void *arg);
void rl_report_cert_markdown(struct rl_buf *b, const struct rl_cert_table *t, rl_cert_link_fn link,
                             void *arg);

/* The table of the cells' actual verdicts as a matrix.md section (a heading, the table, a
 * line on how to read it); nothing when no case names a rule. */
void rl_report_cert_md_section(struct rl_buf *b, const struct rl_report_cell *cells, size_t n);

/* The table of the cells' actual verdicts, as a section of index.html, each case linked to
 * its section (#case-N, N its place among the cells' cases). Nothing when no case names a
 * rule. */
void rl_report_cert_html(struct rl_buf *b, const struct rl_report_cell *cells, size_t n);
/* Its style, for the page's <style>. */
extern const char rl_report_cert_css[];

#endif
