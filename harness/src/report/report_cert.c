/* report_cert: the CERT C rule x detector table in the report files (see report_cert.h). */
#include "report_cert.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "tools.h"

const char rl_report_cert_css[] =
    "table.cert{border-collapse:collapse;background:#fff;font-size:13px}\n"
    "table.cert th,table.cert td{border:1px solid var(--line);padding:4px 8px;text-align:left;"
    "vertical-align:top}\ntable.cert td{min-width:140px}table.cert td.ok{background:var(--ok)}"
    "table.cert td.mixed{background:#fef9c3}table.cert td.miss{background:var(--bad)}\n";

size_t rl_report_cert_obs(const struct rl_report_cell *cells, size_t n, struct rl_cert_obs **out)
{
    struct rl_cert_obs *obs = calloc(n + 1, sizeof *obs);
    if (obs == NULL)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rl_report_cell *c = &cells[i];
        if (c->n_cert == 0)
            continue;
        const struct rl_verdict *v = &c->cell.verdict;
        int judged = (c->cell.status == RL_CELL_MATCH || c->cell.status == RL_CELL_MISMATCH) &&
                     strcmp(v->findings, "error") != 0;
        int flagged = strcmp(v->findings, "clean") != 0 && strcmp(v->findings, "-") != 0;
        obs[k++] = (struct rl_cert_obs){
            .case_name = c->case_name,
            .variant = c->variant,
            .cert = c->cert,
            .n_cert = c->n_cert,
            .tool = c->tool,
            .seen = !judged   ? RL_CERT_NO_VERDICT
                    : flagged ? RL_CERT_FLAGGED
                              : RL_CERT_CLEAN,
            .outcome_shows = judged && rl_cert_outcome_bad(v->outcome) ? 2 : 0,
        };
    }
    *out = obs;
    return k;
}

static const char *column_name(int tool)
{
    return tool == RL_NATIVE ? "native: the outcome" : rl_tools[tool].name;
}

void rl_report_cert_markdown(struct rl_buf *b, const struct rl_cert_table *t, rl_cert_link_fn link,
                             void *arg)
{
    int col[RL_TOOL_COUNT], n_col = rl_cert_columns(t->tools, col);
    if (t->n == 0)
        return;
    rl_buf_puts(b, "| CERT C rule |");
    for (int k = 0; k < n_col; k++)
        rl_buf_printf(b, " %s |", column_name(col[k]));
    rl_buf_puts(b, "\n|---|");
    for (int k = 0; k < n_col; k++)
        rl_buf_puts(b, "---|");
    rl_buf_puts(b, "\n");
    for (size_t r = 0; r < t->n; r++) {
        rl_buf_printf(b, "| %s |", t->rows[r].rule);
        for (int k = 0; k < n_col; k++) {
            const struct rl_cert_cell *c = &t->rows[r].tool[col[k]];
            struct rl_cert_groups g;
            rl_cert_cell_groups(c, col[k], &g);
            rl_buf_puts(b, " ");
            for (size_t i = 0; i < g.count; i++) {
                rl_buf_puts(b, i ? "<br>" : "");
                if (g.phrase[i][0]) {
                    rl_md_escape(b, g.phrase[i]);
                    rl_buf_puts(b, ": ");
                }
                for (size_t j = 0; j < g.n[i]; j++) {
                    const char *name = c->e[g.idx[i][j]].case_name;
                    char target[1200] = "";
                    if (link)
                        link(name, target, sizeof target, arg);
                    rl_buf_puts(b, j ? ", " : "");
                    rl_buf_puts(b, target[0] ? "[" : "");
                    rl_md_escape(b, name);
                    if (target[0])
                        rl_buf_printf(b, "](%s)", target);
                }
            }
            rl_buf_puts(b, " |");
            rl_cert_groups_free(&g);
        }
        rl_buf_puts(b, "\n");
    }
}

