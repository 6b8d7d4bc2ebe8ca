/* racelab.sarif and code-scanning.sarif: SARIF 2.1.0, written with jansson. One run per
 * detector in the matrix (tool.driver.name "racelab-<tool>", driver.version racelab's), one
 * result per distinct finding of each of its cells, plus one per mismatched cell that no
 * unexpected finding explains (an expected finding missing, a wrong outcome).
 *
 *   level      "warning" when the case's expectation asks for the finding (an unsafe variant
 *              flagged as designed), "error" when not, and for a mismatch.
 *   rules      one per finding kind and case, made as results need them: id "<kind>/<case>"
 *              ("mismatch/<case>"), fullDescription the case's lesson line, help the first
 *              paragraph of its README.md (the lesson itself).
 *   locations  the finding's first frame in the project, relative to the repository root;
 *              a frame with no line falls back to the line that defines its function in that
 *              file, and the message says so; with neither, the message says why there is no
 *              line. The second stack's frame (a race's other access) is a relatedLocation.
 *
 * The actionable file (code-scanning.sarif) keeps only level "error": GitHub code scanning
 * ignores SARIF suppressions, so every expected finding uploaded would stay an open alert. */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "escape.h"
#include "judge.h"
#include "report_files.h"
#include "tools.h"
#include "util.h"

static const char SARIF_SCHEMA[] =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

static const struct {
    const char *name, *text;
} rules_text[RL_KIND_COUNT] = {
    [RL_RACE] = {"DataRace", "Data race: two threads access the same memory, at least one of "
                             "them writes, and nothing orders the accesses."},
    [RL_LOCK_ORDER] = {"LockOrderInversion", "Lock-order inversion: threads take the same locks "
                                             "in different orders, which can deadlock."},
    [RL_THREAD_LEAK] = {"ThreadLeak", "Thread leak: a thread was neither joined nor detached."},
    [RL_BAD_UNLOCK] = {"BadUnlock", "Bad unlock: a mutex was unlocked that is not locked, or "
                                    "by a thread that does not hold it."},
    [RL_API_MISUSE] = {"ApiMisuse", "Threading API misuse: a pthread call broke its contract "
                                    "(condition variable, lock or thread API)."},
    [RL_SCHEDULE] = {"BadSchedule", "Bad schedule: an order of the cooperative loop's ready "
                                    "tasks breaks the program's invariant (racelab explore)."},
};

/* A JSON string from text that may not be valid UTF-8 (jansson refuses such text). */
static json_t *jstr(const char *s)
{
    struct rl_buf b = {0};
    rl_utf8_clean(&b, s);
    json_t *j = json_string(rl_buf_str(&b));
    rl_buf_free(&b);
    return j;
}

int rl_report_finding_expected(const struct rl_report_cell *c, const struct rl_finding *f)
{
    if (c->row == NULL)
        return 0;
    for (int i = 0; i < c->row->n_need; i++)
        if (rl_need_matches(&c->row->need[i], f))
            return 1;
    return 0;
}

static int same_finding(const struct rl_finding *a, const struct rl_finding *b)
{
    return a->kind == b->kind && a->line == b->line && a->line2 == b->line2 &&
           strcmp(a->file2, b->file2) == 0 && strcmp(a->symbols, b->symbols) == 0 &&
           strcmp(a->functions, b->functions) == 0 && strcmp(a->file, b->file) == 0;
}

/* An artifactLocation for file (as a finding names it) of cell c. */
static json_t *artifact(const struct rl_report_cell *c, const char *file, const char *root)
{
    char path[PATH_MAX + 300];
    int inside = rl_report_path(c, file, root, path, sizeof path);
    struct rl_buf uri = {0};
    json_t *art;
    if (inside) {
        rl_uri_path(&uri, path);
        art = json_pack("{s:o, s:s}", "uri", jstr(rl_buf_str(&uri)), "uriBaseId", "SRCROOT");
    } else {
        /* a case folder outside the repository (racelab --cases DIR): an absolute URI */
        rl_buf_puts(&uri, "file://");
        rl_uri_path(&uri, path);
        art = json_pack("{s:o}", "uri", jstr(rl_buf_str(&uri)));
    }
    rl_buf_free(&uri);
    return art;
}

