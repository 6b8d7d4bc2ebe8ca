/* racelab.sarif: SARIF 2.1.0, written with jansson. One run per detector in the matrix
 * (tool.driver.name "racelab-<tool>", one rule per finding kind), one result per distinct
 * finding of each of its cells: level "warning" when the case's expectation asks for it (an
 * unsafe variant flagged as designed), "error" when not; located at the finding's first
 * frame in the project, relative to the repository root. */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "judge.h"
#include "report_files.h"
#include "tools.h"
#include "util.h"

static const char SARIF_SCHEMA[] =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

static const struct {
    const char *name, *text;
} rules[RL_KIND_COUNT] = {
    [RL_RACE] = {"DataRace", "Data race: two threads access the same memory, at least one of "
                             "them writes, and nothing orders the accesses."},
    [RL_LOCK_ORDER] = {"LockOrderInversion", "Lock-order inversion: threads take the same locks "
                                             "in different orders, which can deadlock."},
    [RL_THREAD_LEAK] = {"ThreadLeak", "Thread leak: a thread was neither joined nor detached."},
    [RL_BAD_UNLOCK] = {"BadUnlock", "Bad unlock: a mutex was unlocked that is not locked, or "
                                    "by a thread that does not hold it."},
    [RL_API_MISUSE] = {"ApiMisuse", "Threading API misuse: a pthread call broke its contract "
                                    "(condition variable, lock or thread API)."},
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
    return a->kind == b->kind && a->line == b->line && strcmp(a->symbols, b->symbols) == 0 &&
           strcmp(a->functions, b->functions) == 0 && strcmp(a->file, b->file) == 0;
}

/* The finding's file as a path: relative to the case folder unless absolute. */
static void full_path(const struct rl_report_cell *c, const char *file, char *out, size_t len)
{
    if (file[0] == '/') {
        rl_strlcpy(out, file, len);
        return;
    }
    char dir[PATH_MAX];
    if (realpath(c->case_dir, dir) == NULL)
        rl_strlcpy(dir, c->case_dir, sizeof dir);
    snprintf(out, len, "%s/%s", dir, file);
}

static json_t *location(const struct rl_report_cell *c, const struct rl_finding *f,
                        const char *root)
{
    char path[PATH_MAX + 300];
    full_path(c, f->file, path, sizeof path);
    size_t rn = strlen(root);
    struct rl_buf uri = {0};
    json_t *art;
    if (rn && strncmp(path, root, rn) == 0 && path[rn] == '/') {
        rl_uri_path(&uri, path + rn + 1);
        art = json_pack("{s:o, s:s}", "uri", jstr(rl_buf_str(&uri)), "uriBaseId", "SRCROOT");
    } else {
        /* a case folder outside the repository (racelab --cases DIR): an absolute URI */
        rl_buf_puts(&uri, "file://");
        rl_uri_path(&uri, path);
        art = json_pack("{s:o}", "uri", jstr(rl_buf_str(&uri)));
    }
    rl_buf_free(&uri);
    json_t *phys = json_pack("{s:o}", "artifactLocation", art);
    if (f->line > 0)
        json_object_set_new(phys, "region", json_pack("{s:i}", "startLine", f->line));
    json_t *loc = json_pack("{s:o}", "physicalLocation", phys);
    if (f->functions[0]) {
        char fn[256];
        rl_strlcpy(fn, f->functions, sizeof fn);
        fn[strcspn(fn, ",")] = '\0';
        json_object_set_new(loc, "logicalLocations",
                            json_pack("[{s:o, s:s}]", "name", jstr(fn), "kind", "function"));
    }
    return loc;
}

static json_t *result(const struct rl_report_cell *c, const struct rl_finding *f, const char *root)
{
    int expected = rl_report_finding_expected(c, f);
    const char *what = f->symbols[0] ? f->symbols : f->functions[0] ? f->functions : "?";
    struct rl_buf text = {0};
    rl_buf_printf(&text, "%s on %s in %s.%s under %s (%s", rl_kind_name(f->kind), what,
                  c->case_name, c->variant, rl_tools[c->tool].name,
                  f->tool_kind[0] ? f->tool_kind : "finding");
    if (f->functions[0])
        rl_buf_printf(&text, " in %s", f->functions);
    rl_buf_printf(&text, "): %s",
                  expected ? "expected, the variant is flagged as designed"
                           : "not expected by the case");
    json_t *r = json_pack("{s:s, s:i, s:s, s:{s:o}}", "ruleId", rl_kind_name(f->kind), "ruleIndex",
                          (int)f->kind, "level", expected ? "warning" : "error", "message", "text",
                          jstr(rl_buf_str(&text)));
    rl_buf_free(&text);
    if (f->file[0])
        json_object_set_new(r, "locations", json_pack("[o]", location(c, f, root)));
    json_object_set_new(r, "properties",
                        json_pack("{s:o, s:o, s:s, s:b, s:o, s:o, s:o}", "case", jstr(c->case_name),
                                  "variant", jstr(c->variant), "tool", rl_tools[c->tool].name,
                                  "expected", expected, "toolKind", jstr(f->tool_kind), "symbols",
                                  jstr(f->symbols), "functions", jstr(f->functions)));
    return r;
}

static json_t *driver(int tool)
{
    char name[64];
    snprintf(name, sizeof name, "racelab-%s", rl_tools[tool].name);
    json_t *rl = json_array();
    for (int k = 0; k < RL_KIND_COUNT; k++)
        json_array_append_new(rl,
                              json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "id", rl_kind_name(k),
                                        "name", rules[k].name, "shortDescription", "text",
                                        rules[k].text, "defaultConfiguration", "level", "error"));
    return json_pack("{s:s, s:o}", "name", name, "rules", rl);
}

static json_t *run(const struct rl_report_cell *cells, size_t n, int tool, const char *root)
{
    json_t *results = json_array(), *notes = json_array();
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
        for (size_t k = 0; k < c->cell.findings.n; k++) {
            const struct rl_finding *f = &c->cell.findings.v[k];
            int dup = 0;
            for (size_t m = 0; m < k && !dup; m++)
                dup = same_finding(f, &c->cell.findings.v[m]);
            if (!dup)
                json_array_append_new(results, result(c, f, root));
        }
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
        "{s:{s:o}, s:{s:{s:o, s:{s:s}}}, s:[o], s:o}", "tool", "driver", driver(tool),
        "originalUriBaseIds", "SRCROOT", "uri", jstr(rl_buf_str(&ru)), "description", "text",
        "the root of the racelab repository", "invocations", inv, "results", results);
    rl_buf_free(&ru);
    return r;
}

int rl_report_sarif(FILE *f, const struct rl_report_cell *cells, size_t n, const char *source_root)
{
    char root[PATH_MAX];
    if (realpath(source_root, root) == NULL)
        rl_strlcpy(root, source_root, sizeof root);
    size_t rn = strlen(root);
    while (rn > 1 && root[rn - 1] == '/')
        root[--rn] = '\0';
    unsigned tools = 0;
    for (size_t i = 0; i < n; i++)
        tools |= 1u << cells[i].tool;
    json_t *runs = json_array();
    for (int t = 0; t < RL_TOOL_COUNT; t++)
        if ((tools >> t & 1u) && rl_tools[t].kind != RL_KIND_NATIVE)
            json_array_append_new(runs, run(cells, n, t, root));
    json_t *doc =
        json_pack("{s:s, s:s, s:o}", "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs", runs);
    int rc = doc && json_dumpf(doc, f, JSON_INDENT(1)) == 0 && fputc('\n', f) != EOF ? 0 : -1;
    json_decref(doc);
    return rc;
}
