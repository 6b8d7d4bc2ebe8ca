/* matrix.md: the matrix as GitHub-flavoured Markdown for a CI job's summary. Mismatches come
 * first, each with expected, actual, reason and the detector's excerpt; then the table. */
#include <string.h>

#include "escape.h"
#include "report_cert.h"
#include "report_files.h"
#include "tools.h"
#include "util.h"

static const char *mark(enum rl_cell_status s)
{
    switch (s) {
    case RL_CELL_MATCH:
        return "\u2705"; /* ✅ */
    case RL_CELL_SKIP:
        return "\u23ed"; /* ⏭ */
    default:
        return "\u274c"; /* ❌ */
    }
}

static void esc(struct rl_buf *b, const char *s)
{
    rl_md_escape(b, s);
}

/* A block of preformatted text inside <details>: GitHub renders Markdown inside it only
 * after a blank line, and a fence longer than any backtick run keeps it verbatim. Control
 * characters are shown, never passed on raw. */
static void details(struct rl_buf *b, const char *summary, const char *text)
{
    if (text[0] == '\0')
        return;
    struct rl_buf fence = {0};
    rl_md_fence(text, &fence);
    rl_buf_printf(b, "<details><summary>%s</summary>\n\n%stext\n", summary, rl_buf_str(&fence));
    rl_visible(b, text);
    if (text[strlen(text) - 1] != '\n')
        rl_buf_puts(b, "\n");
    rl_buf_printf(b, "%s\n\n</details>\n\n", rl_buf_str(&fence));
    rl_buf_free(&fence);
}

static void cell_id(struct rl_buf *b, const struct rl_report_cell *c)
{
    struct rl_buf id = {0};
    rl_buf_printf(&id, "%s.%s.%s", c->case_name, c->variant, rl_tools[c->tool].name);
    esc(b, rl_buf_str(&id));
    rl_buf_free(&id);
}

static void mismatch(struct rl_buf *b, const struct rl_report_cell *c)
{
    char want[256];
    rl_expect_findings_text(c->row, want, sizeof want);
    rl_buf_printf(b, "#### %s ", mark(c->cell.status));
    cell_id(b, c);
    rl_buf_puts(b, "\n\n- **expected**: findings ");
    esc(b, want);
    rl_buf_puts(b, ", outcome ");
    esc(b, c->row->outcome_spec);
    if (rl_cell_error(c->cell.status)) {
        rl_buf_puts(b, "\n- **actual**: error: ");
        esc(b, c->cell.error);
    } else {
        rl_buf_puts(b, "\n- **actual**: findings ");
        esc(b, c->cell.verdict.findings);
        rl_buf_puts(b, ", outcome ");
        esc(b, c->cell.verdict.outcome);
        rl_buf_printf(b, " (%.2f s)", c->cell.wall_s);
    }
    rl_buf_puts(b, "\n- **reason**: ");
    esc(b, c->row->reason);
    if (c->cell.status == RL_CELL_MISMATCH) {
        rl_buf_puts(b, "\n- **verdict**: ");
        esc(b, c->cell.verdict.message);
    }
    rl_buf_puts(b, "\n- **files**: ");
    esc(b, rl_report_run_link(c));
    rl_buf_puts(b, "/\n\n");
    details(b, "detector report (excerpt)", rl_buf_str(&c->cell.excerpt));
    details(b, "notes", rl_buf_str(&c->cell.notes));
}

