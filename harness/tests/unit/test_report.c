/* Unit tests of the report files (report_files.h): SARIF checked against the SARIF 2.1.0
 * schema's required fields after parsing it back with jansson, JUnit parsed back with expat,
 * the Markdown summary's order, and the HTML page's safety and parts. */
#include "unit.h"

#include <expat.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "expect.h"
#include "charts.h"
#include "report_files.h"
#include "tools.h"

#define CASE_DIR RACELAB_SOURCE_DIR "/cases/shared_counter"

static const char EXPECT[] =
    "family: race\n"
    "lesson: counter = counter + 1 loses updates\n"
    "unsafe      native     -             may:lost-update       no detector\n"
    "unsafe      detectors  race:counter  may:lost-update       happens-before\n"
    "safe_mutex  native     -             ok                    the mutex\n"
    "safe_mutex  detectors  clean         starved|inconclusive  a <mutex> & \"quotes\"\n";

/* A message with everything XML and Markdown must escape, a control character and a byte
 * that is not UTF-8. */
#define NASTY "MISMATCH under helgrind: unexpected finding race on counter (Race) <&>\"' \x01\xff|"
#define NASTY_CLEAN                                                                                \
    "MISMATCH under helgrind: unexpected finding race on counter (Race) <&>\"' \xEF\xBF\xBD"       \
    "\xEF\xBF\xBD|"

static struct rl_expect expect;

struct fixture {
    struct rl_report_cell cells[8];
    size_t n;
    char tmp[64]; /* a run folder for the cell that prints a timeline */
};

static void add_finding(struct rl_cell *c, enum rl_kind kind, const char *tool_kind,
                        const char *symbols, const char *file, int line)
{
    struct rl_finding f;
    memset(&f, 0, sizeof f);
    f.kind = kind;
    rl_strlcpy(f.tool_kind, tool_kind, sizeof f.tool_kind);
    rl_strlcpy(f.symbols, symbols, sizeof f.symbols);
    rl_strlcpy(f.functions, "worker", sizeof f.functions);
    rl_strlcpy(f.file, file, sizeof f.file);
    f.line = line;
    rl_findings_add(&c->findings, &f);
    c->findings.ran = 1;
}

static struct rl_report_cell *add_cell(struct fixture *fx, const char *variant, int tool,
                                       enum rl_cell_status status)
{
    struct rl_report_cell *c = &fx->cells[fx->n++];
    memset(c, 0, sizeof *c);
    c->case_name = "shared_counter";
    c->case_dir = CASE_DIR;
    c->variant = variant;
    c->tool = tool;
    c->family = expect.family;
    c->lesson = expect.lesson;
    c->row = rl_expect_find(&expect, variant, tool);
    assert_non_null(c->row);
    c->cell.status = status;
    c->cell.verdict.match = status == RL_CELL_MATCH;
    c->cell.wall_s = 0.25;
    snprintf(c->cell.run_path, sizeof c->cell.run_path, "/nonexistent/runs/shared_counter.%s.%s",
             variant, rl_tools[tool].name);
    return c;
}

/* Five cells, one of each kind: a plain pass, a flagged pass, a configuration error, a
 * mismatch with an unexpected finding, a skip. */
