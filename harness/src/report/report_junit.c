/* junit.xml: one <testsuite> per case, one <testcase> per case.variant.tool (classname the
 * case, name variant.tool), as CI systems read JUnit, valid under the Jenkins xunit plugin's
 * junit-10.xsd (no `skipped` on <testsuites>; harness/tests/formats checks the rules). Each
 * testcase has `file` (relative to the repository) and `line` where it points in the source
 * (rl_report_anchor), so test-report actions can annotate the racy line. A mismatch is a <failure> whose
 * message is the verdict and whose text holds expected, actual, reason, the detector's
 * excerpt and the notes; a skip is <skipped message="reason"/>; a configuration error is
 * an <error>; a pass keeps the verdict and the excerpt in <system-out>. */
#include <limits.h>
#include <string.h>

#include "escape.h"
#include "report_files.h"
#include "tools.h"
#include "util.h"

static void attr(struct rl_buf *b, const char *name, const char *value)
{
    rl_buf_printf(b, " %s=\"", name);
    rl_xml_escape_attr(b, value);
    rl_buf_puts(b, "\"");
}

static void details_text(struct rl_buf *t, const struct rl_report_cell *c)
{
    char want[256];
    rl_expect_findings_text(c->row, want, sizeof want);
    rl_buf_printf(t, "expected: findings %s, outcome %s\n", want, c->row->outcome_spec);
    if (rl_cell_error(c->cell.status))
        rl_buf_printf(t, "actual:   error: %s\n", c->cell.error);
    else
        rl_buf_printf(t, "actual:   findings %s, outcome %s\n", c->cell.verdict.findings,
                      c->cell.verdict.outcome);
    rl_buf_printf(t, "reason:   %s\nfiles:    %s%s\n", c->row->reason,
                  c->cell.run_path[0] ? rl_report_run_link(c) : "none, the cell did not run",
                  c->cell.run_path[0] ? "/" : "");
    if (c->cell.excerpt.len)
        rl_buf_printf(t, "\ndetector report (excerpt):\n%s", rl_buf_str(&c->cell.excerpt));
    if (c->cell.notes.len)
        rl_buf_printf(t, "\nnotes:\n%s", rl_buf_str(&c->cell.notes));
}

static void testcase(struct rl_buf *b, const struct rl_report_cell *c, const char *root)
{
    char name[200];
    snprintf(name, sizeof name, "%s.%s", c->variant, rl_tools[c->tool].name);
    rl_buf_puts(b, "    <testcase");
    attr(b, "classname", c->case_name);
    attr(b, "name", name);
    char file[PATH_MAX + 300];
    int line = rl_report_anchor(c, root, file, sizeof file);
    attr(b, "file", file);
    if (line > 0)
        rl_buf_printf(b, " line=\"%d\"", line);
    rl_buf_printf(b, " time=\"%.3f\">\n", c->cell.wall_s);
    struct rl_buf text = {0};
    switch (c->cell.status) {
    case RL_CELL_SKIP:
        rl_buf_puts(b, "      <skipped");
        attr(b, "message", c->cell.skip_reason);
        rl_buf_puts(b, "/>\n");
        break;
    case RL_CELL_UNSET:
    case RL_CELL_MISMATCH:
    case RL_CELL_CONFIG_ERROR: {
        int error = rl_cell_error(c->cell.status);
        rl_buf_printf(b, "      <%s", error ? "error" : "failure");
        attr(b, "message", error ? c->cell.error : c->cell.verdict.message);
        attr(b, "type", error ? "error" : "mismatch");
        rl_buf_puts(b, ">");
        if (!error)
            rl_buf_printf(&text, "%s\n", c->cell.verdict.message);
        details_text(&text, c);
        rl_xml_escape(b, rl_buf_str(&text));
        rl_buf_printf(b, "</%s>\n", error ? "error" : "failure");
        break;
    }
    case RL_CELL_MATCH:
        rl_buf_printf(&text, "%s\n", c->cell.verdict.message);
        if (c->cell.excerpt.len)
            rl_buf_printf(&text, "\ndetector report (excerpt):\n%s", rl_buf_str(&c->cell.excerpt));
        rl_buf_puts(b, "      <system-out>");
        rl_xml_escape(b, rl_buf_str(&text));
        rl_buf_puts(b, "</system-out>\n");
        break;
    }
    rl_buf_free(&text);
    rl_buf_puts(b, "    </testcase>\n");
}

/* The counts of a <testsuite> (only_case), or of <testsuites> (NULL), which junit-10.xsd
 * allows no `skipped`. */
static void totals(struct rl_buf *b, const struct rl_report_cell *cells, size_t n,
                   const char *only_case)
{
    size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    double time = 0;
    for (size_t i = 0; i < n; i++) {
        if (only_case && strcmp(cells[i].case_name, only_case) != 0)
            continue;
        tests++;
        failures += cells[i].cell.status == RL_CELL_MISMATCH;
        errors += rl_cell_error(cells[i].cell.status);
        skipped += cells[i].cell.status == RL_CELL_SKIP;
        time += cells[i].cell.wall_s;
    }
    rl_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", tests, failures, errors);
    if (only_case)
        rl_buf_printf(b, " skipped=\"%zu\"", skipped);
    rl_buf_printf(b, " time=\"%.3f\"", time);
}

int rl_report_junit(FILE *f, const struct rl_report_cell *cells, size_t n, const char *source_root)
{
    char root[PATH_MAX];
    rl_report_root(source_root, root);
    struct rl_buf b = {0};
    rl_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"racelab\"");
    totals(&b, cells, n, NULL);
    rl_buf_puts(&b, ">\n");
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(cells[k].case_name, cells[i].case_name) == 0;
        if (seen)
            continue;
        rl_buf_puts(&b, "  <testsuite");
        attr(&b, "name", cells[i].case_name);
        totals(&b, cells, n, cells[i].case_name);
        rl_buf_puts(&b, ">\n");
        for (size_t k = i; k < n; k++)
            if (strcmp(cells[k].case_name, cells[i].case_name) == 0)
                testcase(&b, &cells[k], root);
        rl_buf_puts(&b, "  </testsuite>\n");
    }
    rl_buf_puts(&b, "</testsuites>\n");
    size_t w = fwrite(rl_buf_str(&b), 1, b.len, f);
    int rc = w == b.len ? 0 : -1;
    rl_buf_free(&b);
    return rc;
}
