/* Unit tests of tsan.h: the structured findings file written by fixtures/src/tsan_report.c and
 * the text excerpt, on outputs saved from real runs (see data/README.md). */
#include "unit.h"

#include <stdlib.h>

#include "expect.h"
#include "judge.h"
#include "tsan.h"

static const char *const COUNTER_CASE = "/work/main/cases/shared_counter";

/* A saved run and the one finding it must yield. */
struct tsan_ok {
    const char *findings, *stderr_file, *case_dir;
    enum rl_kind kind;
    const char *tool_kind, *symbols, *functions, *file;
    int line;
};

static const struct tsan_ok ok_runs[] = {
    /* clang -O1 attributes worker's racy access to no line (the text report has none either) */
    {"tsan-clang-unsafe.findings", "tsan-clang-unsafe.stderr", "/work/main/cases/shared_counter",
     RL_RACE, "data-race", "counter", "worker", "unsafe.c", 0},
    {"tsan-gcc-unsafe.findings", "tsan-gcc-unsafe.stderr", "/work/main/cases/shared_counter",
     RL_RACE, "data-race", "counter", "worker", "unsafe.c", 18},
    {"tsan-clang-lock_order.findings", "tsan-clang-lock_order.stderr", "/tmp/rlgen/lock_order",
     RL_LOCK_ORDER, "lock-order-inversion", "lock_a,lock_b", "ab,ba", "unsafe.c", 13},
    {"tsan-gcc-lock_order.findings", "tsan-gcc-lock_order.stderr", "/tmp/rlgen/lock_order",
     RL_LOCK_ORDER, "lock-order-inversion", "lock_a,lock_b", "ab,ba", "unsafe.c", 13},
    {"tsan-clang-thread_leak.findings", "tsan-clang-thread_leak.stderr", "/tmp/rlgen/thread_leak",
     RL_THREAD_LEAK, "thread-leak", "", "main", "unsafe.c", 15},
    {"tsan-gcc-thread_leak.findings", "tsan-gcc-thread_leak.stderr", "/tmp/rlgen/thread_leak",
     RL_THREAD_LEAK, "thread-leak", "", "main", "unsafe.c", 15},
    {"tsan-clang-bad_unlock.findings", "tsan-clang-bad_unlock.stderr", "/tmp/rlgen/bad_unlock",
     RL_BAD_UNLOCK, "mutex-bad-unlock", "guard", "release", "unsafe.c", 9},
    /* main's local, passed by address: the symbolizer has no global there ("??" under clang,
     * "<null>" under gcc, and a bogus second location "global"); the memory is the stack */
    {"tsan-clang-stack_race.findings", "tsan-clang-stack_race.stderr", "/tmp/rlgen/stack_race",
     RL_RACE, "data-race", "stack", "bump", "unsafe.c", 6},
    {"tsan-gcc-stack_race.findings", "tsan-gcc-stack_race.stderr", "/tmp/rlgen/stack_race", RL_RACE,
     "data-race", "stack", "bump", "unsafe.c", 6},
    /* clang -O1 splits the static struct stats into one global per field: the racing field
     * is 'stats.1'; the finding is named stats, as the source names it */
    {"tsan-clang-struct_global.findings", "tsan-clang-struct_global.stderr",
     "/tmp/rlgen/struct_global", RL_RACE, "data-race", "stats", "count", "unsafe.c", 12},
    /* a lock one racing thread held is named (M) but is not the racing memory */
    {"tsan-clang-race_held_lock.findings", "tsan-clang-race_held_lock.stderr",
     "/tmp/rlgen/race_held_lock", RL_RACE, "data-race", "shared", "bare_writer,locked_writer",
     "unsafe.c", 13},
};

/* Every saved report parses to its kind, names and location; thread-creation stacks only
 * count for a thread leak (so a race names worker, not main). */