static int setup(void **state)
{
    char err[512];
    if (rl_expect_parse(EXPECT, "expect", &expect, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct fixture *fx = calloc(1, sizeof *fx);
    struct rl_report_cell *c = add_cell(fx, "unsafe", RL_NATIVE, RL_CELL_MATCH);
    rl_strlcpy(c->cell.verdict.findings, "-", sizeof c->cell.verdict.findings);
    rl_strlcpy(c->cell.verdict.outcome, "ok", sizeof c->cell.verdict.outcome);
    rl_strlcpy(c->cell.verdict.message, "as expected under native (no detector): outcome ok",
               sizeof c->cell.verdict.message);
    snprintf(fx->tmp, sizeof fx->tmp, "/tmp/racelab-test-report.XXXXXX");
    assert_non_null(mkdtemp(fx->tmp));
    rl_strlcpy(c->cell.run_path, fx->tmp, sizeof c->cell.run_path);
    char path[128];
    snprintf(path, sizeof path, "%s/stdout.txt", fx->tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("racelab-result: x=1\nracelab-timeline: ticker 0 1\nracelab-timeline: hog 1 60\n"
          "racelab-timeline: ticker 61 1\n",
          f);
    fclose(f);

    c = add_cell(fx, "unsafe", RL_TSAN_GCC, RL_CELL_MATCH);
    rl_strlcpy(c->cell.verdict.findings, "race:counter", sizeof c->cell.verdict.findings);
    rl_strlcpy(c->cell.verdict.outcome, "lost-update", sizeof c->cell.verdict.outcome);
    rl_strlcpy(c->cell.verdict.message, "flagged as designed: race on counter at unsafe.c:17",
               sizeof c->cell.verdict.message);
    rl_buf_puts(&c->cell.excerpt, "WARNING: ThreadSanitizer: data race <excerpt & more>\n");
    add_finding(&c->cell, RL_RACE, "data-race", "counter", "unsafe.c", 17);
    add_finding(&c->cell, RL_RACE, "data-race", "counter", "unsafe.c", 17); /* a duplicate */
    for (int i = 0; i < 2; i++) { /* the race's other access */
        rl_strlcpy(c->cell.findings.v[i].file2, "unsafe.c", sizeof c->cell.findings.v[i].file2);
        c->cell.findings.v[i].line2 = 18;
    }
    add_finding(&c->cell, RL_RACE, "data-race", "counter",
                RACELAB_SOURCE_DIR "/fixtures/src/gate.c", 0);
    add_finding(&c->cell, RL_RACE, "data-race", "counter", "/opt/my cases/x.c", 3);
    add_finding(&c->cell, RL_RACE, "data-race", "counter", "unsafe.c", 0); /* clang: no line */

    c = add_cell(fx, "safe_mutex", RL_TSAN_CLANG, RL_CELL_CONFIG_ERROR);
    rl_strlcpy(c->cell.error, "cannot build safe_mutex.c: clang failed <oops>",
               sizeof c->cell.error);

    c = add_cell(fx, "safe_mutex", RL_HELGRIND, RL_CELL_MISMATCH);
    rl_strlcpy(c->cell.verdict.findings, "race:counter", sizeof c->cell.verdict.findings);
    rl_strlcpy(c->cell.verdict.outcome, "ok", sizeof c->cell.verdict.outcome);
    rl_strlcpy(c->cell.verdict.message, NASTY, sizeof c->cell.verdict.message);
    rl_buf_puts(&c->cell.excerpt, "Possible data race during write of size 8 ```\n");
    rl_buf_puts(&c->cell.notes, "stderr (last 12 lines):\n]]> </failure>\n");
    add_finding(&c->cell, RL_RACE, "Race", "counter", "safe_mutex.c", 19);

    c = add_cell(fx, "safe_mutex", RL_DRD, RL_CELL_SKIP);
    rl_strlcpy(c->cell.skip_reason, "valgrind is not installed (needed for drd)",
               sizeof c->cell.skip_reason);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    for (size_t i = 0; i < fx->n; i++)
        rl_cell_free(&fx->cells[i].cell);
    char path[128];
    snprintf(path, sizeof path, "%s/stdout.txt", fx->tmp);
    unlink(path);
    rmdir(fx->tmp);
    free(fx);
    rl_expect_free(&expect);
    return 0;
}

/* Run a writer into memory. */
#define WRITE(call, out)                                                                           \
    do {                                                                                           \
        size_t len_;                                                                               \
        FILE *f = open_memstream(&(out), &len_);                                                   \
        assert_non_null(f);                                                                        \
        assert_int_equal((call), 0);                                                               \
        fclose(f);                                                                                 \
    } while (0)

/* The line of the first line of path that holds marker, or 0. */
static int marker_line(const char *path, const char *marker)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    for (int n = 1; fgets(line, sizeof line, f); n++)
        if (strstr(line, marker)) {
            fclose(f);
            return n;
        }
    fclose(f);
    return 0;
}

/* ---- SARIF ---- */

static const char *str_at(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        fail_msg("\"%s\" is missing or not a string", key);
    return json_string_value(v);
}

/* The SARIF 2.1.0 schema's required fields, and the constraints racelab promises. */
static void validate_sarif(json_t *doc)
{
    assert_true(json_is_object(doc));
    assert_string_equal(str_at(doc, "version"), "2.1.0");
    assert_contains(str_at(doc, "$schema"), "sarif-schema-2.1.0.json");
    json_t *runs = json_object_get(doc, "runs");
    assert_true(json_is_array(runs));
    size_t i, j, k;
    json_t *run, *res, *loc;
    json_array_foreach(runs, i, run)
    {
        json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
        assert_true(json_is_object(driver));
        assert_prefix(str_at(driver, "name"), "racelab-");
        assert_string_equal(str_at(driver, "version"), RACELAB_VERSION);
        json_t *rules = json_object_get(driver, "rules");
        assert_true(json_is_array(rules));
        json_t *rule;
        json_array_foreach(rules, j, rule)
        {
            str_at(rule, "id");
            str_at(json_object_get(rule, "shortDescription"), "text");
            str_at(json_object_get(rule, "fullDescription"), "text");
            str_at(json_object_get(rule, "help"), "text");
        }
        json_t *invocations = json_object_get(run, "invocations");
        json_t *inv;
        json_array_foreach(invocations, j, inv)
            assert_true(json_is_boolean(json_object_get(inv, "executionSuccessful")));
        json_t *results = json_object_get(run, "results");
        assert_true(json_is_array(results));
        json_array_foreach(results, j, res)
        {
            str_at(json_object_get(res, "message"), "text");
            const char *rule_id = str_at(res, "ruleId");
            json_t *index = json_object_get(res, "ruleIndex");
            if (index) /* when present it must point at the rule of that id */
                assert_string_equal(
                    str_at(json_array_get(rules, (size_t)json_integer_value(index)), "id"),
                    rule_id);
            const char *level = str_at(res, "level");
            assert_true(strcmp(level, "warning") == 0 || strcmp(level, "error") == 0);
            json_t *all = json_array();
            json_array_extend(all, json_object_get(res, "locations"));
            json_array_extend(all, json_object_get(res, "relatedLocations"));
            json_array_foreach(all, k, loc)
            {
                json_t *phys = json_object_get(loc, "physicalLocation");
                const char *uri = str_at(json_object_get(phys, "artifactLocation"), "uri");
                if (strncmp(uri, "file://", 7) != 0)
                    assert_true(uri[0] != '/' && uri[0] != '\0'); /* relative to SRCROOT */
                json_t *region = json_object_get(phys, "region");
                if (region) {
                    json_t *line = json_object_get(region, "startLine");
                    assert_true(json_is_integer(line));
                    assert_true(json_integer_value(line) >= 1);
                }
            }
            json_decref(all);
        }
    }
}

static json_t *load_sarif_as(const struct rl_report_cell *cells, size_t n, int actionable)
{
    char *out = NULL;
    WRITE(rl_report_sarif(f, cells, n, RACELAB_SOURCE_DIR, actionable), out);
    json_error_t e;
    json_t *doc = json_loads(out, 0, &e);
    if (doc == NULL)
        fail_msg("SARIF does not parse: %s at line %d\n%s", e.text, e.line, out);
    free(out);
    validate_sarif(doc);
    return doc;
}

static json_t *load_sarif(const struct rl_report_cell *cells, size_t n)
{
    return load_sarif_as(cells, n, 0);
}

static json_t *run_of(json_t *doc, const char *driver)
{
    size_t i;
    json_t *run;
    json_array_foreach(
        json_object_get(doc, "runs"), i,
        run) if (strcmp(str_at(json_object_get(json_object_get(run, "tool"), "driver"), "name"),
                        driver) == 0) return run;
    fail_msg("no run of %s", driver);
    return NULL;
}

static json_t *uri_of(json_t *result)
{
    json_t *loc = json_array_get(json_object_get(result, "locations"), 0);
    return json_object_get(
        json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation"), "uri");
}

static void test_sarif_results(void **state)
{
    struct fixture *fx = *state;
    json_t *doc = load_sarif(fx->cells, fx->n);
    /* one run per detector the matrix ran, none for native */
    json_t *runs = json_object_get(doc, "runs");
    assert_int_equal(json_array_size(runs), 4);
    assert_string_equal(
        str_at(json_object_get(json_object_get(json_array_get(runs, 0), "tool"), "driver"), "name"),
        "racelab-tsan-clang");

    /* shared_counter.unsafe under tsan-gcc: race:counter at cases/shared_counter/unsafe.c:17,
     * expected; the duplicate report is one result */
    json_t *results = json_object_get(run_of(doc, "racelab-tsan-gcc"), "results");
    assert_int_equal(json_array_size(results), 4);
    json_t *r = json_array_get(results, 0);
    assert_string_equal(str_at(r, "ruleId"), "race/shared_counter");
    /* the rule's help is the case's lesson: its README's first paragraph, and the lesson line */
    json_t *rule = json_array_get(
        json_object_get(json_object_get(json_object_get(run_of(doc, "racelab-tsan-gcc"), "tool"),
                                        "driver"),
                        "rules"),
        (size_t)json_integer_value(json_object_get(r, "ruleIndex")));
    assert_contains(str_at(json_object_get(rule, "help"), "text"),
                    "Four threads each add 1000 to one `long counter`");
    assert_contains(str_at(json_object_get(rule, "fullDescription"), "text"),
                    "counter = counter + 1 loses updates");
    /* the race's other access */
    json_t *rel = json_array_get(json_object_get(r, "relatedLocations"), 0);
    assert_non_null(rel);
    json_t *rel_phys = json_object_get(rel, "physicalLocation");
    assert_string_equal(str_at(json_object_get(rel_phys, "artifactLocation"), "uri"),
                        "cases/shared_counter/unsafe.c");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(rel_phys, "region"), "startLine")),
        18);
    assert_string_equal(str_at(r, "level"), "warning");
    assert_string_equal(json_string_value(uri_of(r)), "cases/shared_counter/unsafe.c");
    json_t *phys =
        json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
    assert_string_equal(str_at(json_object_get(phys, "artifactLocation"), "uriBaseId"), "SRCROOT");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(phys, "region"), "startLine")), 17);
    const char *text = str_at(json_object_get(r, "message"), "text");
    assert_contains(text, "race");
    assert_contains(text, "counter");
    assert_contains(text, "shared_counter.unsafe");
    assert_contains(text, "tsan-gcc");
    json_t *props = json_object_get(r, "properties");
    assert_string_equal(str_at(props, "case"), "shared_counter");
    assert_string_equal(str_at(props, "variant"), "unsafe");
    assert_string_equal(str_at(props, "tool"), "tsan-gcc");
    assert_true(json_is_true(json_object_get(props, "expected")));

    /* a frame in the fixtures with no line and no definition of its function there: no
     * region, and the message says why */
    r = json_array_get(results, 1);
    assert_string_equal(json_string_value(uri_of(r)), "fixtures/src/gate.c");
    phys = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
    assert_null(json_object_get(phys, "region"));
    assert_contains(str_at(json_object_get(r, "message"), "text"),
                    "gave no line for this frame, and racelab found no definition of worker");
    /* a frame with no line in the case: the line that defines its function */
    r = json_array_get(results, 3);
    phys = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(phys, "region"), "startLine")), 13);
    assert_contains(str_at(json_object_get(r, "message"), "text"),
                    "the line shown is where worker is defined");
    /* a case folder outside the repository: an absolute file URI, percent-encoded */
    assert_string_equal(json_string_value(uri_of(json_array_get(results, 2))),
                        "file:///opt/my%20cases/x.c");

    /* a finding the expectation does not ask for is an error */
    results = json_object_get(run_of(doc, "racelab-helgrind"), "results");
    assert_int_equal(json_array_size(results), 1);
    r = json_array_get(results, 0);
    assert_string_equal(str_at(r, "level"), "error");
    assert_false(json_is_true(json_object_get(json_object_get(r, "properties"), "expected")));
    assert_string_equal(json_string_value(uri_of(r)), "cases/shared_counter/safe_mutex.c");

    /* the actionable file: only what a user must act on. The expected findings are gone;
     * the unexpected one stays. */
    json_t *act = load_sarif_as(fx->cells, fx->n, 1);
    assert_int_equal(json_array_size(json_object_get(run_of(act, "racelab-tsan-gcc"), "results")),
                     0);
    results = json_object_get(run_of(act, "racelab-helgrind"), "results");
    assert_int_equal(json_array_size(results), 1);
    assert_string_equal(str_at(json_array_get(results, 0), "level"), "error");
    json_decref(act);

    /* skipped and failed detectors: no results, and the invocation says why */
    json_t *drd = run_of(doc, "racelab-drd");
    assert_int_equal(json_array_size(json_object_get(drd, "results")), 0);
    json_t *inv = json_array_get(json_object_get(drd, "invocations"), 0);
    assert_false(json_is_true(json_object_get(inv, "executionSuccessful")));
    json_t *note = json_array_get(json_object_get(inv, "toolExecutionNotifications"), 0);
    assert_contains(str_at(json_object_get(note, "message"), "text"), "valgrind is not installed");
    json_decref(doc);
}

