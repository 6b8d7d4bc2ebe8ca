/* index.html: one self-contained page (inline CSS, SVG and a few lines of script; nothing
 * fetched) for a learner: the coloured matrix, in a box of its own that scrolls sideways
 * (the page fits a 1024 px window), each cell saying which finding met which expected name;
 * then per case its lesson and its README (markdown.h), unsafe.c beside each safe_*.c as one
 * aligned diff (from GNU diff) with the long unchanged runs folded, a timeline of who held
 * the loop or lock for the fairness cases (and why a variant has none), and every
 * detector's report per variant with a link to its run folder, relative to the page. */
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "escape.h"
#include "judge.h"
#include "markdown.h"
#include "racelab/protocol.h"
#include "report_cert.h"
#include "report_files.h"
#include "spawn.h"
#include "timeline.h"
#include "tools.h"
#include "util.h"

enum { SRC_LIMIT = 256 * 1024, STDOUT_LIMIT = 4 << 20, MAX_SPANS = 200000 };
enum { TL_W = 540, TL_LABEL = 96, TL_PAD = 12, TL_ROW = 24, TL_BAR = 16, TL_AXIS = 26 };

static const char CSS[] =
    ":root{--ok:#dcfce7;--ok-fg:#14532d;--ok-line:#16a34a;--bad:#fee2e2;--bad-fg:#7f1d1d;"
    "--bad-line:#dc2626;--skip:#e5e7eb;--skip-fg:#4b5563;--line:#d1d5db;--mute:#6b7280}\n"
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827;"
    "margin:0;background:#f9fafb}\n"
    "main{max-width:1240px;margin:0 auto;padding:16px 20px 48px}\n"
    "h1{font-size:24px;margin:8px 0 4px}h2{font-size:20px;margin:0 0 6px}"
    "h3{font-size:15px;margin:18px 0 8px;color:#374151}\n"
    "code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "font-size:12px}\n"
    ".totals{font-size:15px;margin:4px 0 12px}.totals b{font-weight:600}\n"
    ".legend{display:flex;gap:14px;align-items:center;color:var(--mute);font-size:13px;"
    "margin:8px 0 0;flex-wrap:wrap}\n"
    ".sw{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;"
    "margin-right:4px;border:1px solid var(--line)}\n"
    "table.matrix{border-collapse:separate;border-spacing:3px;background:#fff;"
    "border:1px solid var(--line);border-radius:8px;padding:6px}\n"
    "table.matrix th{text-align:left;font-weight:600;padding:4px 8px;white-space:nowrap}\n"
    "table.matrix thead th{color:#374151;font-size:13px}\n"
    "table.matrix tr.case th{padding-top:10px;font-size:14px}\n"
    "table.matrix th.variant{font-weight:500;padding-left:18px;font-family:ui-monospace,"
    "monospace;font-size:12.5px}\n"
    "table.matrix td{min-width:150px;padding:0;border-radius:5px}\n"
    "table.matrix td a{display:block;padding:5px 8px;color:inherit;text-decoration:none}\n"
    "table.matrix td small{display:block;opacity:.75;font-size:11px}\n"
    "ul.met{margin:4px 0;padding-left:18px}\n"
    "td.ok,.ok>summary .sw,.sw.ok{background:var(--ok);color:var(--ok-fg)}\n"
    "td.bad,.sw.bad{background:var(--bad);color:var(--bad-fg);box-shadow:inset 0 0 0 2px "
    "var(--bad-line)}\n"
    "td.skip,.sw.skip{background:var(--skip);color:var(--skip-fg)}\n"
    ".mark{font-weight:700;margin-right:4px}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 18px;"
    "margin:18px 0}\n"
    ".fam{font-size:12px;font-weight:500;background:#eef2ff;color:#3730a3;border-radius:10px;"
    "padding:1px 8px;vertical-align:2px}\n"
    ".lesson{font-size:15px;border-left:4px solid #6366f1;padding:4px 10px;margin:6px 0 10px;"
    "background:#f5f7ff}\n"
    "details{margin:6px 0}summary{cursor:pointer}\n"
    ".md{max-width:900px}.md pre{background:#f3f4f6;padding:8px 10px;border-radius:6px;"
    "overflow-x:auto}.md table{border-collapse:collapse}.md td,.md th{border:1px solid "
    "var(--line);padding:3px 8px;text-align:left;vertical-align:top}.md code{background:#f3f4f6;"
    "padding:0 3px;border-radius:3px}.md pre code{padding:0;background:none}\n"
    /* the two panes are one grid, so a line and its replacement share a row */
    ".diff,.fold>div{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr)}\n"
    ".diff{border:1px solid var(--line);border-radius:6px;overflow:hidden;margin-bottom:12px;"
    "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;"
    "tab-size:4}\n"
    ".diff{background:linear-gradient(var(--line),var(--line)) 50% 0/1px 100% no-repeat}"
    ".l.pad{background:#f3f4f6}\n"
    ".fold{grid-column:1/-1;margin:0}.fold>summary{background:#f3f4f6;color:var(--mute);"
    "font:12px system-ui,sans-serif;padding:1px 10px;text-align:center}\n"
    ".fname{background:#f3f4f6;padding:4px 10px;font-weight:600;font-size:13px;"
    "border-bottom:1px solid var(--line)}.fname span{font-weight:400;color:var(--mute)}\n"

    /* long lines wrap under themselves, clear of the line number, so that the hazard and fix
     * comments stay readable at the end of their lines */
    ".l{display:block;padding:0 8px 0 4em;text-indent:-4em;white-space:pre-wrap;"
    "overflow-wrap:anywhere;min-height:1.45em}\n"
    ".l i{display:inline-block;width:3.2em;margin-right:.8em;text-indent:0;text-align:right;"
    "color:#9ca3af;font-style:normal;user-select:none}\n"
    ".l.del{background:#fde2e2}.l.del i{color:#b91c1c;font-weight:700}"
    ".l.add{background:#d9f7e3}.l.add i{color:#15803d;font-weight:700}\n"
    ".timelines{display:flex;flex-wrap:wrap;gap:12px}\n"
    "figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}"
    "\nfigcaption{font-size:13px;margin-bottom:4px}figcaption b{font-family:ui-monospace,"
    "monospace}\n"
    ".holds{font-size:12px;color:#374151;margin:4px 0 0;padding-left:18px}\n"
    ".no-timeline{color:#374151;font-size:13px;margin:8px 0 0}\n"
    "svg.timeline text{font:12px system-ui,sans-serif;fill:#374151}\n"
    ".cell>summary{padding:3px 6px;border-radius:4px}\n"
    ".cell.ok>summary{background:var(--ok)}.cell.bad>summary{background:var(--bad)}"
    ".cell.skip>summary{background:var(--skip)}\n"
    ".cell>div{padding:4px 10px 4px 22px}.cell pre{background:#111827;color:#e5e7eb;"
    "padding:8px 10px;border-radius:6px;overflow-x:auto;max-height:420px}\n"
    ".cell pre.notes{background:#fff7ed;color:#7c2d12}\n"
    ".files{color:var(--mute);font-size:12px}\n"
    ".mismatch{border-color:var(--bad-line)}.mismatch li{margin:4px 0}\n"
    "nav{line-height:1.8}nav a{margin-right:6px;white-space:nowrap}\n"
    ".matrix-box{overflow-x:auto;max-width:100%}\n"
    /* the measured charts (charts.c) */
    ".charts{display:flex;flex-wrap:wrap;gap:12px}svg.chart{max-width:100%;height:auto}"
    "svg.chart text{font:12px system-ui,sans-serif;fill:#374151}.measure-problems{color:#7f1d1d}\n";