static void test_parse_reports(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ok_runs / sizeof *ok_runs; i++) {
        const struct tsan_ok *t = &ok_runs[i];
        print_message("%s\n", t->findings);
        struct rl_buf text, err;
        read_data(t->findings, &text);
        read_data(t->stderr_file, &err);
        struct rl_findings f;
        assert_int_equal(rl_tsan_parse(rl_buf_str(&text), rl_buf_str(&err), t->case_dir, NULL, &f),
                         0);
        assert_int_equal(f.ran, 1);
        assert_string_equal(f.error, "");
        assert_int_equal(f.n, 1);
        assert_int_equal(f.v[0].kind, t->kind);
        assert_string_equal(f.v[0].tool_kind, t->tool_kind);
        assert_string_equal(f.v[0].symbols, t->symbols);
        assert_string_equal(f.v[0].functions, t->functions);
        assert_string_equal(f.v[0].file, t->file);
        assert_int_equal(f.v[0].line, t->line);
        rl_findings_free(&f);
        rl_buf_free(&text);
        rl_buf_free(&err);
    }
}

/* A file outside the case folder keeps its full path; frames still prefer the project. */
static void test_file_outside_case_dir(void **state)
{
    (void)state;
    struct rl_buf text;
    read_data("tsan-gcc-unsafe.findings", &text);
    const char *dirs[] = {"/somewhere/else", NULL, "/work/main/cases/shared"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        struct rl_findings f;
        assert_int_equal(rl_tsan_parse(rl_buf_str(&text), NULL, dirs[i], NULL, &f), 0);
        assert_int_equal(f.n, 1);
        assert_string_equal(f.v[0].file, "/work/main/cases/shared_counter/unsafe.c");
        assert_string_equal(f.v[0].functions, "worker");
        rl_findings_free(&f);
    }
    rl_buf_free(&text);
}

/* A case folder given with a trailing slash still yields a path relative to it. */
static void test_case_dir_trailing_slash(void **state)
{
    (void)state;
    struct rl_buf text;
    read_data("tsan-gcc-unsafe.findings", &text);
    struct rl_findings f;
    assert_int_equal(
        rl_tsan_parse(rl_buf_str(&text), NULL, "/work/main/cases/shared_counter/", NULL, &f), 0);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.v[0].file, "unsafe.c");
    /* the race's other access (the write), from the second stack: a thread's creation stack
     * is not an access */
    assert_string_equal(f.v[0].file2, "unsafe.c");
    assert_int_equal(f.v[0].line2, 18);
    rl_findings_free(&f);
    rl_buf_free(&text);
}

/* A clean run is the end marker alone: the runtime ran to its finalize, and found nothing. */
static void test_clean_run(void **state)
{
    (void)state;
    const char *files[][2] = {{"tsan-clang-safe_mutex.findings", "tsan-clang-safe_mutex.stderr"},
                              {"tsan-gcc-safe_mutex.findings", "tsan-gcc-safe_mutex.stderr"}};
    for (size_t i = 0; i < 2; i++) {
        struct rl_buf text, err;
        read_data(files[i][0], &text);
        read_data(files[i][1], &err);
        struct rl_findings f;
        assert_int_equal(rl_tsan_parse(rl_buf_str(&text), rl_buf_str(&err), COUNTER_CASE, NULL, &f),
                         0);
        assert_int_equal(f.ran, 1);
        assert_int_equal(f.n, 0);
        rl_findings_free(&f);
        rl_buf_free(&text);
        rl_buf_free(&err);
    }
}

/* A complete channel beside a runtime that said it was dying: an error, never clean. */
static void test_fatal_stderr(void **state)
{
    (void)state;
    static const char *const fatal[] = {
        ("==4242==ERROR: ThreadSanitizer: requested allocation size 0x200000000000 exceeds "
         "maximum supported size of 0x10000000000\n"),
        "noise\nFATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000\n",
        "==7==ThreadSanitizer: CHECK failed: tsan_rtl.cpp:100 \"((0)) != (0)\" (0x0, 0x0)\n",
        "==9==ERROR: AddressSanitizer: out of memory: allocator is trying to allocate 0x1 bytes\n",
    };
    struct rl_buf text;
    read_data("tsan-gcc-safe_mutex.findings", &text);
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++) {
        struct rl_findings f;
        assert_int_equal(rl_tsan_parse(rl_buf_str(&text), fatal[i], COUNTER_CASE, NULL, &f), -1);
        assert_int_equal(f.ran, 0);
        assert_non_null(strstr(f.error, "the sanitizer runtime died: "));
        rl_findings_free(&f);
    }
    /* the program's own words about a sanitizer are not the runtime's */
    struct rl_findings f;
    assert_int_equal(rl_tsan_parse(rl_buf_str(&text), "my ERROR: ThreadSanitizer notes\n",
                                   COUNTER_CASE, NULL, &f),
                     0);
    rl_findings_free(&f);
    rl_buf_free(&text);
}