static void test_sarif_without_findings(void **state)
{
    struct fixture *fx = *state;
    /* only the clean cells: every run is there, with results: [] */
    struct rl_report_cell clean[2] = {fx->cells[0], fx->cells[1]};
    struct rl_findings none = {0};
    none.ran = 1;
    clean[1].cell.findings = none;
    json_t *doc = load_sarif(clean, 2);
    json_t *run = run_of(doc, "racelab-tsan-gcc");
    assert_true(json_is_array(json_object_get(run, "results")));
    assert_int_equal(json_array_size(json_object_get(run, "results")), 0);
    json_decref(doc);
    /* a mismatch that no unexpected finding explains (here: the expected race is missing)
     * is a result of its own, in the actionable file too, at its variant's RACE line */
    struct rl_report_cell missing = fx->cells[1];
    missing.cell.findings = none;
    missing.cell.status = RL_CELL_MISMATCH;
    for (int actionable = 0; actionable < 2; actionable++) {
        doc = load_sarif_as(&missing, 1, actionable);
        json_t *results = json_object_get(run_of(doc, "racelab-tsan-gcc"), "results");
        assert_int_equal(json_array_size(results), 1);
        json_t *r = json_array_get(results, 0);
        assert_string_equal(str_at(r, "ruleId"), "mismatch/shared_counter");
        assert_string_equal(str_at(r, "level"), "error");
        assert_string_equal(json_string_value(uri_of(r)), "cases/shared_counter/unsafe.c");
        json_t *phys =
            json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(phys, "region"), "startLine")),
            marker_line(CASE_DIR "/unsafe.c", "/* RACE:"));
        json_decref(doc);
    }
    /* no cells at all: still a valid document, with no runs */
    doc = load_sarif(NULL, 0);
    assert_int_equal(json_array_size(json_object_get(doc, "runs")), 0);
    json_decref(doc);
}