static const char SCRIPT[] =
    "(function(){\n"
    "function openTo(id){var e=document.getElementById(id);"
    "for(;e;e=e.parentElement)if(e.tagName==='DETAILS')e.open=true;}\n"
    "window.addEventListener('hashchange',function(){openTo(location.hash.slice(1));});\n"
    "if(location.hash)openTo(location.hash.slice(1));\n"
    "window.addEventListener('load',function(){\n"
    "var m=document.querySelector('table.matrix'),r=m?m.getBoundingClientRect():null;\n"
    "var s=document.querySelectorAll('svg.timeline'),t='timelines='+s.length;\n"
    "if(s.length){var q=s[0].getBoundingClientRect();"
    "t+=','+Math.round(q.width)+'x'+Math.round(q.height);}\n"
    "var d=document.documentElement,x=m&&m.parentElement,"
    "page=' page='+d.scrollWidth+'/'+d.clientWidth+' height='+d.scrollHeight,"
    "box=x&&x.classList.contains('matrix-box')?' box='+x.scrollWidth+'/'+x.clientWidth+' '+"
    "getComputedStyle(x).overflowX:'';\n"
    "var g=document.querySelectorAll('svg.chart');t+=' charts='+g.length;\n"
    "for(var i=0;i<g.length;i++){var e=g[i].getBoundingClientRect();"
    "t+=(i?';':',')+Math.round(e.width)+'x'+Math.round(e.height);}\n"
    "document.body.setAttribute('data-rendered','matrix='+(r?Math.round(r.width)+'x'+"
    "Math.round(r.height):'0x0')+' '+t+page+box);\n"
    "});\n"
    "})();\n";

static void h(struct rl_buf *b, const char *s)
{
    rl_xml_escape(b, s);
}

static const char *cls(enum rl_cell_status s)
{
    return s == RL_CELL_MATCH ? "ok" : s == RL_CELL_SKIP ? "skip" : "bad";
}

static const char *mark(enum rl_cell_status s)
{
    return s == RL_CELL_MATCH ? "\u2713" : s == RL_CELL_SKIP ? "\u2013" : "\u2717";
}

static int same_case(const struct rl_report_cell *a, const struct rl_report_cell *b)
{
    return strcmp(a->case_name, b->case_name) == 0;
}

static int same_row(const struct rl_report_cell *a, const struct rl_report_cell *b)
{
    return same_case(a, b) && strcmp(a->variant, b->variant) == 0;
}

/* "race:counter / lost-update", or why there is no verdict */
static void cell_text(struct rl_buf *b, const struct rl_cell *c)
{
    if (c->status == RL_CELL_SKIP)
        rl_buf_puts(b, "skipped");
    else if (rl_cell_error(c->status))
        rl_buf_puts(b, "error");
    else {
        h(b, c->verdict.findings);
        rl_buf_puts(b, " / ");
        h(b, c->verdict.outcome);
    }
}

static void expected_text(struct rl_buf *b, const struct rl_report_cell *c)
{
    h(b, c->row->findings_spec);
    rl_buf_puts(b, " / ");
    h(b, c->row->outcome_spec);
}

/* Which finding met which expected name. The judge matches a need by the finding's
 * variable or its function, while a cell's text shows the variable: a need met through the
 * function ("race:worker" by a race on heap in worker) is said, or the cell reads as a
 * mismatch. */
static const struct rl_finding *taken_by(const struct rl_report_cell *c, int need)
{
    for (size_t k = 0; k < c->cell.findings.n; k++)
        if (rl_need_takes(c->row, need, &c->cell.findings.v[k]))
            return &c->cell.findings.v[k];
    return NULL;
}

