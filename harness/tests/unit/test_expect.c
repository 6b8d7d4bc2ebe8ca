/* Unit tests of expect.h: the expect file format, its error messages ("path:line: what"), and
 * the coverage check against the variants that exist. */
#include "unit.h"

#include <stdlib.h>

#include "expect.h"
#include "tools.h"

#define T(id) (1u << (id))
#define ALL                                                                                        \
    (T(RL_NATIVE) | T(RL_TSAN_CLANG) | T(RL_TSAN_GCC) | T(RL_HELGRIND) | T(RL_DRD) | T(RL_EXPLORE))
/* the four happens-before detectors: explore's rows are written out */
#define DETECTORS (ALL & ~T(RL_NATIVE) & ~T(RL_EXPLORE))
#define O(id) (1u << (id))

/* Every feature of the format once; the last line has no newline, as an editor may leave it. */
static const char VALID[] =
    "# a comment, then the headers\n"
    "family: race\n"
    "lesson: two threads, one counter\n"
    "\n"
    "# variant  tools  findings  outcome  reason\n"
    "unsafe  native  -  may:lost-update  only the count can tell\n"
    "unsafe\tdetectors\trace:counter\tmay:lost-update\ttabs separate columns too\n"
    "safe_mutex  native  -  ok  one tool\n"
    "safe_atomic  tsan  clean  ok  TSan models atomics\n"
    "safe_atomic  valgrind  clean  ok|starved  alternatives joined with a bar\n"
    "safe_atomic  native  -  watchdog|hang|crash  three alternatives\n"
    "unsafe_two  tsan-clang,drd  race:counter,lock-order:lock_a  lost-update  two findings\n"
    "unsafe_two  helgrind  thread-leak:main,bad-unlock:guard,api-misuse:worker  inconclusive  "
    "every kind\n"
    "unsafe_two  tsan-gcc  clean  starved  the reason may hold  several   spaces\n"
    "unsafe_hang  *  -  hang  a killed run leaves no detector verdict, so '-' for all tools";

/* The rows of VALID as parsed. */
static const struct {
    const char *variant, *tools_spec;
    unsigned tools;
    int no_detector, n_need;
    unsigned outcomes;
    const char *findings_text, *reason;
    int line;
} valid_rows[] = {
    {"unsafe", "native", T(RL_NATIVE), 1, 0, O(RL_OUT_OK) | O(RL_OUT_LOST_UPDATE), "-",
     "only the count can tell", 6},
    {"unsafe", "detectors", DETECTORS, 0, 1, O(RL_OUT_OK) | O(RL_OUT_LOST_UPDATE), "race:counter",
     "tabs separate columns too", 7},
    {"safe_mutex", "native", T(RL_NATIVE), 1, 0, O(RL_OUT_OK), "-", "one tool", 8},
    {"safe_atomic", "tsan", T(RL_TSAN_CLANG) | T(RL_TSAN_GCC), 0, 0, O(RL_OUT_OK), "clean",
     "TSan models atomics", 9},
    {"safe_atomic", "valgrind", T(RL_HELGRIND) | T(RL_DRD), 0, 0, O(RL_OUT_OK) | O(RL_OUT_STARVED),
     "clean", "alternatives joined with a bar", 10},
    {"safe_atomic", "native", T(RL_NATIVE), 1, 0,
     O(RL_OUT_WATCHDOG) | O(RL_OUT_HANG) | O(RL_OUT_CRASH), "-", "three alternatives", 11},
    {"unsafe_two", "tsan-clang,drd", T(RL_TSAN_CLANG) | T(RL_DRD), 0, 2, O(RL_OUT_LOST_UPDATE),
     "race:counter,lock-order:lock_a", "two findings", 12},
    {"unsafe_two", "helgrind", T(RL_HELGRIND), 0, 3, O(RL_OUT_INCONCLUSIVE),
     "thread-leak:main,bad-unlock:guard,api-misuse:worker", "every kind", 13},
    {"unsafe_two", "tsan-gcc", T(RL_TSAN_GCC), 0, 0, O(RL_OUT_STARVED), "clean",
     "the reason may hold  several   spaces", 14},
    {"unsafe_hang", "*", ALL, 1, 0, O(RL_OUT_HANG), "-",
     "a killed run leaves no detector verdict, so '-' for all tools", 15},
};