/* The line of a frame that came without one: where its function is defined, or 0. */
static int function_line(const struct rl_report_cell *c, const char *file, const char *fn)
{
    char path[PATH_MAX + 300], root_none[1] = "";
    rl_report_path(c, file, root_none, path, sizeof path);
    return fn[0] ? rl_report_function_line(path, fn) : 0;
}

static json_t *location(const struct rl_report_cell *c, const char *file, int line,
                        const char *fn, const char *root)
{
    json_t *phys = json_pack("{s:o}", "artifactLocation", artifact(c, file, root));
    if (line > 0)
        json_object_set_new(phys, "region", json_pack("{s:i}", "startLine", line));
    json_t *loc = json_pack("{s:o}", "physicalLocation", phys);
    if (fn && fn[0])
        json_object_set_new(loc, "logicalLocations",
                            json_pack("[{s:o, s:s}]", "name", jstr(fn), "kind", "function"));
    return loc;
}

/* The first paragraph of the case's README.md after its title, or NULL. */
static char *readme_intro(const struct rl_report_cell *c)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/README.md", c->case_dir);
    struct rl_buf text = {0}, para = {0};
    if (rl_read_file(path, 1 << 20, &text) != 0) {
        rl_buf_free(&text);
        return NULL;
    }
    for (char *line = text.data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] == '#' && para.len == 0)
            continue;
        if (line[0] == '\0') {
            if (para.len)
                break;
            continue;
        }
        if (para.len)
            rl_buf_puts(&para, "\n");
        rl_buf_puts(&para, line);
    }
    rl_buf_free(&text);
    if (para.len == 0) {
        rl_buf_free(&para);
        return NULL;
    }
    return para.data;
}

enum { MISMATCH = RL_KIND_COUNT };

/* The index of the rule for kind (or MISMATCH) in c's case, made when first needed. */
static int rule_index(json_t *rules, int kind, const struct rl_report_cell *c)
{
    char id[160];
    snprintf(id, sizeof id, "%s/%s", kind == MISMATCH ? "mismatch" : rl_kind_name(kind),
             c->case_name);
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r) if (strcmp(json_string_value(json_object_get(r, "id")), id) ==
                                        0) return (int)i;
    const char *name = kind == MISMATCH ? "Mismatch" : rules_text[kind].name;
    const char *text = kind == MISMATCH ? "A cell of the matrix is not what the case's expect "
                                          "file says: a detector or the program changed."
                                        : rules_text[kind].text;
    struct rl_buf full = {0};
    rl_buf_printf(&full, "%s: %s", c->case_name, c->lesson ? c->lesson : "");
    char *intro = readme_intro(c);
    struct rl_buf help = {0};
    rl_buf_printf(&help, "%s\n\nThe lesson: %s", intro ? intro : rl_buf_str(&full),
                  rl_buf_str(&full));
    json_array_append_new(
        rules, json_pack("{s:o, s:s, s:{s:s}, s:{s:o}, s:{s:o, s:o}, s:{s:s}}", "id", jstr(id),
                         "name", name, "shortDescription", "text", text, "fullDescription",
                         "text", jstr(rl_buf_str(&full)), "help", "text",
                         jstr(rl_buf_str(&help)), "markdown", jstr(rl_buf_str(&help)),
                         "defaultConfiguration", "level", "error"));
    free(intro);
    rl_buf_free(&full);
    rl_buf_free(&help);
    return (int)json_array_size(rules) - 1;
}