static int has_findings(const struct rl_report_cell *c)
{
    return (c->cell.status == RL_CELL_MATCH || c->cell.status == RL_CELL_MISMATCH) &&
           c->cell.findings.ran && c->row;
}

static void need_text(struct rl_buf *b, const struct rl_need *n)
{
    rl_buf_printf(b, "%s:", rl_kind_name(n->kind));
    h(b, n->name);
}

/* "race on heap in worker", "thread-leak in main" */
static void finding_text(struct rl_buf *b, const struct rl_finding *f)
{
    rl_buf_puts(b, rl_kind_name(f->kind));
    if (f->symbols[0]) {
        rl_buf_puts(b, " on ");
        h(b, f->symbols);
    }
    if (f->functions[0]) {
        rl_buf_puts(b, " in ");
        h(b, f->functions);
    }
}

/* In a matrix cell: each need met by a finding whose variables do not show its name. */
static void met_compact(struct rl_buf *b, const struct rl_report_cell *c)
{
    if (!has_findings(c))
        return;
    for (int i = 0; i < c->row->n_need; i++) {
        const struct rl_finding *f = taken_by(c, i);
        if (!f || rl_list_has(f->symbols, c->row->need[i].name))
            continue;
        rl_buf_puts(b, "<small class=\"met\">");
        need_text(b, &c->row->need[i]);
        rl_buf_puts(b, ": ");
        finding_text(b, f);
        rl_buf_puts(b, "</small>");
    }
}

/* In a cell's details: every need and what met it, then what no need took. */
static void met_list(struct rl_buf *b, const struct rl_report_cell *c)
{
    if (!has_findings(c) || (c->row->n_need == 0 && c->cell.findings.n == 0))
        return;
    rl_buf_puts(b, "<ul class=\"met\">");
    for (int i = 0; i < c->row->n_need; i++) {
        const struct rl_finding *f = taken_by(c, i);
        rl_buf_puts(b, "<li>");
        need_text(b, &c->row->need[i]);
        rl_buf_puts(b, ": ");
        if (f)
            finding_text(b, f);
        else
            rl_buf_puts(b, "not reported");
        rl_buf_puts(b, "</li>");
    }
    for (size_t k = 0; k < c->cell.findings.n; k++) {
        const struct rl_finding *f = &c->cell.findings.v[k];
        int taken = 0, seen = 0;
        for (int i = 0; i < c->row->n_need && !taken; i++)
            taken = rl_need_takes(c->row, i, f);
        for (size_t j = 0; j < k && !seen; j++) /* the same finding reported again */
            seen = c->cell.findings.v[j].kind == f->kind &&
                   strcmp(c->cell.findings.v[j].symbols, f->symbols) == 0 &&
                   strcmp(c->cell.findings.v[j].functions, f->functions) == 0;
        if (taken || seen)
            continue;
        rl_buf_puts(b, "<li>not expected: ");
        finding_text(b, f);
        rl_buf_puts(b, "</li>");
    }
    rl_buf_puts(b, "</ul>");
}

static void matrix_table(struct rl_buf *b, const struct rl_report_cell *cells, size_t n,
                         unsigned tools)
{
    /* the matrix scrolls sideways in a box of its own; the page never does */
    rl_buf_puts(b, "<div class=\"matrix-box\"><table class=\"matrix\"><thead><tr><th>case / "
                   "variant</th>");
    for (int t = 0; t < RL_TOOL_COUNT; t++)
        if (tools >> t & 1u)
            rl_buf_printf(b, "<th>%s</th>", rl_tools[t].name);
    rl_buf_puts(b, "</tr></thead><tbody>\n");
    size_t case_no = 0;
    for (size_t i = 0; i < n;) {
        if (i == 0 || !same_case(&cells[i - 1], &cells[i])) {
            rl_buf_printf(b, "<tr class=\"case\"><th colspan=\"%d\"><a href=\"#case-%zu\">",
                          1 + __builtin_popcount(tools), case_no++);
            h(b, cells[i].case_name);
            rl_buf_puts(b, "</a> <span class=\"fam\">");
            h(b, cells[i].family);
            rl_buf_puts(b, "</span></th></tr>\n");
        }
        size_t j = i;
        while (j < n && same_row(&cells[j], &cells[i]))
            j++;
        rl_buf_puts(b, "<tr><th class=\"variant\">");
        h(b, cells[i].variant);
        rl_buf_puts(b, "</th>");
        for (int t = 0; t < RL_TOOL_COUNT; t++) {
            if (!(tools >> t & 1u))
                continue;
            size_t k = i;
            while (k < j && cells[k].tool != t)
                k++;
            if (k == j) {
                rl_buf_puts(b, "<td></td>");
                continue;
            }
            const struct rl_report_cell *c = &cells[k];
            rl_buf_printf(b, "<td class=\"%s\" title=\"", cls(c->cell.status));
            rl_xml_escape_attr(b, c->cell.status == RL_CELL_SKIP  ? c->cell.skip_reason
                                  : rl_cell_error(c->cell.status) ? c->cell.error
                                                                  : c->cell.verdict.message);
            rl_buf_printf(b, "\"><a href=\"#cell-%zu\"><span class=\"mark\">%s</span>", k,
                          mark(c->cell.status));
            cell_text(b, &c->cell);
            met_compact(b, c);
            if (c->cell.status != RL_CELL_MATCH && c->cell.status != RL_CELL_SKIP) {
                rl_buf_puts(b, "<small>expected ");
                expected_text(b, c);
                rl_buf_puts(b, "</small>");
            }
            rl_buf_puts(b, "</a></td>");
        }
        rl_buf_puts(b, "</tr>\n");
        i = j;
    }
    rl_buf_puts(b, "</tbody></table></div>\n");
}