static void test_valid_file(void **state)
{
    (void)state;
    struct rl_expect e;
    char err[512] = "";
    assert_int_equal(rl_expect_parse(VALID, "cases/x/expect", &e, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(e.path, "cases/x/expect");
    assert_string_equal(e.family, "race");
    assert_string_equal(e.lesson, "two threads, one counter");
    assert_int_equal(e.n_rows, sizeof valid_rows / sizeof *valid_rows);
    for (size_t i = 0; i < e.n_rows; i++) {
        const struct rl_expect_row *r = &e.rows[i];
        print_message("line %d\n", valid_rows[i].line);
        assert_string_equal(r->variant, valid_rows[i].variant);
        assert_string_equal(r->tools_spec, valid_rows[i].tools_spec);
        assert_int_equal(r->tools, valid_rows[i].tools);
        assert_int_equal(r->no_detector, valid_rows[i].no_detector);
        assert_int_equal(r->n_need, valid_rows[i].n_need);
        assert_int_equal(r->outcomes, valid_rows[i].outcomes);
        assert_string_equal(r->reason, valid_rows[i].reason);
        assert_int_equal(r->line, valid_rows[i].line);
        char text[256];
        rl_expect_findings_text(r, text, sizeof text);
        assert_string_equal(text, valid_rows[i].findings_text);
    }
    /* the needs keep kind and name apart */
    assert_int_equal(e.rows[6].need[0].kind, RL_RACE);
    assert_string_equal(e.rows[6].need[0].name, "counter");
    assert_int_equal(e.rows[6].need[1].kind, RL_LOCK_ORDER);
    assert_string_equal(e.rows[6].need[1].name, "lock_a");
    assert_string_equal(e.rows[0].outcome_spec, "may:lost-update");
    rl_expect_free(&e);
}

/* The tools column: a tool, a comma list, or a group; the first unknown name is reported. */
static void test_tool_groups(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        unsigned mask;
        const char *bad;
    } table[] = {
        {"*", ALL, ""},
        {"detectors", DETECTORS, ""},
        {"explore", T(RL_EXPLORE), ""},
        {"tsan", T(RL_TSAN_CLANG) | T(RL_TSAN_GCC), ""},
        {"valgrind", T(RL_HELGRIND) | T(RL_DRD), ""},
        {"native", T(RL_NATIVE), ""},
        {"tsan-gcc,helgrind", T(RL_TSAN_GCC) | T(RL_HELGRIND), ""},
        {"native,tsan", T(RL_NATIVE) | T(RL_TSAN_CLANG) | T(RL_TSAN_GCC), ""},
        {"drd,memcheck", 0, "memcheck"},
        {"TSAN", 0, "TSAN"},
        {"tsan,", 0, "tsan,"},
        {"", 0, ""},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        char bad[64] = "";
        print_message("'%s'\n", table[i].spec);
        assert_int_equal(rl_tool_mask(table[i].spec, bad, sizeof bad), table[i].mask);
        assert_string_equal(bad, table[i].bad);
    }
}

/* rl_expect_find returns the row covering (variant, tool), or NULL. */
static void test_find(void **state)
{
    (void)state;
    struct rl_expect e;
    char err[512] = "";
    assert_int_equal(rl_expect_parse(VALID, "expect", &e, err, sizeof err), 0);
    const struct rl_expect_row *r = rl_expect_find(&e, "unsafe", RL_DRD);
    assert_non_null(r);
    assert_int_equal(r->line, 7);
    r = rl_expect_find(&e, "unsafe_two", RL_TSAN_GCC);
    assert_non_null(r);
    assert_int_equal(r->line, 14);
    assert_null(rl_expect_find(&e, "safe_mutex", RL_HELGRIND));
    r = rl_expect_find(&e, "unsafe_hang", RL_DRD);
    assert_non_null(r);
    assert_int_equal(r->no_detector, 1);
    assert_null(rl_expect_find(&e, "nope", RL_NATIVE));
    rl_expect_free(&e);
}

/* The real shared_counter expect file parses and covers its variants. */
static void test_real_case_file(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/shared_counter/expect", RL_CASES_DIR);
    struct rl_expect e;
    char err[512] = "";
    assert_int_equal(rl_expect_load(path, &e, err, sizeof err), 0);
    assert_string_equal(e.family, "race");
    const char *variants[] = {"unsafe", "unsafe_forced", "safe_atomic", "safe_mutex"};
    assert_int_equal(rl_expect_validate(&e, variants, 4, err, sizeof err), 0);
    const struct rl_expect_row *r = rl_expect_find(&e, "unsafe", RL_HELGRIND);
    assert_non_null(r);
    assert_int_equal(r->n_need, 1);
    assert_string_equal(r->need[0].name, "counter");
    rl_expect_free(&e);
}

static const char HEAD[] = "family: race\nlesson: l\n";

/* One bad line after the two headers (so it is line 3), and what the error must say. */
static const struct {
    const char *line;
    const char *says;
} bad_rows[] = {
    {"unsafe  tsan-msvc  race:counter  ok  r", "unknown tool 'tsan-msvc'"},
    {"unsafe  tsan,memcheck  race:counter  ok  r", "unknown tool 'memcheck'"},
    {"unsafe  tsan  deadlock:counter  ok  r", "unknown finding kind 'deadlock'"},
    {"unsafe  tsan  race  ok  r", "must be kind:name"},
    {"unsafe  tsan  race:  ok  r", "must name the variable"},
    {"unsafe  tsan  race:counter  fine  r", "unknown outcome 'fine'"},
    {"unsafe  tsan  race:counter  may:slow  r", "unknown outcome 'slow'"},
    {"unsafe  tsan  race:counter  ok|fast  r", "unknown outcome 'fast'"},
    {"unsafe  tsan  race:counter  error  r", "unknown outcome 'error'"},
    {"unsafe  tsan  race:counter  ok", "has no reason"},
    {"unsafe  tsan  race:counter", "a row needs: variant tools findings outcome reason"},
    {"unsafe", "a row needs: variant tools findings outcome reason"},
    /* '-' under a detector is only for a row whose outcome is exactly hang, or crash */
    {"unsafe  helgrind  -  ok  r", "findings '-' (no verdict) is for native"},
    {"unsafe  *  -  ok  r", "findings '-' (no verdict) is for native"},
    {"unsafe  drd  -  may:hang  r", "findings '-' (no verdict) is for native"},
    {"unsafe  tsan  -  hang|crash  r", "findings '-' (no verdict) is for native"},
    {"unsafe  native  clean  ok  r", "native runs no detector"},
    {"unsafe  native  race:counter  ok  r", "native runs no detector"},
    {"uns@fe  tsan  clean  ok  r", "bad variant name 'uns@fe'"},
    {"family: deadlock", "family must be 'race' or 'starvation', not 'deadlock'"},
    {"owner: someone", "unknown header 'owner:'"},
    /* counts and wildcards */
    {"unsafe  tsan  race:counter=0  ok  r", "count in 'race:counter=0' must be a number from 1"},
    {"unsafe  tsan  race:counter=  ok  r", "count in 'race:counter=' must be a number from 1"},
    {"unsafe  tsan  race:counter=two  ok  r", "count in 'race:counter=two' must be a number"},
    {"unsafe  tsan  race:counter=2x  ok  r", "count in 'race:counter=2x' must be a number"},
    {"unsafe  tsan  race:counter=100001  ok  r", "must be a number from 1 to 100000"},
    {"unsafe  tsan  race:=2  ok  r", "must name the variable"},
    {"unsafe  tsan  race:*x  ok  r", "must name the variable"},
    {"unsafe  tsan  race:counter,race:counter=2  ok  r", "'race:counter' is listed twice"},
    {"unsafe  tsan  race:*,race:*=2  ok  r", "'race:*' is listed twice"},
    /* a program's own exit status */
    {"unsafe  native  -  exit:  ok", "exit status in 'exit:' must be a number from 1 to 255"},
    {"unsafe  native  -  exit:256  r", "exit status in 'exit:256' must be a number from 1 to 255"},
    {"unsafe  native  -  exit:5x  r", "must be a number from 1 to 255"},
    {"unsafe  native  -  exit:-1  r", "must be a number from 1 to 255"},
    {"unsafe  native  -  exit:40  r", "exit:40 is the outcome 'lost-update': write that"},
    {"unsafe  native  -  may:exit:0  r", "must be a number from 1 to 255"},
    {"unsafe  native  -  exit:1|exit:2|exit:3|exit:4|exit:5  r", "more than 4 exit statuses"},
    /* build flags */
    {"cflags: -O2 -o elsewhere", "cflags: '-o' is racelab's to give"},
    {"cflags: -c", "cflags: '-c' is racelab's to give"},
    {"ldflags: m", "ldflags: 'm' is not an option"},
    {"cflags: -DNAME=\"a b\"", "cflags: quotes are not supported"},
    /* CERT rule ids */
    {"cert: CON32", "cert: 'CON32' is not a CERT C rule id"},
    {"cert: con32-c", "cert: 'con32-c' is not a CERT C rule id"},
    {"cert: CON32-CPP", "cert: 'CON32-CPP' is not a CERT C rule id"},
    {"cert: CON3X-C", "cert: 'CON3X-C' is not a CERT C rule id"},
    {"cert: CON32-C POS49-C", "cert: 'CON32-C POS49-C' is not a CERT C rule id"},
    {"cert: CON32-C,,X", "cert: 'X' is not a CERT C rule id"},
    {"cert: CON32-C, CON32-C", "cert: 'CON32-C' is listed twice"},
    {"cert: ,", "cert: names no rule"},
    /* parameters (param: NAME=v1,v2,...) */
    {"param: ITERS", "param: 'ITERS' is not NAME=v1,v2,..."},
    {"param: =1,2", "param: name '' must be capitals, digits and '_'"},
    {"param: iters=1,2", "param: name 'iters' must be capitals"},
    {"param: 9LIVES=1", "param: name '9LIVES' must be capitals"},
    {"param: IT-ERS=1", "param: name 'IT-ERS' must be capitals"},
    {"param: ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG=1", "at most 31 characters"},
    {"param: ITERS=", "param: ITERS value '' must be a whole number from 0 to 1000000000"},
    {"param: ITERS=1,,2", "param: ITERS value '' must be a whole number"},
    {"param: ITERS=1,2,", "param: ITERS value '' must be a whole number"},
    {"param: ITERS=-1", "param: ITERS value '-1' must be a whole number"},
    {"param: ITERS=1e3", "param: ITERS value '1e3' must be a whole number"},
    {"param: ITERS=1000000001", "param: ITERS value '1000000001' must be a whole number"},
    {"param: ITERS=10,20,10", "param: ITERS value 10 is listed twice"},
    {"param: N=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "param: N has more than 16 values"},
};

static void test_malformed_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_rows / sizeof *bad_rows; i++) {
        char text[512], err[512] = "";
        snprintf(text, sizeof text, "%s%s\nsafe native - ok r\n", HEAD, bad_rows[i].line);
        print_message("%s\n", bad_rows[i].line);
        struct rl_expect e;
        assert_int_equal(rl_expect_parse(text, "cases/c/expect", &e, err, sizeof err), -1);
        assert_prefix(err, "cases/c/expect:3: ");
        assert_contains(err, bad_rows[i].says);
        rl_expect_free(&e);
    }
}