void rl_report_cert_md_section(struct rl_buf *b, const struct rl_report_cell *cells, size_t n)
{
    struct rl_cert_obs *obs;
    size_t n_obs = rl_report_cert_obs(cells, n, &obs);
    struct rl_cert_table t;
    rl_cert_table_make(obs, n_obs, &t);
    if (t.n > 0) {
        rl_buf_puts(b, "\n### CERT C rules \u00d7 detectors\n\n");
        rl_report_cert_markdown(b, &t, NULL, NULL);
        rl_buf_puts(b, "\nWhat this run saw on the cases that name a rule: flagged (a finding on "
                       "the unsafe variants), missed (they were clean; whether the outcome still "
                       "showed the hazard), false alarm (a finding on a fix), no verdict (skipped "
                       "or an error).\n");
    }
    rl_cert_table_free(&t);
    free(obs);
}

/* The section number of each case, as index.html numbers them: by first appearance. */
static size_t case_number(const struct rl_report_cell *cells, size_t n, const char *name)
{
    size_t no = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(cells[i - 1].case_name, cells[i].case_name) == 0)
            continue;
        if (strcmp(cells[i].case_name, name) == 0)
            return no;
        no++;
    }
    return no;
}

void rl_report_cert_html(struct rl_buf *b, const struct rl_report_cell *cells, size_t n)
{
    struct rl_cert_obs *obs;
    size_t n_obs = rl_report_cert_obs(cells, n, &obs);
    struct rl_cert_table t;
    rl_cert_table_make(obs, n_obs, &t);
    int col[RL_TOOL_COUNT], n_col = rl_cert_columns(t.tools, col);
    if (t.n > 0) {
        rl_buf_puts(b, "<section class=\"cert\" id=\"cert\"><h2>CERT C rules \u00d7 detectors"
                       "</h2>\n<p>What this run saw on the cases that name a SEI CERT C rule: "
                       "<b>flagged</b> (a finding on the unsafe variants), <b>missed</b> (they "
                       "were clean; whether the outcome still showed the hazard), <b>false "
                       "alarm</b> (a finding on a fix). Each case links to its section.</p>\n"
                       "<div class=\"matrix-box\"><table class=\"cert\"><thead><tr>"
                       "<th>rule</th>");
        for (int k = 0; k < n_col; k++) {
            rl_buf_puts(b, "<th>");
            rl_xml_escape(b, column_name(col[k]));
            rl_buf_puts(b, "</th>");
        }
        rl_buf_puts(b, "</tr></thead><tbody>\n");
    }
    for (size_t r = 0; r < t.n; r++) {
        rl_buf_printf(b, "<tr><th>%s</th>", t.rows[r].rule);
        for (int k = 0; k < n_col; k++) {
            const struct rl_cert_cell *c = &t.rows[r].tool[col[k]];
            char word[64];
            rl_cert_cell_word(c, col[k], word, sizeof word);
            /* green: flagged (or shown) with no false alarm; red: missed; amber: the rest */
            const char *cls = strcmp(word, "flagged") == 0 || strcmp(word, "shows it") == 0 ? "ok"
                              : strcmp(word, "missed") == 0 || strcmp(word, "does not") == 0
                                  ? "miss"
                              : word[0] ? "mixed"
                                        : "none";
            rl_buf_printf(b, "<td class=\"%s\">", cls);
            struct rl_cert_groups g;
            rl_cert_cell_groups(c, col[k], &g);
            for (size_t i = 0; i < g.count; i++) {
                rl_buf_puts(b, "<div>");
                if (g.phrase[i][0]) {
                    rl_xml_escape(b, g.phrase[i]);
                    rl_buf_puts(b, ": ");
                }
                for (size_t j = 0; j < g.n[i]; j++) {
                    const char *name = c->e[g.idx[i][j]].case_name;
                    rl_buf_printf(b, "%s<a href=\"#case-%zu\">", j ? ", " : "",
                                  case_number(cells, n, name));
                    rl_xml_escape(b, name);
                    rl_buf_puts(b, "</a>");
                }
                rl_buf_puts(b, "</div>");
            }
            rl_cert_groups_free(&g);
            rl_buf_puts(b, "</td>");
        }
        rl_buf_puts(b, "</tr>\n");
    }
    if (t.n > 0)
        rl_buf_puts(b, "</tbody></table></div></section>\n");
    rl_cert_table_free(&t);
    free(obs);
}