/* The two files as one sequence of diff operations, from GNU diff: '=' a line both have,
 * '-' a line of a only, '+' a line of b only, in order (a changed group's '-' lines before
 * its '+' lines). NULL when diff failed; else a NUL-terminated string to free. */
static char *diff_ops(const char *dir, const char *a, const char *b)
{
    char *argv[] = {"diff",
                    "--unchanged-line-format==",
                    "--old-line-format=-",
                    "--new-line-format=+",
                    (char *)a,
                    (char *)b,
                    NULL};
    struct rl_spawn_opts so = {.argv = argv, .cwd = dir, .timeout_s = 10};
    struct rl_spawn_result r;
    int rc = rl_spawn(&so, &r);
    char *ops = NULL;
    if (rc == 0 && r.exited && r.exit_code <= 1)
        ops = strdup(rl_buf_str(&r.out));
    rl_spawn_result_free(&r);
    return ops;
}

/* The start of each line of s, and how many there are (a last line without '\n' counts). */
static size_t split_lines(const char *s, const char ***starts)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '\n';
    if (*s && s[strlen(s) - 1] != '\n')
        n++;
    const char **v = malloc((n + 1) * sizeof *v);
    size_t k = 0;
    for (const char *p = s; *p && k < n; k++) {
        v[k] = p;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    *starts = v;
    return n;
}

/* One row of the aligned panes: a line number on each side (0: no line there), and whether
 * the row is part of a change. */
struct diff_row {
    size_t a, b;
    int changed;
};

enum { CONTEXT = 3 }; /* unchanged lines shown around a change; longer runs fold */

/* Rows from diff's operations: unchanged lines side by side, and in each changed group the
 * k-th removed line beside the k-th added one. Returns the number of rows. */
static size_t align_rows(const char *ops, struct diff_row *rows, size_t max)
{
    size_t n = 0, a = 0, b = 0;
    for (const char *p = ops; *p && n < max;) {
        if (*p == '=') {
            rows[n++] = (struct diff_row){++a, ++b, 0};
            p++;
            continue;
        }
        size_t dels = 0, adds = 0;
        for (; *p == '-'; p++)
            dels++;
        for (; *p == '+'; p++)
            adds++;
        if (dels + adds == 0) { /* not an operation: diff wrote something else */
            p++;
            continue;
        }
        for (size_t k = 0; (k < dels || k < adds) && n < max; k++)
            rows[n++] = (struct diff_row){k < dels ? a + k + 1 : 0, k < adds ? b + k + 1 : 0, 1};
        a += dels;
        b += adds;
    }
    return n;
}

static void pane_line(struct rl_buf *b, const char *const *lines, size_t n_lines, size_t no,
                      int changed, const char *klass)
{
    if (no == 0 || no > n_lines) {
        rl_buf_puts(b, "<span class=\"l pad\"></span>");
        return;
    }
    rl_buf_printf(b, "<span class=\"l%s%s\"><i>%zu</i>", changed ? " " : "", changed ? klass : "",
                  no);
    const char *p = lines[no - 1];
    struct rl_buf line = {0};
    rl_buf_append(&line, p, strcspn(p, "\n"));
    h(b, rl_buf_str(&line));
    rl_buf_free(&line);
    rl_buf_puts(b, "</span>");
}

/* The rows [from, to) of one unchanged run, folded in the middle when it is long: CONTEXT
 * lines stay next to a change (none at the start or the end of the files). */
static void unchanged_rows(struct rl_buf *b, const struct diff_row *rows, size_t from, size_t to,
                           size_t n, const char *const *la, size_t na, const char *const *lc,
                           size_t nc)
{
    size_t fold_from = from + (from == 0 ? 0 : CONTEXT);
    size_t fold_to = to == n ? to : to > from + CONTEXT ? to - CONTEXT : from;
    int fold = fold_to > fold_from && fold_to - fold_from > 1;
    for (size_t k = from; k < to; k++) {
        if (fold && k == fold_from)
            rl_buf_printf(b, "<details class=\"fold\"><summary>%zu unchanged lines</summary><div>",
                          fold_to - fold_from);
        pane_line(b, la, na, rows[k].a, 0, "");
        pane_line(b, lc, nc, rows[k].b, 0, "");
        if (fold && k + 1 == fold_to)
            rl_buf_puts(b, "</div></details>");
    }
}

/* The base variant (unsafe) beside one fixed variant: one grid, a removed line beside the
 * line that replaced it, and each long run of unchanged lines folded into a <details> that
 * opens in place. */