/* cert: names rules, in order, spaces after the commas allowed; a second cert: is refused. */
static void test_cert_header(void **state)
{
    (void)state;
    char err[512] = "";
    struct rl_expect e;
    const char *text = "family: race\nlesson: l\ncert: CON35-C, POS51-C\nsafe native - ok r\n";
    assert_int_equal(rl_expect_parse(text, "cases/c/expect", &e, err, sizeof err), 0);
    assert_int_equal(e.n_cert, 2);
    assert_string_equal(e.cert[0], "CON35-C");
    assert_string_equal(e.cert[1], "POS51-C");
    rl_expect_free(&e);
    text = "family: race\nlesson: l\ncert: CON35-C\ncert: POS51-C\nsafe native - ok r\n";
    assert_int_equal(rl_expect_parse(text, "cases/c/expect", &e, err, sizeof err), -1);
    assert_string_equal(err, "cases/c/expect:4: header 'cert:' is given twice");
    rl_expect_free(&e);
    /* the suite's own cases name theirs */
    char path[1024];
    snprintf(path, sizeof path, "%s/shared_counter/expect", RL_CASES_DIR);
    assert_int_equal(rl_expect_load(path, &e, err, sizeof err), 0);
    assert_int_equal(e.n_cert, 1);
    assert_string_equal(e.cert[0], "CON43-C");
    rl_expect_free(&e);
}