static json_t *result(const struct rl_report_cell *c, const struct rl_finding *f, const char *root,
                      json_t *rules)
{
    int expected = rl_report_finding_expected(c, f);
    const char *what = f->symbols[0] ? f->symbols : f->functions[0] ? f->functions : "?";
    char fn[256];
    rl_strlcpy(fn, f->functions, sizeof fn);
    fn[strcspn(fn, ",")] = '\0';
    int line = f->line;
    struct rl_buf text = {0};
    rl_buf_printf(&text, "%s on %s in %s.%s under %s (%s", rl_kind_name(f->kind), what,
                  c->case_name, c->variant, rl_tools[c->tool].name,
                  f->tool_kind[0] ? f->tool_kind : "finding");
    if (f->functions[0])
        rl_buf_printf(&text, " in %s", f->functions);
    rl_buf_printf(&text, "): %s",
                  expected ? "expected, the variant is flagged as designed"
                           : "not expected by the case");
    if (f->file[0] && line <= 0) {
        line = function_line(c, f->file, fn);
        if (line > 0)
            rl_buf_printf(&text, ". The detector gave no line for this frame: the line shown "
                                 "is where %s is defined",
                          fn);
        else
            rl_buf_printf(&text, ". The detector gave no line for this frame, and racelab "
                                 "found no definition of %s in %s to point at instead",
                          fn[0] ? fn : "its function", f->file);
    } else if (!f->file[0]) {
        rl_buf_puts(&text, ". The detector named no source file in the project for it, so it "
                           "has no location");
    }
    int index = rule_index(rules, (int)f->kind, c);
    json_t *r = json_pack("{s:O, s:i, s:s, s:{s:o}}", "ruleId",
                          json_object_get(json_array_get(rules, (size_t)index), "id"), "ruleIndex",
                          index, "level", expected ? "warning" : "error", "message", "text",
                          jstr(rl_buf_str(&text)));
    rl_buf_free(&text);
    if (f->file[0])
        json_object_set_new(r, "locations", json_pack("[o]", location(c, f->file, line, fn, root)));
    if (f->file2[0]) {
        const char *fn2 = strchr(f->functions, ',') ? strchr(f->functions, ',') + 1 : "";
        char fn2b[256];
        rl_strlcpy(fn2b, fn2, sizeof fn2b);
        fn2b[strcspn(fn2b, ",")] = '\0';
        json_t *rel = location(c, f->file2, f->line2, fn2b, root);
        json_object_set_new(rel, "id", json_integer(1));
        json_object_set_new(rel, "message",
                            json_pack("{s:s}", "text",
                                      f->kind == RL_RACE ? "the other access of the race"
                                                         : "the report's second stack"));
        json_object_set_new(r, "relatedLocations", json_pack("[o]", rel));
    }
    json_object_set_new(r, "properties",
                        json_pack("{s:o, s:o, s:s, s:b, s:o, s:o, s:o}", "case", jstr(c->case_name),
                                  "variant", jstr(c->variant), "tool", rl_tools[c->tool].name,
                                  "expected", expected, "toolKind", jstr(f->tool_kind), "symbols",
                                  jstr(f->symbols), "functions", jstr(f->functions)));
    return r;
}

/* A mismatched cell that no unexpected finding explains: an expected finding missing, or an
 * outcome the case does not expect. Located where the cell points (rl_report_anchor). */
static json_t *mismatch_result(const struct rl_report_cell *c, const char *root, json_t *rules)
{
    char file[PATH_MAX + 300];
    int line = rl_report_anchor(c, root, file, sizeof file);
    char want[256];
    rl_expect_findings_text(c->row, want, sizeof want);
    struct rl_buf text = {0};
    rl_buf_printf(&text, "%s.%s under %s: %s (expected findings %s, outcome %s; got findings %s, "
                         "outcome %s; the case's reason: %s)",
                  c->case_name, c->variant, rl_tools[c->tool].name, c->cell.verdict.message, want,
                  c->row->outcome_spec, c->cell.verdict.findings, c->cell.verdict.outcome,
                  c->row->reason);
    int index = rule_index(rules, MISMATCH, c);
    json_t *r = json_pack("{s:O, s:i, s:s, s:{s:o}}", "ruleId",
                          json_object_get(json_array_get(rules, (size_t)index), "id"), "ruleIndex",
                          index, "level", "error", "message", "text", jstr(rl_buf_str(&text)));
    rl_buf_free(&text);
    /* the anchor is a path as rl_report_path wrote it: relative to the root, or absolute */
    char full[2 * PATH_MAX + 400];
    if (file[0] == '/')
        rl_strlcpy(full, file, sizeof full);
    else
        snprintf(full, sizeof full, "%s/%s", root, file);
    json_object_set_new(r, "locations", json_pack("[o]", location(c, full, line, NULL, root)));
    json_object_set_new(r, "properties",
                        json_pack("{s:o, s:o, s:s, s:b}", "case", jstr(c->case_name), "variant",
                                  jstr(c->variant), "tool", rl_tools[c->tool].name, "expected", 0));
    return r;
}