static void side_by_side(struct rl_buf *b, const char *dir, const char *base, const char *v)
{
    char a_name[128], b_name[128], path[1200];
    snprintf(a_name, sizeof a_name, "%s.c", base);
    snprintf(b_name, sizeof b_name, "%s.c", v);
    struct rl_buf a = {0}, c = {0};
    snprintf(path, sizeof path, "%s/%s", dir, a_name);
    int ok = rl_read_file(path, SRC_LIMIT, &a) == 0;
    snprintf(path, sizeof path, "%s/%s", dir, b_name);
    if (!ok || rl_read_file(path, SRC_LIMIT, &c) != 0) {
        rl_buf_free(&a);
        rl_buf_free(&c);
        return;
    }
    char *ops = diff_ops(dir, a_name, b_name);
    const char **la = NULL, **lc = NULL;
    size_t na = split_lines(rl_buf_str(&a), &la), nc = split_lines(rl_buf_str(&c), &lc);
    size_t max = na + nc + 1, n = 0, changed = 0;
    struct diff_row *rows = malloc(max * sizeof *rows);
    if (ops)
        n = align_rows(ops, rows, max);
    else /* no diff: the two files line for line, nothing marked, nothing folded */
        for (; n < na || n < nc; n++)
            rows[n] = (struct diff_row){n < na ? n + 1 : 0, n < nc ? n + 1 : 0, 0};
    for (size_t r = 0; r < n; r++)
        changed += rows[r].changed && rows[r].b;

    rl_buf_puts(b, "<div class=\"diff\"><div class=\"fname\">");
    h(b, a_name);
    rl_buf_puts(b, " <span>the hazard</span></div><div class=\"fname\">");
    h(b, b_name);
    if (ops)
        rl_buf_printf(b, " <span>the fix: %zu line%s changed</span></div>", changed,
                      changed == 1 ? "" : "s");
    else
        rl_buf_puts(b, " <span>the fix (diff unavailable)</span></div>");
    for (size_t r = 0; r < n;) {
        size_t end = r;
        while (end < n && !rows[end].changed)
            end++;
        if (ops)
            unchanged_rows(b, rows, r, end, n, la, na, lc, nc);
        else
            for (size_t k = r; k < end; k++) {
                pane_line(b, la, na, rows[k].a, 0, "");
                pane_line(b, lc, nc, rows[k].b, 0, "");
            }
        for (r = end; r < n && rows[r].changed; r++) {
            pane_line(b, la, na, rows[r].a, 1, "del");
            pane_line(b, lc, nc, rows[r].b, 1, "add");
        }
    }
    rl_buf_puts(b, "</div>\n");
    free(rows);
    free(la);
    free(lc);
    free(ops);
    rl_buf_free(&a);
    rl_buf_free(&c);
}

static const char *const PALETTE[] = {"#2563eb", "#ea580c", "#16a34a", "#9333ea",
                                      "#0891b2", "#ca8a04", "#db2777", "#4b5563"};

/* Axis ticks at round numbers: a step of 1, 2 or 5 x 10^k, at most five steps to `end`. */
static unsigned long tick_step(unsigned long end)
{
    for (unsigned long mag = 1;; mag *= 10) {
        if (end / mag <= 5)
            return mag;
        if (end / (2 * mag) <= 5)
            return 2 * mag;
        if (end / (5 * mag) <= 5)
            return 5 * mag;
    }
}

static void timeline_svg(struct rl_buf *b, const struct rl_timeline *tl)
{
    int plot = TL_W - TL_LABEL - TL_PAD;
    int height = (int)tl->n_tasks * TL_ROW + TL_AXIS;
    double upp = tl->end ? (double)tl->end / plot : 1.0; /* units per pixel */
    rl_buf_printf(b,
                  "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                  "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                  TL_W, height, TL_W, height);
    struct rl_span *merged = malloc(4096 * sizeof *merged);
    for (size_t i = 0; i < tl->n_tasks; i++) {
        const struct rl_tl_task *t = &tl->tasks[i];
        int y = (int)i * TL_ROW;
        const char *colour = PALETTE[i % (sizeof PALETTE / sizeof *PALETTE)];
        rl_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", TL_LABEL - 8,
                      y + TL_ROW / 2 + 4);
        h(b, t->name);
        rl_buf_printf(b,
                      "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                      "fill=\"#f3f4f6\"/>",
                      TL_LABEL, y + (TL_ROW - TL_BAR) / 2, plot, TL_BAR);
        size_t m = rl_timeline_merge(t, upp, merged, 4096);
        for (size_t k = 0; k < m; k++) {
            double x = TL_LABEL + merged[k].start / upp;
            double w = merged[k].units / upp;
            if (w > 3)
                w -= 1; /* a seam between back-to-back holds */
            if (w < 1)
                w = 1;
            rl_buf_printf(b,
                          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                          "fill=\"%s\"><title>",
                          x, y + (TL_ROW - TL_BAR) / 2, w, TL_BAR, colour);
            h(b, t->name);
            rl_buf_printf(b, ": %lu units from %lu</title></rect>", merged[k].units,
                          merged[k].start);
        }
    }
    free(merged);
    int ay = (int)tl->n_tasks * TL_ROW + 4;
    rl_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9ca3af\"/>", TL_LABEL,
                  ay, TL_LABEL + plot, ay);
    unsigned long step = tick_step(tl->end);
    /* counted in steps, never by adding up to the end: no value can wrap around */
    for (unsigned long k = 0; tl->end > 0 && k <= tl->end / step; k++) {
        unsigned long v = k * step;
        double x = TL_LABEL + plot * ((double)v / (double)tl->end);
        const char *anchor = v == 0 ? "start" : x > TL_LABEL + plot - 12 ? "end" : "middle";
        rl_buf_printf(b,
                      "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#9ca3af\"/>"
                      "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%lu</text>",
                      x, ay, x, ay + 4, x, ay + 17, anchor, v);
    }
    rl_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">units</text>", TL_LABEL - 8,
                  ay + 17);
    rl_buf_puts(b, "</svg>");
}

/* The stdout of the cell to draw a variant's timeline from: native's when it ran (logical
 * time is the same under every tool), else the first tool that ran. */