/* param: each name once, its values in order; a name given twice is refused with both lines;
 * at most RL_EXPECT_MAX_PARAMS names. The suite's shared_counter declares THREADS and ITERS. */
static void test_param_header(void **state)
{
    (void)state;
    char err[512] = "";
    struct rl_expect e;
    const char *text = "family: race\nlesson: l\nparam: ITERS=100, 1000,0\nparam: THREADS_2=2\n"
                       "safe native - ok r\n";
    assert_int_equal(rl_expect_parse(text, "cases/c/expect", &e, err, sizeof err), 0);
    assert_int_equal(e.n_params, 2);
    const struct rl_param *p = rl_expect_param(&e, "ITERS");
    assert_non_null(p);
    assert_int_equal(p->n_values, 3);
    assert_int_equal(p->values[0], 100);
    assert_int_equal(p->values[1], 1000);
    assert_int_equal(p->values[2], 0);
    assert_int_equal(p->line, 3);
    assert_int_equal(rl_expect_param(&e, "THREADS_2")->values[0], 2);
    assert_null(rl_expect_param(&e, "THREADS"));
    rl_expect_free(&e);
    text = "family: race\nlesson: l\nparam: ITERS=1\n\nparam: ITERS=2\nsafe native - ok r\n";
    assert_int_equal(rl_expect_parse(text, "cases/c/expect", &e, err, sizeof err), -1);
    assert_string_equal(err, "cases/c/expect:5: param: 'ITERS' is given twice (first at line 3)");
    rl_expect_free(&e);
    text = "family: race\nlesson: l\nparam: A=1\nparam: B=1\nparam: C=1\nparam: D=1\n"
           "param: E=1\nsafe native - ok r\n";
    assert_int_equal(rl_expect_parse(text, "cases/c/expect", &e, err, sizeof err), -1);
    assert_string_equal(err, "cases/c/expect:7: param: more than 4 parameters");
    rl_expect_free(&e);
    char path[1024];
    snprintf(path, sizeof path, "%s/shared_counter/expect", RL_CASES_DIR);
    assert_int_equal(rl_expect_load(path, &e, err, sizeof err), 0);
    assert_int_equal(rl_expect_param(&e, "THREADS")->n_values, 5);
    assert_int_equal(rl_expect_param(&e, "ITERS")->n_values, 5);
    rl_expect_free(&e);
}