/* Files that prove nothing: each must be an error (ran=0, a reason), never "clean". */
struct tsan_bad {
    const char *findings, *stderr_file; /* stderr_file may be NULL */
    const char *error_part;
};

static const struct tsan_bad bad_runs[] = {
    /* the process never reached the runtime's finalize (killed): its reports prove nothing
     * about the rest of the run */
    {"tsan-clang-unsafe.no-end.findings", NULL, "no ThreadSanitizer end marker"},
    {"tsan-empty.findings", NULL, "no ThreadSanitizer end marker"},
    {"tsan-gcc-unsafe.cut-mid-report.findings", NULL, "ends inside a report"},
    {"tsan-gcc-unsafe.cut-mid-line.findings", NULL, "ends mid-line"},
    /* the runtime printed a report the hook never saw */
    {"tsan-clang-safe_mutex.findings", "tsan-clang-unsafe.stderr",
     "stderr shows 1 ThreadSanitizer reports but the structured channel has 0"},
    {"tsan-gcc-safe_mutex.findings", "tsan-gcc-unsafe.stderr",
     "stderr shows 1 ThreadSanitizer reports but the structured channel has 0"},
    /* clang's runtime without llvm-symbolizer: a race "on <null>" in no function */
    {"tsan-clang-unsafe.unsymbolized.findings", "tsan-clang-unsafe.unsymbolized.stderr",
     "found no llvm-symbolizer. Install llvm"},
    /* the wrong file altogether */
    {"helgrind-unsafe.xml", NULL, "not in the report format"},
};

static void test_unusable_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_runs / sizeof *bad_runs; i++) {
        const struct tsan_bad *t = &bad_runs[i];
        print_message("%s\n", t->findings);
        struct rl_buf text, err = {0};
        read_data(t->findings, &text);
        if (t->stderr_file)
            read_data(t->stderr_file, &err);
        struct rl_findings f;
        int rc = rl_tsan_parse(rl_buf_str(&text), t->stderr_file ? rl_buf_str(&err) : NULL,
                               COUNTER_CASE, NULL, &f);
        assert_int_equal(rc, -1);
        assert_int_equal(f.ran, 0);
        assert_contains(f.error, t->error_part);
        rl_findings_free(&f);
        rl_buf_free(&text);
        rl_buf_free(&err);
    }
}

/* No findings file content at all (NULL) is an error too. */
static void test_null_text(void **state)
{
    (void)state;
    struct rl_findings f;
    assert_int_equal(rl_tsan_parse(NULL, NULL, COUNTER_CASE, NULL, &f), -1);
    assert_int_equal(f.ran, 0);
    assert_contains(f.error, "end marker");
    rl_findings_free(&f);
}

/* A forking program: every process that finalizes (the parent and each child, which ends with
 * _exit) writes its own end marker. */
static void test_forked_children(void **state)
{
    (void)state;
    struct rl_buf text;
    read_data("tsan-gcc-process_counter.findings", &text);
    struct rl_findings f;
    assert_int_equal(rl_tsan_parse(rl_buf_str(&text), NULL, COUNTER_CASE, NULL, &f), 0);
    assert_int_equal(f.ran, 1);
    assert_int_equal(f.n, 0);
    rl_findings_free(&f);
    rl_buf_free(&text);
}

/* A run's channel is sealed by its token: a saved real channel with every line prefixed by
 * the token reads as without it; a line appended without it, or a file sealed with another
 * run's token, is an error that says the detector did not write it (issue 10, item 9). */