static const struct rl_report_cell *timeline_cell(const struct rl_report_cell *cells, size_t i,
                                                  size_t j, struct rl_timeline *tl)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = i; k < j; k++) {
            const struct rl_report_cell *c = &cells[k];
            if ((pass == 0 && c->tool != RL_NATIVE) || c->cell.status == RL_CELL_SKIP ||
                c->cell.run_path[0] == '\0')
                continue;
            char path[PATH_MAX];
            rl_xsnprintf(path, sizeof path, "%s/stdout.txt", c->cell.run_path);
            struct rl_buf out = {0};
            if (rl_read_file(path, STDOUT_LIMIT, &out) == 0 &&
                strstr(rl_buf_str(&out), RL_PROTO_TIMELINE) &&
                rl_timeline_parse(rl_buf_str(&out), MAX_SPANS, tl) > 0) {
                rl_buf_free(&out);
                return c;
            }
            rl_buf_free(&out);
        }
    }
    return NULL;
}

/* Why a variant has no timeline while another of its case has one: its program printed
 * none. Says under which tool it ran, its outcome, and its result line. */
static void no_timeline_note(struct rl_buf *notes, const struct rl_report_cell *cells, size_t i,
                             size_t j)
{
    const struct rl_report_cell *c = NULL;
    for (size_t k = i; k < j && !c; k++) /* native's run first, as for the timeline */
        if (cells[k].tool == RL_NATIVE && cells[k].cell.status != RL_CELL_SKIP &&
            !rl_cell_error(cells[k].cell.status) && cells[k].cell.run_path[0])
            c = &cells[k];
    for (size_t k = i; k < j && !c; k++)
        if (cells[k].cell.status != RL_CELL_SKIP && !rl_cell_error(cells[k].cell.status) &&
            cells[k].cell.run_path[0])
            c = &cells[k];
    rl_buf_puts(notes, "<p class=\"no-timeline\"><b>");
    h(notes, cells[i].variant);
    rl_buf_puts(notes, "</b>: no timeline.");
    if (!c) {
        rl_buf_puts(notes, " It did not run under any tool.</p>");
        return;
    }
    char path[PATH_MAX];
    rl_xsnprintf(path, sizeof path, "%s/stdout.txt", c->cell.run_path);
    struct rl_buf out = {0};
    const char *result = NULL;
    if (rl_read_file(path, STDOUT_LIMIT, &out) == 0)
        for (const char *p = rl_buf_str(&out); (p = strstr(p, RL_PROTO_RESULT)); p++)
            if (p == out.data || p[-1] == '\n')
                result = p; /* the last one counts, as for the verdict */
    rl_buf_printf(notes, " Under %s its outcome was ", rl_tools[c->tool].name);
    h(notes, c->cell.verdict.outcome);
    rl_buf_puts(notes, strcmp(c->cell.verdict.outcome, "watchdog") == 0
                           ? ": the program was stopped before it could print who held the loop"
                           : ", and its output has no " RL_PROTO_TIMELINE " lines");
    if (result) {
        struct rl_buf line = {0};
        rl_buf_append(&line, result, strcspn(result, "\r\n"));
        rl_buf_puts(notes, " (");
        h(notes, rl_buf_str(&line));
        rl_buf_puts(notes, ")");
        rl_buf_free(&line);
    }
    rl_buf_puts(notes, ".</p>");
    rl_buf_free(&out);
}

static void timelines(struct rl_buf *b, const struct rl_report_cell *cells, size_t first,
                      size_t last)
{
    int any = 0;
    struct rl_buf notes = {0}; /* the variants without one, said after the pictures */
    for (size_t i = first; i < last;) {
        size_t j = i;
        while (j < last && same_row(&cells[j], &cells[i]))
            j++;
        struct rl_timeline tl;
        const struct rl_report_cell *c = timeline_cell(cells, i, j, &tl);
        if (c) {
            if (!any++)
                rl_buf_puts(b, "<h3>Who held the loop or the lock, in logical time</h3>"
                               "<div class=\"timelines\">");
            rl_buf_puts(b, "<figure><figcaption><b>");
            h(b, c->variant);
            rl_buf_printf(b, "</b> under %s: outcome ", rl_tools[c->tool].name);
            h(b, c->cell.verdict.outcome);
            rl_buf_puts(b, "</figcaption>");
            timeline_svg(b, &tl);
            rl_buf_puts(b, "<ul class=\"holds\">");
            for (size_t k = 0; k < tl.n_tasks; k++) {
                const struct rl_tl_task *t = &tl.tasks[k];
                rl_buf_puts(b, "<li><b>");
                h(b, t->name);
                rl_buf_printf(b,
                              "</b>: %zu hold%s, %lu unit%s; longest hold %lu unit%s (%.0f%% "
                              "of the run)</li>",
                              t->n, t->n == 1 ? "" : "s", t->total, t->total == 1 ? "" : "s",
                              t->longest, t->longest == 1 ? "" : "s",
                              tl.end ? 100.0 * (double)t->longest / (double)tl.end : 0.0);
            }
            if (tl.dropped)
                rl_buf_printf(b, "<li>%zu more timeline lines not drawn</li>", tl.dropped);
            if (tl.out_of_range)
                rl_buf_printf(b,
                              "<li>%zu timeline lines out of range (a hold ending after %lu "
                              "units), not drawn</li>",
                              tl.out_of_range, RL_TIMELINE_MAX_END);
            rl_buf_puts(b, "</ul></figure>");
            rl_timeline_free(&tl);
        } else {
            no_timeline_note(&notes, cells, i, j);
        }
        i = j;
    }
    if (any)
        rl_buf_printf(b, "</div>\n%s", rl_buf_str(&notes));
    rl_buf_free(&notes);
}