/* A lesson too long for its place is refused with the limit named, never cut. */
static void test_long_lesson(void **state)
{
    (void)state;
    struct rl_buf text = {0};
    rl_buf_puts(&text, "family: race\nlesson: ");
    for (int i = 0; i < 60; i++)
        rl_buf_puts(&text, "a lesson ");
    rl_buf_puts(&text, "\nunsafe native - ok r\n");
    char err[512] = "";
    struct rl_expect e;
    assert_int_equal(rl_expect_parse(rl_buf_str(&text), "cases/c/expect", &e, err, sizeof err), -1);
    assert_contains(err, "cases/c/expect:2: lesson longer than 511 characters");
    rl_expect_free(&e);
    rl_buf_free(&text);
}

/* A missing header is reported with the file's name and names the header. */
static void test_missing_headers(void **state)
{
    (void)state;
    static const struct {
        const char *text, *says;
    } table[] = {
        {"lesson: l\nsafe native - ok r\n", "missing header 'family"},
        {"family: race\nsafe native - ok r\n", "missing header 'lesson"},
        {"family: race\nlesson: l\n# only comments\n", "no expectation rows"},
        {"", "missing header 'family"},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        char err[512] = "";
        struct rl_expect e;
        assert_int_equal(rl_expect_parse(table[i].text, "cases/c/expect", &e, err, sizeof err), -1);
        assert_prefix(err, "cases/c/expect:");
        assert_contains(err, table[i].says);
        rl_expect_free(&e);
    }
}

/* expect.h promises "path:line: what is wrong" for every error; a missing header must point
 * at a line as well (e.g. line 1), so editors and CI annotations can jump to the file. */