/* ---- JUnit ---- */

struct xml_case {
    char classname[64], name[64], time[16];
    char file[128], line[16]; /* "" when absent */
    char child[16];     /* failure | error | skipped | system-out */
    char message[1024]; /* the child's message attribute */
    struct rl_buf text; /* the child's text */
};

struct xml_doc {
    char root[32];
    char root_attrs[256];
    int suites, depth;
    struct xml_case cases[8];
    int n;
    int in_child;
};

static const char *attr_of(const XML_Char **a, const char *name)
{
    for (; a[0]; a += 2)
        if (strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

static void XMLCALL on_start(void *data, const XML_Char *el, const XML_Char **a)
{
    struct xml_doc *d = data;
    if (d->depth++ == 0) {
        rl_strlcpy(d->root, el, sizeof d->root);
        snprintf(d->root_attrs, sizeof d->root_attrs, "tests=%s failures=%s errors=%s skipped=%s",
                 attr_of(a, "tests"), attr_of(a, "failures"), attr_of(a, "errors"),
                 attr_of(a, "skipped"));
    } else if (strcmp(el, "testsuite") == 0) {
        d->suites++;
    } else if (strcmp(el, "testcase") == 0 && d->n < 8) {
        struct xml_case *c = &d->cases[d->n++];
        rl_strlcpy(c->classname, attr_of(a, "classname"), sizeof c->classname);
        rl_strlcpy(c->name, attr_of(a, "name"), sizeof c->name);
        rl_strlcpy(c->time, attr_of(a, "time"), sizeof c->time);
        const char *file = attr_of(a, "file"), *line = attr_of(a, "line");
        rl_strlcpy(c->file, file ? file : "", sizeof c->file);
        rl_strlcpy(c->line, line ? line : "", sizeof c->line);
    } else if (d->n > 0) {
        struct xml_case *c = &d->cases[d->n - 1];
        rl_strlcpy(c->child, el, sizeof c->child);
        const char *m = attr_of(a, "message");
        rl_strlcpy(c->message, m ? m : "", sizeof c->message);
        d->in_child = 1;
    }
}

static void XMLCALL on_end(void *data, const XML_Char *el)
{
    struct xml_doc *d = data;
    (void)el;
    d->depth--;
    d->in_child = 0;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
    struct xml_doc *d = data;
    if (d->in_child && d->n > 0)
        rl_buf_append(&d->cases[d->n - 1].text, s, (size_t)len);
}

static void test_junit(void **state)
{
    struct fixture *fx = *state;
    char *out = NULL;
    WRITE(rl_report_junit(f, fx->cells, fx->n, RACELAB_SOURCE_DIR), out);
    struct xml_doc d;
    memset(&d, 0, sizeof d);
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, &d);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    if (XML_Parse(p, out, (int)strlen(out), 1) != XML_STATUS_OK)
        fail_msg("junit.xml is not well-formed: %s at line %lu\n%s",
                 XML_ErrorString(XML_GetErrorCode(p)), XML_GetCurrentLineNumber(p), out);
    XML_ParserFree(p);
    free(out);

    assert_string_equal(d.root, "testsuites");
    /* junit-10.xsd (Jenkins xunit) allows no `skipped` on <testsuites> */
    assert_string_equal(d.root_attrs, "tests=5 failures=1 errors=1 skipped=(null)");
    assert_int_equal(d.suites, 1);
    assert_int_equal(d.n, 5);
    static const char *const names[] = {"unsafe.native", "unsafe.tsan-gcc", "safe_mutex.tsan-clang",
                                        "safe_mutex.helgrind", "safe_mutex.drd"};
    static const char *const children[] = {"system-out", "system-out", "error", "failure",
                                           "skipped"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(d.cases[i].classname, "shared_counter");
        assert_string_equal(d.cases[i].name, names[i]);
        assert_string_equal(d.cases[i].time, "0.250");
        assert_string_equal(d.cases[i].child, children[i]);
    }
    /* file and line, relative to the repository, for test-report actions to annotate: the
     * first finding in the case; a cell without one points at its variant's RACE/FIX line */
    assert_string_equal(d.cases[1].file, "cases/shared_counter/unsafe.c");
    assert_string_equal(d.cases[1].line, "17");
    assert_string_equal(d.cases[3].file, "cases/shared_counter/safe_mutex.c");
    assert_string_equal(d.cases[3].line, "19");
    assert_string_equal(d.cases[0].file, "cases/shared_counter/unsafe.c");
    assert_string_equal(d.cases[4].file, "cases/shared_counter/safe_mutex.c");
    char want[16];
    snprintf(want, sizeof want, "%d", marker_line(CASE_DIR "/safe_mutex.c", "/* FIX:"));
    assert_string_equal(d.cases[4].line, want);
    snprintf(want, sizeof want, "%d", marker_line(CASE_DIR "/unsafe.c", "/* RACE:"));
    assert_string_equal(d.cases[0].line, want);
    /* a pass keeps its verdict and the excerpt */
    assert_contains(rl_buf_str(&d.cases[1].text), "flagged as designed: race on counter");
    assert_contains(rl_buf_str(&d.cases[1].text), "data race <excerpt & more>");
    /* the failure: the verdict message, its bad bytes replaced, then the details as text */
    assert_string_equal(d.cases[3].message, NASTY_CLEAN);
    const char *t = rl_buf_str(&d.cases[3].text);
    assert_contains(t, "expected: findings clean, outcome starved|inconclusive");
    assert_contains(t, "actual:   findings race:counter, outcome ok");
    assert_contains(t, "reason:   a <mutex> & \"quotes\"");
    assert_contains(t, "Possible data race during write of size 8 ```");
    assert_contains(t, "]]> </failure>");
    assert_string_equal(d.cases[4].message, "valgrind is not installed (needed for drd)");
    assert_string_equal(d.cases[2].message, "cannot build safe_mutex.c: clang failed <oops>");
    for (int i = 0; i < 5; i++)
        rl_buf_free(&d.cases[i].text);
}

/* ---- Markdown ---- */

static void test_markdown(void **state)
{
    struct fixture *fx = *state;
    char *out = NULL;
    WRITE(rl_report_markdown(f, fx->cells, fx->n), out);
    /* totals, then the mismatches, then the table, then the skips */
    const char *totals = strstr(out, "1 not as expected");
    const char *mismatches = strstr(out, "### Not as expected");
    const char *helgrind = strstr(out, "#### \u274c shared\\_counter.safe\\_mutex.helgrind");
    const char *error = strstr(out, "#### \u274c shared\\_counter.safe\\_mutex.tsan-clang");
    const char *table = strstr(out, "### Matrix");
    const char *skipped = strstr(out, "### Skipped");
    if (!totals || !mismatches || !helgrind || !error || !table || !skipped)
        fail_msg("a part is missing:\n%s", out);
    assert_true(totals < mismatches && mismatches < error && error < helgrind && helgrind < table &&
                table < skipped);
    /* the mismatch: expected, actual, reason, and the excerpt in <details>, fenced past the
     * excerpt's own backticks */
    assert_contains(helgrind, "- **expected**: findings clean, outcome starved\\|inconclusive");
    assert_contains(helgrind, "- **actual**: findings race:counter, outcome ok");
    assert_contains(helgrind, "- **reason**: a \\<mutex\\> \\& \"quotes\"");
    assert_contains(helgrind, "<details><summary>detector report (excerpt)</summary>\n\n````text\n"
                              "Possible data race during write of size 8 ```\n````\n\n</details>");
    /* the table: ✅/❌/⏭ per cell, expected under actual, pipes escaped */
    assert_contains(table, "| case.variant | native | tsan-clang | tsan-gcc | helgrind | drd |");
    assert_contains(table, "| \u2705 race:counter / lost-update<br><sub>expected race:counter / "
                           "may:lost-update</sub> |");
    assert_contains(table, "| \u274c race:counter / ok<br><sub>expected clean / "
                           "starved\\|inconclusive</sub> |");
    assert_contains(table, "| \u23ed skipped |");
    assert_contains(skipped, "- valgrind is not installed (needed for drd)");
    free(out);
}

/* ---- --score, and the CERT C table of the actual verdicts ---- */

/* The fixture's cells as a case naming CON43-C and POS49-C. */
static void name_rules(struct fixture *fx)
{
    static const char rules[][8] = {"POS49-C", "CON43-C"};
    for (size_t i = 0; i < fx->n; i++) {
        fx->cells[i].cert = rules;
        fx->cells[i].n_cert = 2;
    }
}

static void test_score(void **state)
{
    struct fixture *fx = *state;
    name_rules(fx);
    char *out = NULL;
    size_t len;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    rl_report_score(f, fx->cells, fx->n);
    fclose(f);
    /* per detector: tsan-gcc flagged the unsafe variant, helgrind the fix; the error and the
     * skip are scored by nobody */
    assert_contains(out, "\ntsan-gcc        1    0    0    0       1.00    1.00\n");
    assert_contains(out, "\nhelgrind        0    1    0    0       0.00       -\n");
    assert_null(strstr(out, "\ntsan-clang"));
    assert_null(strstr(out, "\ndrd"));
    /* per rule family, each family the cells' rules name, in the order they first appear */
    const char *fam = strstr(out, "score per CERT C rule family");
    if (fam == NULL)
        fail_msg("no per-family score:\n%s", out);
    const char *pos = strstr(fam, "\nPOS    tsan-gcc        1    0    0    0       1.00    1.00\n"
                                  "POS    helgrind        0    1    0    0       0.00       -\n");
    const char *con = strstr(fam, "\nCON    tsan-gcc        1    0    0    0       1.00    1.00\n"
                                  "CON    helgrind        0    1    0    0       0.00       -\n");
    if (pos == NULL || con == NULL || pos > con)
        fail_msg("the per-family rows are not as expected:\n%s", fam);
    assert_contains(out, "  FP helgrind   shared_counter.safe_mutex:");
    free(out);
    /* a case with no rule: no family score at all */
    for (size_t i = 0; i < fx->n; i++)
        fx->cells[i].n_cert = 0;
    f = open_memstream(&out, &len);
    rl_report_score(f, fx->cells, fx->n);
    fclose(f);
    assert_null(strstr(out, "CERT"));
    free(out);
}

/* The CERT C table of what the run saw: the error and the skip are "no verdict", never clean. */
static void test_cert_tables(void **state)
{
    struct fixture *fx = *state;
    name_rules(fx);
    char *out = NULL;
    WRITE(rl_report_markdown(f, fx->cells, fx->n), out);
    const char *t = strstr(out, "### CERT C rules \u00d7 detectors\n\n| CERT C rule | tsan-clang | "
                                "tsan-gcc | helgrind | drd | native: the outcome |\n");
    if (t == NULL)
        fail_msg("no CERT C table in matrix.md:\n%s", out);
    assert_contains(t, "| CON43-C | no verdict on safe\\_mutex: shared\\_counter | flagged: "
                       "shared\\_counter | false alarm on safe\\_mutex: shared\\_counter | no "
                       "verdict on safe\\_mutex: shared\\_counter | the outcome does not show it: "
                       "shared\\_counter |\n");
    free(out);
    WRITE(rl_report_html(f, fx->cells, fx->n), out);
    assert_contains(out, "<tr><th>CON43-C</th><td class=\"mixed\"><div>no verdict on safe_mutex: "
                         "<a href=\"#case-0\">shared_counter</a></div></td><td class=\"ok\"><div>"
                         "flagged: <a href=\"#case-0\">shared_counter</a></div></td>");
    assert_contains(out, "<section class=\"case\" id=\"case-0\">");
    free(out);
    for (size_t i = 0; i < fx->n; i++)
        fx->cells[i].n_cert = 0;
}

/* ---- HTML ---- */

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static void test_html(void **state)
{
    struct fixture *fx = *state;
    char *out = NULL;
    WRITE(rl_report_html(f, fx->cells, fx->n), out);
    assert_prefix(out, "<!DOCTYPE html>");
    /* self-contained: one script, ours; nothing fetched */
    assert_int_equal(count(out, "<script"), 1);
    assert_null(strstr(out, "src=\"http"));
    assert_null(strstr(out, "<link"));
    assert_contains(out, "data-rendered=");
    /* the matrix with its colours */
    assert_contains(out, "<table class=\"matrix\">");
    assert_contains(out, "<td class=\"ok\"");
    assert_contains(out, "<td class=\"bad\"");
    assert_contains(out, "<td class=\"skip\"");
    /* untrusted text is escaped */
    assert_contains(out, "&lt;excerpt &amp; more&gt;");
    assert_contains(out, "(Race) &lt;&amp;&gt;&quot;&#39; \xEF\xBF\xBD\xEF\xBF\xBD|");
    assert_null(strstr(out, "<oops>"));
    /* unsafe.c beside safe_mutex.c in one grid, the changed lines marked on both sides, a
     * removed line beside its replacement, the long unchanged runs folded */
    assert_contains(out, "<div class=\"diff\">");
    assert_contains(out, "<span class=\"l del\">");
    assert_contains(out, "<span class=\"l add\">");
    assert_int_equal(count(out, "<span class=\"l") % 2, 0);
    assert_contains(out, "</span><span class=\"l add\">");
    assert_contains(out, "<details class=\"fold\"><summary>");
    assert_contains(out, " unchanged lines</summary>");
    /* the timeline from the native run's stdout: one row per task, the hog's one wide hold */
    assert_int_equal(count(out, "<svg class=\"timeline\""), 1);
    assert_contains(out, "<b>hog</b>: 1 hold, 60 units; longest hold 60 units (97% of the run)");
    assert_contains(out, "<b>ticker</b>: 2 holds, 2 units");
    free(out);
}

/* A need matched by a finding's function, not its variable (lazy_init's race:worker met by
 * a race on heap in worker): the cell says which finding met which expected name, so that
 * "expected race:instance,race:worker, got race:instance,race:heap" does not read as a
 * mismatch. */
static void test_html_matches(void **state)
{
    (void)state;
    struct rl_expect e;
    char err[256];
    if (rl_expect_parse("family: race\nlesson: l\n"
                        "unsafe native - ok n\n"
                        "unsafe detectors race:instance,race:worker ok unordered\n",
                        "expect", &e, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct rl_report_cell c;
    memset(&c, 0, sizeof c);
    c.case_name = "lazy_init";
    c.case_dir = "/nonexistent";
    c.variant = "unsafe";
    c.tool = RL_TSAN_GCC;
    c.family = "race";
    c.lesson = "l";
    c.row = rl_expect_find(&e, "unsafe", RL_TSAN_GCC);
    assert_non_null(c.row);
    c.cell.status = RL_CELL_MATCH;
    rl_strlcpy(c.cell.verdict.findings, "race:instance,race:heap", sizeof c.cell.verdict.findings);
    rl_strlcpy(c.cell.verdict.outcome, "ok", sizeof c.cell.verdict.outcome);
    struct rl_finding fd;
    memset(&fd, 0, sizeof fd);
    fd.kind = RL_RACE;
    rl_strlcpy(fd.symbols, "instance", sizeof fd.symbols);
    rl_strlcpy(fd.functions, "get_instance", sizeof fd.functions);
    rl_findings_add(&c.cell.findings, &fd);
    c.cell.findings.ran = 1;
    memset(&fd, 0, sizeof fd);
    fd.kind = RL_RACE;
    rl_strlcpy(fd.symbols, "heap", sizeof fd.symbols);
    rl_strlcpy(fd.functions, "worker", sizeof fd.functions);
    rl_findings_add(&c.cell.findings, &fd);
    memset(&fd, 0, sizeof fd);
    fd.kind = RL_THREAD_LEAK;
    rl_strlcpy(fd.functions, "main", sizeof fd.functions);
    rl_findings_add(&c.cell.findings, &fd);
    char *out = NULL;
    WRITE(rl_report_html(f, &c, 1), out);
    /* in the matrix cell: only the need whose name the cell's text does not show */
    assert_contains(out, "<small class=\"met\">race:worker: race on heap in worker</small>");
    assert_null(strstr(out, "<small class=\"met\">race:instance"));
    /* in the cell's details: every need, and what no need took */
    assert_contains(out, "<li>race:instance: race on instance in get_instance</li>");
    assert_contains(out, "<li>race:worker: race on heap in worker</li>");
    assert_contains(out, "<li>not expected: thread-leak in main</li>");
    free(out);
    rl_cell_free(&c.cell);
    rl_expect_free(&e);
}

/* A variant whose program printed no timeline (event_loop_runaway's unsafe one, stopped by
 * its runaway stop inside a step) says why, beside the variant that has one. */
static void test_html_no_timeline(void **state)
{
    struct fixture *fx = *state;
    struct rl_report_cell two[2] = {fx->cells[0], fx->cells[0]};
    two[1].variant = "safe_mutex";
    two[1].row = rl_expect_find(&expect, "safe_mutex", RL_NATIVE);
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/tmp/racelab-test-report.XXXXXX");
    assert_non_null(mkdtemp(dir));
    rl_strlcpy(two[0].cell.run_path, dir, sizeof two[0].cell.run_path);
    rl_strlcpy(two[0].cell.verdict.outcome, "watchdog", sizeof two[0].cell.verdict.outcome);
    snprintf(path, sizeof path, "%s/stdout.txt", dir);
    FILE *o = fopen(path, "w");
    assert_non_null(o);
    fputs("racelab-result: watchdog=runaway task=upload step_units=100000\n", o);
    fclose(o);
    char *out = NULL;
    WRITE(rl_report_html(f, two, 2), out);
    assert_int_equal(count(out, "<svg class=\"timeline\""), 1);
    assert_contains(out, "<p class=\"no-timeline\"><b>unsafe</b>: no timeline. Under native "
                         "its outcome was watchdog: the program was stopped before it could "
                         "print who held the loop (racelab-result: watchdog=runaway "
                         "task=upload step_units=100000).</p>");
    free(out);
    unlink(path);
    rmdir(dir);
}

/* An explore cell's coverage is its own field in the HTML report, and the report lists every
 * search's coverage in one section: exhausted and budget are different claims. */
static void test_html_explore(void **state)
{
    struct fixture *fx = *state;
    struct rl_report_cell two[2] = {fx->cells[0], fx->cells[0]};
    two[0].cell.explore =
        (struct rl_explore_cov){.on = 1, .runs = 200, .budget = 200, .bound = 2, .end = "budget"};
    two[1].variant = "safe_mutex";
    two[1].row = rl_expect_find(&expect, "safe_mutex", RL_NATIVE);
    char *out = NULL;
    WRITE(rl_report_html(f, two, 2), out);
    const char *section = strstr(out, "<h2>Explore coverage</h2>");
    if (section == NULL)
        fail_msg("no explore section:\n%s", out);
    assert_contains(section, "<li><a href=\"#cell-0\" class=\"mono\">shared_counter.unsafe</a>: "
                             "budget: 200 schedules within 2 delays held; the bounded tree is "
                             "larger than the budget</li></ul>");
    assert_contains(out, "<p class=\"explore\">explore coverage: budget: 200 schedules");
    assert_int_equal(count(out, "explore coverage: "), 1); /* only the cell that searched */
    free(out);
    two[0].cell.explore.on = 0;
    WRITE(rl_report_html(f, two, 1), out);
    assert_null(strstr(out, "Explore coverage"));
    free(out);
}

static void test_path_relative(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(rl_path_relative("/a/b/report", "/a/b/runs/x.y.z", out, sizeof out), 0);
    assert_string_equal(out, "../runs/x.y.z");
    assert_int_equal(rl_path_relative("/a/b/", "/a/b/runs//x", out, sizeof out), 0);
    assert_string_equal(out, "runs//x");
    assert_int_equal(rl_path_relative("/a/b", "/a/b", out, sizeof out), 0);
    assert_string_equal(out, ".");
    assert_int_equal(rl_path_relative("/a/bc/d", "/a/b", out, sizeof out), 0);
    assert_string_equal(out, "../../b"); /* "bc" is not "b" */
    assert_int_equal(rl_path_relative("/", "/x", out, sizeof out), 0);
    assert_string_equal(out, "x");
    assert_int_equal(rl_path_relative("a/b", "/x", out, sizeof out), -1);
    assert_int_equal(rl_path_relative("/a/b/c/d/e", "/x", out, 8), -1); /* too long */
}

/* The run folders in the written files are relative to the report folder (a CI artifact
 * holds both), and the page still finds the run's stdout for its timeline. */
static void test_run_links(void **state)
{
    struct fixture *fx = *state;
    char report[128], err[256], path[192];
    snprintf(report, sizeof report, "%s/report", fx->tmp);
    /* a pass (the page links its folder) and a mismatch (JUnit names its folder) */
    struct rl_report_cell two[2] = {fx->cells[0], fx->cells[3]};
    assert_int_equal(two[1].cell.status, RL_CELL_MISMATCH);
    rl_strlcpy(two[1].cell.run_path, fx->tmp, sizeof two[1].cell.run_path);
    assert_int_equal(rl_report_write_dir(report, two, 2, RACELAB_SOURCE_DIR, NULL, err, sizeof err), 0);
    static const char *const files[] = {"index.html", "junit.xml", "matrix.md"};
    for (size_t k = 0; k < 3; k++) {
        struct rl_buf text = {0};
        snprintf(path, sizeof path, "%s/%s", report, files[k]);
        assert_int_equal(rl_read_file(path, 0, &text), 0);
        if (strstr(rl_buf_str(&text), fx->tmp))
            fail_msg("%s names the run folder by its absolute path %s", files[k], fx->tmp);
        assert_contains(rl_buf_str(&text), k == 0 ? "<a href=\"../\">../</a>" : "../");
        if (k == 0)
            assert_contains(rl_buf_str(&text), "<b>ticker</b>: 2 holds");
        rl_buf_free(&text);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/racelab.sarif", report);
    unlink(path);
    rmdir(report);
}

/* The measured files (charts.h): a sweep and a scaling file read back point by point, every
 * malformed line refused with path:line, the charts drawn with each text escaped, the
 * intervals from the counts, the core count marked; a folder's bad file is named and left
 * out while the good one is drawn. */
static void test_charts(void **state)
{
    (void)state;
    struct rl_chart c;
    char err[512];
    const char *sweep = "sweep\tcase.a<b.native\tITERS\n"
                        "point\t100\toutcome\tlost-update\t0\t10\t0.1\n"
                        "point\t1000\toutcome\tlost-update\t10\t10\t0.2\n";
    assert_int_equal(rl_chart_parse(sweep, "s.tsv", &c, err, sizeof err), 0);
    assert_int_equal(c.n, 2);
    assert_false(c.scaling);
    assert_string_equal(c.param, "ITERS");
    assert_string_equal(c.p[1].series, "outcome lost-update");
    assert_int_equal(c.p[1].k, 10);
    struct rl_buf b = {0};
    rl_chart_svg(&b, &c);
    assert_contains(rl_buf_str(&b), "<svg class=\"chart sweep\"");
    assert_contains(rl_buf_str(&b), "case.a&lt;b.native");
    assert_contains(rl_buf_str(&b), "at 100: 0 of 10 runs (0.0%, 95% interval 0.0% to 27.8%)");
    assert_contains(rl_buf_str(&b), "at 1000: 10 of 10 runs (100.0%, 95% interval 72.2% to 100.0%)");
    rl_buf_free(&b);
    free(c.p);

    const char *scaling = "scaling\t2\t5\t1.5\npoint\tcpu-threads\t1\t5\t1.0\t0\n"
                          "point\tcpu-threads\t2\t5\t0.5\t0\npoint\tio-&loop\t1\t5\t0.2\t0\n";
    assert_int_equal(rl_chart_parse(scaling, "b.tsv", &c, err, sizeof err), 0);
    assert_int_equal(c.cpus, 2);
    rl_chart_svg(&b, &c);
    assert_contains(rl_buf_str(&b), "2 cores</text>");
    assert_contains(rl_buf_str(&b), "cpu-threads, 2 workers: median 0.5000 s of 5 runs, 2.00x");
    assert_contains(rl_buf_str(&b), "io-&amp;loop");
    rl_buf_free(&b);
    free(c.p);

    static const struct {
        const char *text, *says;
    } bad[] = {
        {"", "b.tsv:1: empty"},
        {"hello\n", "b.tsv:1: not a racelab measurement"},
        {"sweep\tc\tN\npoint\t1\toutcome\tok\t3\t2\t0.1\n", "b.tsv:2: not 'point"},
        {"sweep\tc\tN\npoint\tx\toutcome\tok\t1\t2\t0.1\n", "b.tsv:2: not 'point"},
        {"sweep\tc\tN\npoint\t1\toutcome\tok\t1\t2\n", "b.tsv:2: not 'point"},
        {"scaling\t2\t5\t1\npoint\tcpu\t0\t5\t1\t0\n", "b.tsv:2: not 'point\\tMODE"},
        {"scaling\t0\t5\t1\n", "b.tsv:1: not a racelab measurement"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("%zu\n", i);
        assert_int_equal(rl_chart_parse(bad[i].text, "b.tsv", &c, err, sizeof err), -1);
        assert_contains(err, bad[i].says);
        free(c.p);
    }

    char dir[] = "/tmp/racelab-charts-XXXXXX", path[600];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a.tsv", dir);
    assert_int_equal(rl_write_atomic_bytes(path, sweep, strlen(sweep)), 0);
    snprintf(path, sizeof path, "%s/b.tsv", dir);
    assert_int_equal(rl_write_atomic_bytes(path, "sweep\tc\tN\nnonsense\n", 19), 0);
    struct rl_measured m;
    rl_measured_load(dir, &m);
    assert_int_equal(m.n, 1);
    assert_contains(rl_buf_str(&m.problems), "/b.tsv:2: not 'point");
    rl_measured_free(&m);
    unlink(path);
    snprintf(path, sizeof path, "%s/a.tsv", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sarif_results),
        cmocka_unit_test(test_sarif_without_findings),
        cmocka_unit_test(test_junit),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_path_relative),
        cmocka_unit_test(test_run_links),
        cmocka_unit_test(test_html_matches),
        cmocka_unit_test(test_html_no_timeline),
        cmocka_unit_test(test_html_explore),
        cmocka_unit_test(test_score),
        cmocka_unit_test(test_cert_tables),
        cmocka_unit_test(test_charts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