static void cell_details(struct rl_buf *b, const struct rl_report_cell *c, size_t index)
{
    rl_buf_printf(b,
                  "<details class=\"cell %s\" id=\"cell-%zu\"><summary><span "
                  "class=\"mark\">%s</span><b>%s</b> \u2014 ",
                  cls(c->cell.status), index, mark(c->cell.status), rl_tools[c->tool].name);
    cell_text(b, &c->cell);
    rl_buf_puts(b, "</summary><div>");
    if (c->cell.status == RL_CELL_SKIP) {
        rl_buf_puts(b, "<p>skipped: ");
        h(b, c->cell.skip_reason);
        rl_buf_puts(b, "</p>");
    } else {
        rl_buf_puts(b, "<p>");
        h(b, rl_cell_error(c->cell.status) ? c->cell.error : c->cell.verdict.message);
        rl_buf_puts(b, "</p>");
    }
    struct rl_buf cov = {0};
    rl_report_explore_text(&c->cell, &cov);
    if (cov.len) {
        rl_buf_puts(b, "<p class=\"explore\">explore coverage: ");
        h(b, rl_buf_str(&cov));
        rl_buf_puts(b, "</p>");
    }
    rl_buf_free(&cov);
    rl_buf_puts(b, "<p>expected ");
    expected_text(b, c);
    rl_buf_puts(b, ": ");
    h(b, c->row->reason);
    rl_buf_puts(b, "</p>");
    met_list(b, c);
    if (c->cell.excerpt.len) {
        rl_buf_puts(b, "<pre>");
        h(b, rl_buf_str(&c->cell.excerpt));
        rl_buf_puts(b, "</pre>");
    }
    if (c->cell.notes.len) {
        rl_buf_puts(b, "<pre class=\"notes\">");
        h(b, rl_buf_str(&c->cell.notes));
        rl_buf_puts(b, "</pre>");
    }
    if (c->cell.run_path[0]) {
        struct rl_buf href = {0};
        rl_uri_path(&href, rl_report_run_link(c));
        rl_buf_puts(&href, "/");
        rl_buf_puts(b, "<p class=\"files\">run files: <a href=\"");
        rl_xml_escape_attr(b, rl_buf_str(&href));
        rl_buf_puts(b, "\">");
        h(b, rl_report_run_link(c));
        rl_buf_puts(b, "/</a></p>");
        rl_buf_free(&href);
    }
    rl_buf_puts(b, "</div></details>\n");
}

/* What each explore cell's search covered: exhausted (every schedule within the bound) and
 * budget (a sample of them) are different claims, so each cell says which, beside the
 * schedule a search found. Nothing when no cell ran a search. */
static void explore_section(struct rl_buf *b, const struct rl_report_cell *cells, size_t n)
{
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        struct rl_buf x = {0};
        rl_report_explore_text(&cells[i].cell, &x);
        if (x.len) {
            if (!open++)
                rl_buf_puts(b, "<section class=\"explore\" id=\"explore\"><h2>Explore "
                               "coverage</h2><p>What each search of the loop's schedules "
                               "checked: <b>exhausted</b>, every schedule within the delay "
                               "bound held; <b>budget</b>, only the schedules run did.</p><ul>");
            rl_buf_printf(b, "<li><a href=\"#cell-%zu\" class=\"mono\">", i);
            h(b, cells[i].case_name);
            rl_buf_puts(b, ".");
            h(b, cells[i].variant);
            rl_buf_puts(b, "</a>: ");
            h(b, rl_buf_str(&x));
            rl_buf_puts(b, "</li>");
        }
        rl_buf_free(&x);
    }
    if (open)
        rl_buf_puts(b, "</ul></section>\n");
}

static void case_section(struct rl_buf *b, const struct rl_report_cell *cells, size_t first,
                         size_t last, size_t case_no)
{
    const struct rl_report_cell *c0 = &cells[first];
    rl_buf_printf(b, "<section class=\"case\" id=\"case-%zu\"><h2>", case_no);
    h(b, c0->case_name);
    rl_buf_puts(b, " <span class=\"fam\">");
    h(b, c0->family);
    rl_buf_puts(b, "</span></h2>\n<p class=\"lesson\">");
    h(b, c0->lesson ? c0->lesson : "");
    rl_buf_puts(b, "</p>\n");

    char path[1200];
    snprintf(path, sizeof path, "%s/README.md", c0->case_dir);
    struct rl_buf readme = {0};
    if (rl_read_file(path, SRC_LIMIT, &readme) == 0 && readme.len) {
        rl_buf_puts(b, "<details class=\"readme\"><summary>The lesson: README.md</summary>"
                       "<div class=\"md\">");
        if (rl_md_to_html(rl_buf_str(&readme), 2, b) != 0) {
            rl_buf_puts(b, "<p>cmark-gfm could not render ");
            h(b, path);
            rl_buf_puts(b, "; its text:</p><pre>");
            h(b, rl_buf_str(&readme));
            rl_buf_puts(b, "</pre>");
        }
        rl_buf_puts(b, "</div></details>\n");
    }
    rl_buf_free(&readme);

    /* the fairness picture first: who held the loop or the lock, unsafe beside safe */
    timelines(b, cells, first, last);

    /* the base is the first variant: "unsafe" sorts first */
    const char *base = c0->variant;
    int pairs = 0;
    for (size_t i = first; i < last; i++) {
        if (strncmp(cells[i].variant, "safe", 4) != 0 ||
            (i > first && same_row(&cells[i - 1], &cells[i])))
            continue;
        if (!pairs++)
            rl_buf_puts(b, "<h3>The fix, line by line</h3>\n");
        side_by_side(b, c0->case_dir, base, cells[i].variant);
    }

    rl_buf_puts(b, "<h3>What each detector said</h3>\n");
    for (size_t i = first; i < last;) {
        size_t j = i;
        int bad = 0;
        while (j < last && same_row(&cells[j], &cells[i])) {
            bad |= cells[j].cell.status == RL_CELL_MISMATCH || rl_cell_error(cells[j].cell.status);
            j++;
        }
        rl_buf_printf(b, "<details class=\"variant\"%s><summary><b class=\"mono\">",
                      bad ? " open" : "");
        h(b, cells[i].variant);
        rl_buf_puts(b, "</b></summary>\n");
        for (size_t k = i; k < j; k++)
            cell_details(b, &cells[k], k);
        rl_buf_puts(b, "</details>\n");
        i = j;
    }
    rl_buf_puts(b, "</section>\n");
}