static void test_missing_header_has_line(void **state)
{
    (void)state;
    const char *texts[] = {"lesson: l\nsafe native - ok r\n", "family: race\nsafe native - ok r\n"};
    for (size_t i = 0; i < 2; i++) {
        char err[512] = "";
        struct rl_expect e;
        assert_int_equal(rl_expect_parse(texts[i], "cases/c/expect", &e, err, sizeof err), -1);
        const char *after = err + strlen("cases/c/expect:");
        assert_prefix(err, "cases/c/expect:");
        char *end;
        long line = strtol(after, &end, 10);
        if (end == after || line < 1 || strncmp(end, ": ", 2) != 0)
            fail_msg("'%s' has no line number", err);
        rl_expect_free(&e);
    }
}

/* rl_expect_load names the file it cannot read. */
static void test_load_missing_file(void **state)
{
    (void)state;
    struct rl_expect e;
    char err[512] = "";
    assert_int_equal(rl_expect_load("/nonexistent/expect", &e, err, sizeof err), -1);
    assert_prefix(err, "/nonexistent/expect: cannot read");
    rl_expect_free(&e);
}

static int parse_ok(const char *body, struct rl_expect *e)
{
    char text[2048], err[512] = "";
    snprintf(text, sizeof text, "%s%s", HEAD, body);
    int rc = rl_expect_parse(text, "cases/c/expect", e, err, sizeof err);
    if (rc != 0)
        fail_msg("parse failed: %s", err);
    return rc;
}

/* Every (variant, tool) covered exactly once, by rows naming existing variants. */
static void test_validate(void **state)
{
    (void)state;
    const char *variants[] = {"unsafe", "safe_mutex"};
    char err[512];
    struct rl_expect e;

    parse_ok("unsafe native - ok r\n"
             "unsafe detectors race:counter ok r\n"
             "safe_mutex native - ok r\n"
             "safe_mutex tsan,valgrind clean ok r\n",
             &e);
    err[0] = '\0';
    assert_int_equal(rl_expect_validate(&e, variants, 2, err, sizeof err), 0);
    assert_string_equal(err, "");
    rl_expect_free(&e);

    /* line 6 covers (unsafe, helgrind) again: the error points at it and names line 4 */
    parse_ok("unsafe native - ok r\n"
             "unsafe tsan,helgrind race:counter ok r\n"
             "safe_mutex native - ok r\n"
             "unsafe drd,helgrind clean ok r\n"
             "safe_mutex detectors clean ok r\n",
             &e);
    assert_int_equal(rl_expect_validate(&e, variants, 2, err, sizeof err), -1);
    assert_prefix(err, "cases/c/expect:6: ");
    assert_contains(err, "'unsafe helgrind' is already covered by line 4");
    rl_expect_free(&e);

    /* no row for (safe_mutex, drd) */
    parse_ok("unsafe native - ok r\n"
             "unsafe detectors race:counter ok r\n"
             "safe_mutex native - ok r\n"
             "safe_mutex tsan,helgrind clean ok r\n",
             &e);
    assert_int_equal(rl_expect_validate(&e, variants, 2, err, sizeof err), -1);
    assert_prefix(err, "cases/c/expect");
    assert_contains(err, "no row for variant 'safe_mutex' under tool 'drd'");
    rl_expect_free(&e);

    /* explore needs a row for a variant on the cooperative loop (bit 1: safe_mutex), and
     * only for it */
    parse_ok("unsafe native - ok r\n"
             "unsafe detectors race:counter ok r\n"
             "safe_mutex native - ok r\n"
             "safe_mutex detectors clean ok r\n",
             &e);
    assert_int_equal(rl_expect_validate_loop(&e, variants, 2, 1u << 1, err, sizeof err), -1);
    assert_contains(err, "no row for variant 'safe_mutex' under tool 'explore'");
    rl_expect_free(&e);
    parse_ok("unsafe native - ok r\n"
             "unsafe detectors race:counter ok r\n"
             "safe_mutex native - ok r\n"
             "safe_mutex detectors clean ok r\n"
             "safe_mutex explore schedule:lost-update lost-update r\n",
             &e);
    assert_int_equal(rl_expect_validate_loop(&e, variants, 2, 1u << 1, err, sizeof err), 0);
    rl_expect_free(&e);

    /* a row for a variant with no source file */
    parse_ok("unsafe native - ok r\n"
             "unsafe detectors race:counter ok r\n"
             "safe_mutex native - ok r\n"
             "safe_mutex detectors clean ok r\n"
             "safe_atomic native - ok r\n",
             &e);
    assert_int_equal(rl_expect_validate(&e, variants, 2, err, sizeof err), -1);
    assert_prefix(err, "cases/c/expect:7: ");
    assert_contains(err, "no variant 'safe_atomic'");
    rl_expect_free(&e);
}