static json_t *driver(int tool, json_t *rules)
{
    char name[64];
    snprintf(name, sizeof name, "racelab-%s", rl_tools[tool].name);
    return json_pack("{s:s, s:s, s:o}", "name", name, "version", RACELAB_VERSION, "rules", rules);
}

static json_t *run(const struct rl_report_cell *cells, size_t n, int tool, const char *root,
                   int actionable)
{
    json_t *results = json_array(), *notes = json_array(), *rules = json_array();
    int ran = 0, errors = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rl_report_cell *c = &cells[i];
        if (c->tool != tool)
            continue;
        if (c->cell.status == RL_CELL_SKIP || rl_cell_error(c->cell.status)) {
            int error = rl_cell_error(c->cell.status);
            errors += error;
            struct rl_buf t = {0};
            rl_buf_printf(&t, "%s.%s: %s: %s", c->case_name, c->variant,
                          error ? "error" : "skipped", error ? c->cell.error : c->cell.skip_reason);
            json_array_append_new(notes,
                                  json_pack("{s:s, s:{s:o}}", "level", error ? "error" : "note",
                                            "message", "text", jstr(rl_buf_str(&t))));
            rl_buf_free(&t);
            continue;
        }
        ran++;
        int unexpected = 0;
        for (size_t k = 0; k < c->cell.findings.n; k++) {
            const struct rl_finding *f = &c->cell.findings.v[k];
            int dup = 0;
            for (size_t m = 0; m < k && !dup; m++)
                dup = same_finding(f, &c->cell.findings.v[m]);
            int expected = rl_report_finding_expected(c, f);
            unexpected += !expected;
            if (!dup && !(actionable && expected))
                json_array_append_new(results, result(c, f, root, rules));
        }
        if (c->cell.status == RL_CELL_MISMATCH && unexpected == 0 && c->row)
            json_array_append_new(results, mismatch_result(c, root, rules));
    }
    json_t *inv = json_pack("{s:b}", "executionSuccessful", ran > 0 && errors == 0);
    if (json_array_size(notes))
        json_object_set_new(inv, "toolExecutionNotifications", notes);
    else
        json_decref(notes);
    struct rl_buf ru = {0};
    rl_buf_puts(&ru, "file://");
    rl_uri_path(&ru, root);
    rl_buf_puts(&ru, "/");
    json_t *r = json_pack(
        "{s:{s:o}, s:{s:{s:o, s:{s:s}}}, s:[o], s:o}", "tool", "driver", driver(tool, rules),
        "originalUriBaseIds", "SRCROOT", "uri", jstr(rl_buf_str(&ru)), "description", "text",
        "the root of the racelab repository", "invocations", inv, "results", results);
    rl_buf_free(&ru);
    return r;
}

int rl_report_sarif(FILE *f, const struct rl_report_cell *cells, size_t n, const char *source_root,
                    int actionable)
{
    char root[PATH_MAX];
    rl_report_root(source_root, root);
    unsigned tools = 0;
    for (size_t i = 0; i < n; i++)
        tools |= 1u << cells[i].tool;
    json_t *runs = json_array();
    for (int t = 0; t < RL_TOOL_COUNT; t++)
        if ((tools >> t & 1u) && rl_tools[t].kind != RL_KIND_NATIVE)
            json_array_append_new(runs, run(cells, n, t, root, actionable));
    json_t *doc =
        json_pack("{s:s, s:s, s:o}", "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs", runs);
    int rc = doc && json_dumpf(doc, f, JSON_INDENT(1)) == 0 && fputc('\n', f) != EOF ? 0 : -1;
    json_decref(doc);
    return rc;
}