int rl_report_markdown(FILE *f, const struct rl_report_cell *cells, size_t n)
{
    struct rl_report_totals t;
    rl_report_count(cells, n, &t);
    struct rl_buf b = {0};
    rl_buf_printf(&b,
                  "## racelab matrix\n\n%s %zu as expected \u00b7 %s %zu not as expected \u00b7 "
                  "%s %zu skipped \u00b7 %zu errors \u2014 %zu cells\n\n",
                  mark(RL_CELL_MATCH), t.match, mark(RL_CELL_MISMATCH), t.mismatch,
                  mark(RL_CELL_SKIP), t.skip, t.errors, n);

    if (t.mismatch + t.errors) {
        rl_buf_puts(&b, "### Not as expected\n\n");
        for (size_t i = 0; i < n; i++)
            if (cells[i].cell.status == RL_CELL_MISMATCH || rl_cell_error(cells[i].cell.status))
                mismatch(&b, &cells[i]);
    }

    /* the table: one row per case.variant, one column per tool the matrix ran */
    unsigned tools = 0;
    for (size_t i = 0; i < n; i++)
        tools |= 1u << cells[i].tool;
    rl_buf_puts(&b, "### Matrix\n\n| case.variant |");
    for (int k = 0; k < RL_TOOL_COUNT; k++)
        if (tools >> k & 1u)
            rl_buf_printf(&b, " %s |", rl_tools[k].name);
    rl_buf_puts(&b, "\n|---|");
    for (int k = 0; k < RL_TOOL_COUNT; k++)
        if (tools >> k & 1u)
            rl_buf_puts(&b, "---|");
    rl_buf_puts(&b, "\n");
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(cells[j].case_name, cells[i].case_name) == 0 &&
               strcmp(cells[j].variant, cells[i].variant) == 0)
            j++;
        rl_buf_puts(&b, "| ");
        esc(&b, cells[i].case_name);
        rl_buf_puts(&b, ".");
        esc(&b, cells[i].variant);
        rl_buf_puts(&b, " |");
        for (int k = 0; k < RL_TOOL_COUNT; k++) {
            if (!(tools >> k & 1u))
                continue;
            const struct rl_report_cell *c = NULL;
            for (size_t m = i; m < j; m++)
                if (cells[m].tool == k)
                    c = &cells[m];
            if (c == NULL) {
                rl_buf_puts(&b, " |");
                continue;
            }
            rl_buf_printf(&b, " %s ", mark(c->cell.status));
            if (c->cell.status == RL_CELL_SKIP) {
                rl_buf_puts(&b, "skipped |");
                continue;
            }
            if (rl_cell_error(c->cell.status)) {
                rl_buf_puts(&b, "error");
            } else {
                esc(&b, c->cell.verdict.findings);
                rl_buf_puts(&b, " / ");
                esc(&b, c->cell.verdict.outcome);
            }
            rl_buf_puts(&b, "<br><sub>expected ");
            esc(&b, c->row->findings_spec);
            rl_buf_puts(&b, " / ");
            esc(&b, c->row->outcome_spec);
            rl_buf_puts(&b, "</sub> |");
        }
        rl_buf_puts(&b, "\n");
        i = j;
    }
    rl_buf_puts(&b, "\nEach cell: findings / outcome actually seen, and below it what the case's "
                    "`expect` file asks for. \u2705 as expected, \u274c not, \u23ed skipped.\n");
    rl_report_cert_md_section(&b, cells, n);

    int explore_header = 0;
    for (size_t i = 0; i < n; i++) {
        struct rl_buf x = {0};
        rl_report_explore_text(&cells[i].cell, &x);
        if (x.len) {
            if (!explore_header++)
                rl_buf_puts(&b, "\n### explore coverage\n\n");
            rl_buf_puts(&b, "- ");
            cell_id(&b, &cells[i]);
            rl_buf_puts(&b, ": ");
            esc(&b, rl_buf_str(&x));
            rl_buf_puts(&b, "\n");
        }
        rl_buf_free(&x);
    }
    if (t.skip) {
        rl_buf_puts(&b, "\n### Skipped\n\n");
        for (size_t i = 0; i < n; i++) {
            if (cells[i].cell.status != RL_CELL_SKIP)
                continue;
            int seen = 0;
            for (size_t k = 0; k < i && !seen; k++)
                seen = cells[k].cell.status == RL_CELL_SKIP &&
                       strcmp(cells[k].cell.skip_reason, cells[i].cell.skip_reason) == 0;
            if (seen)
                continue;
            rl_buf_puts(&b, "- ");
            esc(&b, cells[i].cell.skip_reason);
            rl_buf_puts(&b, "\n");
        }
    }
    size_t w = fwrite(rl_buf_str(&b), 1, b.len, f);
    int rc = w == b.len ? 0 : -1;
    rl_buf_free(&b);
    return rc;
}