/* Counts, wildcards, exit statuses and build flags, as parsed. */
static void test_extensions(void **state)
{
    (void)state;
    struct rl_expect e;
    char err[512] = "";
    const char *text = "family: race\n"
                       "lesson: l\n"
                       "cflags: -DN=4   -O2\n"
                       "ldflags: -lm\n"
                       "unsafe  tsan  race:counter=2,race:*,thread-leak:*=3  ok  r\n"
                       "unsafe  native  -  exit:57|crash  r\n"
                       "safe  native  -  may:exit:3  r\n";
    if (rl_expect_parse(text, "cases/x/expect", &e, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(e.cflags, "-DN=4   -O2");
    assert_string_equal(e.ldflags, "-lm");
    const struct rl_expect_row *r = &e.rows[0];
    assert_int_equal(r->n_need, 3);
    assert_string_equal(r->need[0].name, "counter");
    assert_int_equal(r->need[0].count, 2);
    assert_string_equal(r->need[1].name, "*");
    assert_int_equal(r->need[1].count, 0);
    assert_int_equal(r->need[2].kind, RL_THREAD_LEAK);
    assert_int_equal(r->need[2].count, 3);
    char out[256];
    rl_expect_findings_text(r, out, sizeof out);
    assert_string_equal(out, "race:counter=2,race:*,thread-leak:*=3");
    r = &e.rows[1];
    assert_int_equal(r->outcomes, O(RL_OUT_CRASH));
    assert_int_equal(r->n_exit_codes, 1);
    assert_int_equal(r->exit_codes[0], 57);
    r = &e.rows[2];
    assert_int_equal(r->outcomes, O(RL_OUT_OK));
    assert_int_equal(r->n_exit_codes, 1);
    assert_int_equal(r->exit_codes[0], 3);
    rl_expect_free(&e);

    /* a header given twice is an error on its second line */
    const char *twice = "family: race\nlesson: l\ncflags: -O1\ncflags: -O2\nsafe native - ok r\n";
    assert_int_equal(rl_expect_parse(twice, "cases/c/expect", &e, err, sizeof err), -1);
    assert_prefix(err, "cases/c/expect:4: ");
    assert_contains(err, "header 'cflags:' is given twice");
    rl_expect_free(&e);
}

/* An editor's UTF-8 byte order mark before the first line is no header; UTF-16 is refused
 * by name. */
static void test_byte_order_mark(void **state)
{
    (void)state;
    struct rl_expect e;
    char err[512] = "";
    struct rl_buf b = {0};
    rl_buf_printf(&b, "\xEF\xBB\xBF%s", VALID);
    assert_int_equal(rl_expect_parse(rl_buf_str(&b), "cases/x/expect", &e, err, sizeof err), 0);
    assert_string_equal(e.family, "race");
    assert_int_equal(e.n_rows, sizeof valid_rows / sizeof *valid_rows);
    rl_expect_free(&e);
    rl_buf_free(&b);

    assert_int_equal(rl_expect_parse("\xFF\xFE#", "cases/x/expect", &e, err, sizeof err), -1);
    assert_contains(err, "cases/x/expect:1: the file is UTF-16: save it as UTF-8");
    rl_expect_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_file),
        cmocka_unit_test(test_tool_groups),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_real_case_file),
        cmocka_unit_test(test_malformed_rows),
        cmocka_unit_test(test_long_lesson),
        cmocka_unit_test(test_cert_header),
        cmocka_unit_test(test_param_header),
        cmocka_unit_test(test_missing_headers),
        cmocka_unit_test(test_missing_header_has_line),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_extensions),
        cmocka_unit_test(test_byte_order_mark),
    };
    return cmocka_run_group_tests_name("expect", tests, NULL, NULL);
}