/* "How often, how fast": the charts of what `racelab stats --sweep` and `racelab bench` left
 * in the run folder's measured/ (charts.h), and the files that could not be read, by name. */
static void measured_section(struct rl_buf *b, const char *dir)
{
    struct rl_measured m;
    rl_measured_load(dir, &m);
    if (m.n + m.problems.len == 0) {
        rl_measured_free(&m);
        return;
    }
    rl_buf_puts(b, "<section class=\"measured\" id=\"measured\"><h2>How often, how fast</h2>"
                   "<p>Measured by <code>racelab stats --sweep</code> and <code>racelab "
                   "bench</code>: numbers from one machine at one time, never a verdict.</p>"
                   "<div class=\"charts\">");
    for (size_t i = 0; i < m.n; i++)
        rl_chart_svg(b, &m.charts[i]);
    rl_buf_puts(b, "</div>");
    if (m.problems.len) {
        rl_buf_puts(b, "<pre class=\"measure-problems\">left out:\n");
        h(b, rl_buf_str(&m.problems));
        rl_buf_puts(b, "</pre>");
    }
    rl_buf_puts(b, "</section>\n");
    rl_measured_free(&m);
}

int rl_report_html(FILE *f, const struct rl_report_cell *cells, size_t n)
{
    return rl_report_html_measured(f, cells, n, NULL);
}

int rl_report_html_measured(FILE *f, const struct rl_report_cell *cells, size_t n,
                            const char *measured_dir)
{
    struct rl_report_totals t;
    rl_report_count(cells, n, &t);
    unsigned tools = 0;
    for (size_t i = 0; i < n; i++)
        tools |= 1u << cells[i].tool;

    struct rl_buf b = {0};
    rl_buf_printf(&b,
                  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                  "<title>racelab matrix</title>\n<style>\n%s%s</style></head>\n"
                  "<body data-rendered=\"pending\"><main>\n<h1>racelab matrix</h1>\n",
                  CSS, rl_report_cert_css);
    rl_buf_printf(&b,
                  "<p class=\"totals\">%zu cells: <b>%zu as expected</b>, <b>%zu not as "
                  "expected</b>, %zu skipped, %zu errors</p>\n",
                  n, t.match, t.mismatch, t.skip, t.errors);
    rl_buf_puts(&b, "<nav>cases: ");
    size_t n_cases = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && same_case(&cells[i - 1], &cells[i]))
            continue;
        /* a space between links: the nav wraps instead of widening the page */
        rl_buf_printf(&b, "%s<a href=\"#case-%zu\">", n_cases ? " " : "", n_cases);
        n_cases++;
        h(&b, cells[i].case_name);
        rl_buf_puts(&b, "</a>");
    }
    rl_buf_puts(&b, "</nav>\n<section class=\"overview\">\n");
    matrix_table(&b, cells, n, tools);
    rl_buf_puts(&b, "<p class=\"legend\"><span><span class=\"sw ok\"></span>as the case's expect "
                    "file says</span><span><span class=\"sw bad\"></span>not as expected</span>"
                    "<span><span class=\"sw skip\"></span>skipped (tool not installed)</span>"
                    "<span>cell: findings / outcome actually seen (each finding by its "
                    "variable); under it, an expected name that a finding met by its "
                    "function; click for the detector's report</span></p>\n</section>\n");
    rl_report_cert_html(&b, cells, n);

    explore_section(&b, cells, n);
    if (t.mismatch + t.errors) {
        rl_buf_puts(&b, "<section class=\"mismatch\"><h2>Not as expected</h2><ul>");
        for (size_t i = 0; i < n; i++) {
            const struct rl_report_cell *c = &cells[i];
            if (c->cell.status != RL_CELL_MISMATCH && !rl_cell_error(c->cell.status))
                continue;
            rl_buf_printf(&b, "<li><a href=\"#cell-%zu\" class=\"mono\">", i);
            h(&b, c->case_name);
            rl_buf_puts(&b, ".");
            h(&b, c->variant);
            rl_buf_printf(&b, ".%s</a>: expected ", rl_tools[c->tool].name);
            expected_text(&b, c);
            rl_buf_puts(&b, ", got ");
            cell_text(&b, &c->cell);
            rl_buf_puts(&b, " \u2014 ");
            h(&b, c->row->reason);
            rl_buf_puts(&b, "</li>");
        }
        rl_buf_puts(&b, "</ul></section>\n");
    }

    size_t case_no = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && same_case(&cells[j], &cells[i]))
            j++;
        case_section(&b, cells, i, j, case_no++);
        i = j;
    }
    measured_section(&b, measured_dir);
    rl_buf_printf(&b, "</main>\n<script>\n%s</script>\n</body></html>\n", SCRIPT);
    size_t w = fwrite(rl_buf_str(&b), 1, b.len, f);
    int rc = w == b.len ? 0 : -1;
    rl_buf_free(&b);
    return rc;
}