static void test_token(void **state)
{
    (void)state;
    static const char token[] = "0123456789abcdef0123456789abcdef";
    struct rl_buf text, sealed = {0}, forged = {0};
    read_data("tsan-gcc-unsafe.findings", &text);
    for (const char *p = rl_buf_str(&text), *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
        rl_buf_printf(&sealed, "%s ", token);
        rl_buf_append(&sealed, p, (size_t)(nl - p + 1));
    }
    struct rl_findings f;
    assert_int_equal(rl_tsan_parse(rl_buf_str(&sealed), NULL, COUNTER_CASE, token, &f), 0);
    assert_int_equal(f.ran, 1);
    assert_true(f.n > 0);
    rl_findings_free(&f);

    /* the saved file as it is: no token on any line */
    assert_int_equal(rl_tsan_parse(rl_buf_str(&text), NULL, COUNTER_CASE, token, &f), -1);
    assert_contains(f.error, "line 1 was not written by this run's detector");
    rl_findings_free(&f);

    /* a report appended by the program after the hook's end marker */
    rl_buf_puts(&forged, rl_buf_str(&sealed));
    rl_buf_puts(&forged, "R data-race\nS counter\nE\n");
    assert_int_equal(rl_tsan_parse(rl_buf_str(&forged), NULL, COUNTER_CASE, token, &f), -1);
    assert_contains(f.error, "not written by this run's detector");
    assert_int_equal(f.ran, 0); /* an error: what was read before it is no verdict */
    rl_findings_free(&f);

    /* another run's token, one digit off */
    assert_int_equal(rl_tsan_parse(rl_buf_str(&sealed), NULL, COUNTER_CASE,
                                   "0123456789abcdef0123456789abcdee", &f),
                     -1);
    assert_contains(f.error, "not written by this run's detector");
    rl_findings_free(&f);
    rl_buf_free(&text);
    rl_buf_free(&sealed);
    rl_buf_free(&forged);
}

/* TSan's report descriptions (tsan_debugging.cpp ReportTypeDescription) to racelab kinds. */
static void test_kind_table(void **state)
{
    (void)state;
    static const struct {
        const char *desc;
        enum rl_kind kind;
    } table[] = {
        {"data-race", RL_RACE},
        {"data-race-vptr", RL_RACE},
        {"heap-use-after-free", RL_RACE},
        {"heap-use-after-free-vptr", RL_RACE},
        {"external-race", RL_RACE},
        {"lock-order-inversion", RL_LOCK_ORDER},
        {"thread-leak", RL_THREAD_LEAK},
        {"mutex-bad-unlock", RL_BAD_UNLOCK},
        {"mutex-bad-read-lock", RL_API_MISUSE},
        {"mutex-bad-read-unlock", RL_BAD_UNLOCK},
        {"mutex-double-lock", RL_API_MISUSE},
        {"locked-mutex-destroy", RL_API_MISUSE},
        {"mutex-held-wrong-context", RL_API_MISUSE},
        {"mutex-invalid-access", RL_API_MISUSE},
        {"signal-unsafe-call", RL_API_MISUSE},
        {"errno-in-signal-handler", RL_API_MISUSE},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        print_message("%s\n", table[i].desc);
        assert_int_equal(rl_tsan_kind(table[i].desc), table[i].kind);
    }
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The excerpt is the report from its WARNING line through SUMMARY, without the rulers. */
static void test_excerpt_whole_report(void **state)
{
    (void)state;
    struct rl_buf err, x = {0};
    read_data("tsan-clang-unsafe.stderr", &err);
    rl_tsan_excerpt(rl_buf_str(&err), 2, 24, &x);
    const char *s = rl_buf_str(&x);
    assert_prefix(s, "WARNING: ThreadSanitizer: data race (pid=");
    assert_contains(s, "\n  Location is global 'counter' of size 8");
    const char *summary =
        "SUMMARY: ThreadSanitizer: data race /work/main/cases/shared_counter/unsafe.c in worker\n";
    assert_non_null(strstr(s, summary));
    assert_string_equal(strstr(s, summary), summary); /* SUMMARY is the last line */
    assert_null(strstr(s, "=================="));
    assert_null(strstr(s, "reported 1 warnings"));
    assert_int_equal(count_lines(s), 18);
    rl_buf_free(&x);
    rl_buf_free(&err);
}

/* The excerpt keeps the split field's own name for people to read. */
static void test_excerpt_keeps_field(void **state)
{
    (void)state;
    struct rl_buf err, x = {0};
    read_data("tsan-clang-struct_global.stderr", &err);
    rl_tsan_excerpt(rl_buf_str(&err), 2, 24, &x);
    assert_contains(rl_buf_str(&x), "Location is global 'stats.1' of size 8");
    rl_buf_free(&x);
    rl_buf_free(&err);
}

/* max_lines cuts a report; max_reports limits how many reports are shown. */
static void test_excerpt_limits(void **state)
{
    (void)state;
    struct rl_buf a, b, both = {0}, x = {0};
    read_data("tsan-gcc-lock_order.stderr", &a);
    read_data("tsan-gcc-thread_leak.stderr", &b);
    rl_buf_puts(&both, rl_buf_str(&a));
    rl_buf_puts(&both, rl_buf_str(&b));

    rl_tsan_excerpt(rl_buf_str(&both), 2, 2, &x);
    assert_int_equal(count_lines(rl_buf_str(&x)), 4);
    assert_prefix(rl_buf_str(&x),
                  "WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=");
    assert_contains(rl_buf_str(&x), "\nWARNING: ThreadSanitizer: thread leak (pid=");
    rl_buf_free(&x);

    rl_tsan_excerpt(rl_buf_str(&both), 1, 24, &x);
    assert_contains(rl_buf_str(&x), "lock-order-inversion");
    assert_null(strstr(rl_buf_str(&x), "thread leak"));
    rl_buf_free(&x);

    rl_tsan_excerpt("", 2, 24, &x);
    assert_int_equal(x.len, 0);
    rl_buf_free(&x);

    rl_buf_free(&both);
    rl_buf_free(&a);
    rl_buf_free(&b);
}

/* A report naming more globals than a finding keeps (issue 10, item 3): the names were
 * dropped once the list was full, and a row wanting the first one matched while the others
 * went unjudged. Now the finding says it lost names, and the judge gives an error. */
static void test_many_symbols(void **state)
{
    (void)state;
    struct rl_buf text = {0};
    rl_buf_puts(&text, "R data-race\n");
    for (int i = 0; i < 30; i++)
        rl_buf_printf(&text, "S global_variable_number_%02d\n", i);
    rl_buf_puts(&text, "T access\nF worker\t/c/unsafe.c\t7\nE\nracelab-tsan end gcc\n");
    struct rl_findings f;
    assert_int_equal(rl_tsan_parse(rl_buf_str(&text), NULL, "/c", NULL, &f), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.v[0].names_cut, 1);

    char err[256];
    struct rl_expect e;
    assert_int_equal(rl_expect_parse("family: race\nlesson: l\n"
                                     "unsafe tsan race:global_variable_number_00 ok r\n",
                                     "expect", &e, err, sizeof err),
                     0);
    struct rl_observation obs;
    memset(&obs, 0, sizeof obs);
    obs.findings = f;
    struct rl_verdict v;
    rl_judge(&e.rows[0], "tsan-gcc", &obs, &v);
    assert_int_equal(v.match, 0);
    assert_string_equal(v.findings, "error");
    assert_non_null(strstr(v.message, "than the 255 bytes racelab keeps"));
    rl_expect_free(&e);
    rl_findings_free(&f);
    rl_buf_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_reports),
        cmocka_unit_test(test_file_outside_case_dir),
        cmocka_unit_test(test_case_dir_trailing_slash),
        cmocka_unit_test(test_clean_run),
        cmocka_unit_test(test_many_symbols),
        cmocka_unit_test(test_fatal_stderr),
        cmocka_unit_test(test_unusable_files),
        cmocka_unit_test(test_null_text),
        cmocka_unit_test(test_forked_children),
        cmocka_unit_test(test_token),
        cmocka_unit_test(test_kind_table),
        cmocka_unit_test(test_excerpt_whole_report),
        cmocka_unit_test(test_excerpt_limits),
        cmocka_unit_test(test_excerpt_keeps_field),
    };
    return cmocka_run_group_tests_name("tsan", tests, NULL, NULL);
}
