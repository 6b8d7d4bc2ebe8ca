/* Unit tests of vgxml.h: Helgrind's and DRD's --xml=yes output, saved from real runs of the
 * native binaries kept next to it in data/ (DRD names globals only by address, so the parser
 * gets the binary's symbol table). */
#include "unit.h"

#include "elfsym.h"
#include "vgxml.h"

static const char *const COUNTER_CASE = "/work/main/cases/shared_counter";

struct want_finding {
    enum rl_kind kind;
    const char *tool_kind, *symbols, *functions, *file;
    int line;
};

/* A saved XML, the binary Valgrind ran (NULL: parse without a symbol table), and the
 * findings it must yield, in order. */
struct vg_ok {
    const char *xml, *bin, *case_dir;
    size_t n;
    struct want_finding want[2];
};

static const struct vg_ok ok_runs[] = {
    /* Helgrind names the variable itself: 'inside data symbol "counter"' */
    {"helgrind-unsafe.xml",
     NULL,
     "/work/main/cases/shared_counter",
     2,
     {{RL_RACE, "Race", "counter", "worker", "unsafe.c", 18},
      {RL_RACE, "Race", "counter", "worker", "unsafe.c", 18}}},
    /* DRD gives "at 0x004040c0"; the ELF symbol table names it. Its other_segment stacks
     * (rl_gate_wait, madvise) are not the access and must not leak into functions. */
    {"drd-unsafe.xml",
     "unsafe-native.bin",
     "/work/main/cases/shared_counter",
     2,
     {{RL_RACE, "ConflictingAccess", "counter", "worker", "unsafe.c", 18},
      {RL_RACE, "ConflictingAccess", "counter", "worker", "unsafe.c", 18}}},
    /* without the binary DRD's race has no name; the function still identifies it */
    {"drd-unsafe.xml",
     NULL,
     "/work/main/cases/shared_counter",
     2,
     {{RL_RACE, "ConflictingAccess", "", "worker", "unsafe.c", 18},
      {RL_RACE, "ConflictingAccess", "", "worker", "unsafe.c", 18}}},
    /* both locks of the cycle, both threads' functions; the violating acquisition first */
    {"helgrind-lock_order.xml",
     "lock_order-native.bin",
     "/tmp/rlgen/lock_order",
     1,
     {{RL_LOCK_ORDER, "LockOrder", "lock_a,lock_b", "ba,ab", "unsafe.c", 24}}},
    /* a calloc'd block: DRD says "at offset 0 from 0x..." and gives an <allocation_context>;
     * it is heap memory, as Helgrind and TSan say, not the function that wrote it */
    {"drd-heap_race.xml",
     "heap_race-native.bin",
     "/tmp/rlgen/heap_race",
     1,
     {{RL_RACE, "ConflictingAccess", "heap", "fill", "unsafe.c", 8}}},
    /* main's local: "Address 0x1fff0004cc is on thread #1's stack" */
    {"helgrind-stack_race.xml",
     "stack_race-native.bin",
     "/tmp/rlgen/stack_race",
     2,
     {{RL_RACE, "Race", "stack", "bump", "unsafe.c", 6},
      {RL_RACE, "Race", "stack", "bump", "unsafe.c", 6}}},
    {"drd-bad_unlock.xml",
     "bad_unlock-native.bin",
     "/tmp/rlgen/bad_unlock",
     1,
     {{RL_BAD_UNLOCK, "MutexErr", "guard", "release", "unsafe.c", 9}}},
};

static void check_finding(const struct rl_finding *f, const struct want_finding *w)
{
    assert_int_equal(f->kind, w->kind);
    assert_string_equal(f->tool_kind, w->tool_kind);
    assert_string_equal(f->symbols, w->symbols);
    assert_string_equal(f->functions, w->functions);
    assert_string_equal(f->file, w->file);
    assert_int_equal(f->line, w->line);
}

static int parse_file(const char *xml, const char *bin, const char *case_dir, struct rl_findings *f,
                      struct rl_buf *excerpt)
{
    char path[1024];
    struct rl_buf text;
    read_data(xml, &text);
    struct rl_elfsym *syms = NULL;
    if (bin) {
        syms = rl_elfsym_open(data_path(bin, path, sizeof path));
        assert_non_null(syms);
    }
    int rc = rl_vgxml_parse(rl_buf_str(&text), text.len, syms, case_dir, NULL, f, excerpt);
    rl_elfsym_close(syms);
    rl_buf_free(&text);
    return rc;
}

static void test_parse_reports(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ok_runs / sizeof *ok_runs; i++) {
        const struct vg_ok *t = &ok_runs[i];
        print_message("%s with %s\n", t->xml, t->bin ? t->bin : "no symbols");
        struct rl_findings f;
        assert_int_equal(parse_file(t->xml, t->bin, t->case_dir, &f, NULL), 0);
        assert_int_equal(f.ran, 1);
        assert_int_equal(f.n, t->n);
        for (size_t j = 0; j < t->n; j++)
            check_finding(&f.v[j], &t->want[j]);
        rl_findings_free(&f);
    }
}

/* Helgrind reports the second unlock and, as a consequence, the failing destroy. The
 * unlocker (release, line 9) must be named; the stack of where the lock was first observed
 * may add main. */
static void test_helgrind_bad_unlock(void **state)
{
    (void)state;
    struct rl_findings f;
    assert_int_equal(parse_file("helgrind-bad_unlock.xml", "bad_unlock-native.bin",
                                "/tmp/rlgen/bad_unlock", &f, NULL),
                     0);
    assert_int_equal(f.ran, 1);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.v[0].kind, RL_BAD_UNLOCK);
    assert_string_equal(f.v[0].tool_kind, "UnlockUnlocked");
    assert_string_equal(f.v[0].symbols, "guard");
    assert_true(rl_list_has(f.v[0].functions, "release"));
    assert_string_equal(f.v[0].file, "unsafe.c");
    assert_int_equal(f.v[0].line, 9);
    assert_int_equal(f.v[1].kind, RL_API_MISUSE);
    assert_string_equal(f.v[1].tool_kind, "PthAPIerror");
    assert_string_equal(f.v[1].functions, "main");
    assert_int_equal(f.v[1].line, 18);
    rl_findings_free(&f);
}

/* One event, one kind under every tool: relocking a non-recursive mutex, destroying a locked
 * one and a thread exiting with a lock held are api-misuse under Helgrind (Misc, PthAPIerror)
 * and must be under DRD too, although DRD files all three as MutexErr. Only an unlock of a
 * lock the caller does not hold is bad-unlock (RwlockErr "not locked by calling thread"). */
static void test_lock_misuse_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *xml, *bin;
        size_t n;
        enum rl_kind kind[5];
        const char *symbols[5];
    } runs[] = {
        {"drd-mutex_misuse.xml",
         "mutex_misuse-native.bin",
         3,
         {RL_API_MISUSE, RL_API_MISUSE, RL_API_MISUSE},
         {"twice", "doomed", "kept"}},
        {"helgrind-mutex_misuse.xml",
         "mutex_misuse-native.bin",
         5,
         {RL_API_MISUSE, RL_API_MISUSE, RL_API_MISUSE, RL_API_MISUSE, RL_API_MISUSE},
         {NULL, NULL, NULL, NULL, NULL}},
        {"drd-rwlock_misuse.xml",
         "rwlock_misuse-native.bin",
         2,
         {RL_API_MISUSE, RL_BAD_UNLOCK},
         {"table", "index_lock"}},
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        print_message("%s\n", runs[i].xml);
        struct rl_findings f;
        assert_int_equal(parse_file(runs[i].xml, runs[i].bin, "/tmp/rlgen", &f, NULL), 0);
        assert_int_equal(f.n, runs[i].n);
        for (size_t j = 0; j < f.n; j++) {
            print_message("  %s: %s\n", f.v[j].tool_kind, f.v[j].symbols);
            assert_int_equal(f.v[j].kind, runs[i].kind[j]);
            if (runs[i].symbols[j])
                assert_string_equal(f.v[j].symbols, runs[i].symbols[j]);
        }
        rl_findings_free(&f);
    }
}

/* A run that ran to FINISHED and reported nothing is clean. */
static void test_clean_runs(void **state)
{
    (void)state;
    /* drd-stack_race.xml is the same racy program as helgrind-stack_race.xml: DRD's default
     * --check-stack-var=no leaves main's local unchecked, and the run is truly clean */
    const char *files[] = {"helgrind-safe_mutex.xml", "drd-safe_mutex.xml", "drd-stack_race.xml"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        struct rl_findings f;
        assert_int_equal(parse_file(files[i], NULL, COUNTER_CASE, &f, NULL), 0);
        assert_int_equal(f.ran, 1);
        assert_int_equal(f.n, 0);
        assert_string_equal(f.error, "");
        rl_findings_free(&f);
    }
}

/* Unusable XML: an error with a reason, never "clean", and no findings left behind. */
struct vg_bad {
    const char *xml;
    const char *error_part;
};

static const struct vg_bad bad_runs[] = {
    {"helgrind-unsafe.truncated.xml", "incomplete or malformed"},
    {"garbage.xml", "malformed"},
    {"tsan-gcc-unsafe.stderr", "malformed"},
    /* well-formed, but Valgrind never said it finished */
    {"helgrind-safe_mutex.no-finished.xml", "never reached status FINISHED"},
};

static void test_unusable_xml(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_runs / sizeof *bad_runs; i++) {
        print_message("%s\n", bad_runs[i].xml);
        struct rl_findings f;
        assert_int_equal(parse_file(bad_runs[i].xml, NULL, COUNTER_CASE, &f, NULL), -1);
        assert_int_equal(f.ran, 0);
        assert_int_equal(f.n, 0);
        assert_contains(f.error, bad_runs[i].error_part);
        rl_findings_free(&f);
    }
}

/* An empty file means Valgrind never wrote its XML. */
static void test_empty_input(void **state)
{
    (void)state;
    struct rl_findings f;
    assert_int_equal(rl_vgxml_parse("", 0, NULL, COUNTER_CASE, NULL, &f, NULL), -1);
    assert_int_equal(f.ran, 0);
    assert_contains(f.error, "no XML");
    rl_findings_free(&f);
}

/* Status FINISHED already seen is not enough when the document itself is cut short. */
static void test_cut_after_finished(void **state)
{
    (void)state;
    struct rl_buf text;
    read_data("helgrind-unsafe.xml", &text);
    const char *end = strstr(rl_buf_str(&text), "</valgrindoutput>");
    assert_non_null(end);
    assert_non_null(strstr(rl_buf_str(&text), "FINISHED"));
    struct rl_findings f;
    int rc = rl_vgxml_parse(rl_buf_str(&text), (size_t)(end - text.data), NULL, COUNTER_CASE, NULL,
                            &f, NULL);
    assert_int_equal(rc, -1);
    assert_int_equal(f.ran, 0);
    assert_int_equal(f.n, 0); /* the two complete errors before the cut are not kept */
    assert_contains(f.error, "incomplete or malformed");
    rl_findings_free(&f);
    rl_buf_free(&text);
}

/* The excerpt shows each error's kind and text, its stack by basename, and the aux lines. */
static void test_excerpt(void **state)
{
    (void)state;
    struct rl_findings f;
    struct rl_buf x = {0};
    assert_int_equal(parse_file("helgrind-unsafe.xml", NULL, COUNTER_CASE, &f, &x), 0);
    const char *s = rl_buf_str(&x);
    assert_prefix(s, "Race: Possible data race during read of size 8 at 0x4040C0 by thread #2\n"
                     "   at worker (unsafe.c:18)\n"
                     "   by start_thread (pthread_create.c:442)\n");
    assert_contains(s, "\nRace: Possible data race during write of size 8 at 0x4040C0");
    assert_contains(s, "Address 0x4040c0 is 0 bytes inside data symbol \"counter\"");
    assert_null(strstr(s, "/work/main/cases")); /* basenames only */
    assert_null(strstr(s, "   by  ("));         /* Helgrind's unnamed preload frames are skipped */
    rl_findings_free(&f);
    rl_buf_free(&x);

    /* a frame with no source (DRD's unlock wrapper) is shown by name alone */
    assert_int_equal(
        parse_file("drd-bad_unlock.xml", "bad_unlock-native.bin", "/tmp/rlgen/bad_unlock", &f, &x),
        0);
    assert_prefix(rl_buf_str(&x), "MutexErr: Mutex not locked by calling thread: mutex 0x404060");
    assert_contains(rl_buf_str(&x), "\n   at pthread_mutex_unlock@*\n"
                                    "   by release (unsafe.c:9)\n"
                                    "   by main (unsafe.c:17)\n");
    rl_findings_free(&f);
    rl_buf_free(&x);
}

/* DRD's heap block keeps its allocation stack in the excerpt, after the access. */
static void test_excerpt_drd_allocation(void **state)
{
    (void)state;
    struct rl_findings f;
    struct rl_buf x = {0};
    assert_int_equal(
        parse_file("drd-heap_race.xml", "heap_race-native.bin", "/tmp/rlgen/heap_race", &f, &x), 0);
    const char *s = rl_buf_str(&x);
    assert_prefix(s, "ConflictingAccess: Conflicting store by thread 3 at 0x04a6c030 size 4\n"
                     "   at fill (unsafe.c:8)\n");
    assert_contains(s, " Address 0x4a6c030 is at offset 0 from 0x4a6c030.\n"
                       " allocated\n"
                       "   at calloc\n"
                       "   by main (unsafe.c:14)\n");
    rl_findings_free(&f);
    rl_buf_free(&x);
}

/* Helgrind splits a PthAPIerror's message over <xwhat> and <what>; the excerpt must keep the
 * words apart ("failed with error code 16"), not glue them ("failedwith"). */
static void test_excerpt_joins_what_parts(void **state)
{
    (void)state;
    struct rl_findings f;
    struct rl_buf x = {0};
    assert_int_equal(parse_file("helgrind-bad_unlock.xml", "bad_unlock-native.bin",
                                "/tmp/rlgen/bad_unlock", &f, &x),
                     0);
    assert_contains(rl_buf_str(&x), "pthread_mutex_destroy failed");
    assert_null(strstr(rl_buf_str(&x), "failedwith"));
    rl_findings_free(&f);
    rl_buf_free(&x);
}

/* Valgrind's <kind> words (Helgrind and DRD) to racelab kinds; DRD's MutexErr and RwlockErr
 * by their text (the messages in Valgrind 3.19's drd tool). */
/* A document Valgrind stopped writing at an exec: accepted cut between elements, with its
 * complete errors; never cut inside one, and never by the full parser. */
static void test_cut_at_exec(void **state)
{
    (void)state;
    static const char head[] = "<?xml version=\"1.0\"?>\n<valgrindoutput>\n"
                               "<protocolversion>4</protocolversion>\n<pid>7</pid>\n"
                               "<args>\n  <argv>\n    <exe>./sys</exe>\n  </argv>\n</args>\n";
    struct rl_findings f;
    assert_int_equal(rl_vgxml_parse(head, strlen(head), NULL, "", NULL, &f, NULL), -1);
    assert_int_equal(rl_vgxml_parse_cut(head, strlen(head), NULL, "", NULL, &f, NULL), 0);
    assert_int_equal(f.ran, 1);
    assert_int_equal(f.n, 0);
    rl_findings_free(&f);

    struct rl_buf b = {0};
    rl_buf_printf(&b, "%s<error>\n  <kind>Race</kind>\n  <what>a race</what>\n</error>\n", head);
    assert_int_equal(rl_vgxml_parse_cut(rl_buf_str(&b), b.len, NULL, "", NULL, &f, NULL), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.v[0].kind, RL_RACE);
    rl_findings_free(&f);
    b.len = 0;
    rl_buf_printf(&b, "%s<error>\n  <kind>Race</kind>\n", head);
    assert_int_equal(rl_vgxml_parse_cut(rl_buf_str(&b), b.len, NULL, "", NULL, &f, NULL), -1);
    assert_int_equal(f.ran, 0);
    b.len = 0;
    rl_buf_printf(&b, "%s<error><kind>Race</kind></eror>", head);
    assert_int_equal(rl_vgxml_parse_cut(rl_buf_str(&b), b.len, NULL, "", NULL, &f, NULL), -1);
    rl_buf_free(&b);
}

/* A run's documents carry its token in <usercomment> (--xml-user-comment): a saved real
 * document with that comment put in reads as without it; the document as Valgrind wrote it
 * without one, or with another run's token, is an error, and its race is no finding (issue 10,
 * item 9). Cut documents are held to the same rule. */
static void test_token(void **state)
{
    (void)state;
    static const char token[] = "0123456789abcdef0123456789abcdef";
    struct rl_buf text, sealed = {0};
    read_data("helgrind-unsafe.xml", &text);
    const char *tool = strstr(rl_buf_str(&text), "<tool>helgrind</tool>\n");
    assert_non_null(tool);
    size_t at = (size_t)(tool - text.data) + strlen("<tool>helgrind</tool>\n");
    rl_buf_append(&sealed, text.data, at);
    rl_buf_printf(&sealed, "<usercomment>racelab-run %s</usercomment>\n", token);
    rl_buf_puts(&sealed, text.data + at);

    struct rl_findings f;
    assert_int_equal(
        rl_vgxml_parse(rl_buf_str(&sealed), sealed.len, NULL, COUNTER_CASE, token, &f, NULL), 0);
    assert_true(f.n > 0);
    rl_findings_free(&f);
    assert_int_equal(
        rl_vgxml_parse(rl_buf_str(&text), text.len, NULL, COUNTER_CASE, token, &f, NULL), -1);
    assert_contains(f.error, "not written by this run's detector");
    assert_int_equal(f.n, 0);
    assert_int_equal(f.ran, 0);
    assert_int_equal(rl_vgxml_parse(rl_buf_str(&sealed), sealed.len, NULL, COUNTER_CASE,
                                    "0123456789abcdef0123456789abcdee", &f, NULL),
                     -1);
    assert_contains(f.error, "not written by this run's detector");
    assert_int_equal(
        rl_vgxml_parse_cut(rl_buf_str(&text), text.len, NULL, COUNTER_CASE, token, &f, NULL), -1);
    assert_contains(f.error, "not written by this run's detector");
    rl_buf_free(&text);
    rl_buf_free(&sealed);
}

/* Valgrind's text output saying it gave up makes the run an error, whatever the XML says. */
static void test_fatal_stderr(void **state)
{
    (void)state;
    char line[200];
    assert_int_equal(
        rl_vg_fatal("==12== \n==12==     Valgrind's memory management: out of memory:\n"
                    "==12==        newSuperblock's request for 4194304 bytes failed.\n",
                    line, sizeof line),
        1);
    assert_non_null(strstr(line, "out of memory"));
    assert_int_equal(
        rl_vg_fatal("\nvalgrind: the 'impossible' happened:\n   Killed by fatal signal\n", line,
                    sizeof line),
        1);
    assert_int_equal(
        rl_vg_fatal("racelab-result: ok\nthe 'impossible' happened\n", line, sizeof line), 0);
    /* a tool's failed internal check (Helgrind 3.19 with libc6-dbg's files hidden) */
    assert_int_equal(rl_vg_fatal("\nHelgrind: hg_main.c:5379 (hg_handle_client_request): "
                                 "Assertion 'found' failed.\n\nhost stacktrace:\n",
                                 line, sizeof line),
                     1);
    assert_string_equal(line,
                        "Helgrind: hg_main.c:5379 (hg_handle_client_request): Assertion 'found' "
                        "failed.");
    assert_int_equal(rl_vg_fatal("drd: drd_thread.c:12 (f): Assertion 'x' failed.", line,
                                 sizeof line),
                     1);
    /* the program's own assert() and a line that only mentions one are not the tool's */
    assert_int_equal(rl_vg_fatal("unsafe: unsafe.c:12: main: Assertion `x' failed.\n"
                                 "Helgrind: see the Assertion 'x' failed. text\n"
                                 "Helgrind: x.c:1 (f): Assertion 'y' failed. and more\n",
                                 line, sizeof line),
                     0);
    assert_int_equal(rl_vg_fatal(NULL, line, sizeof line), 0);
}

static void test_kind_table(void **state)
{
    (void)state;
    static const struct {
        const char *xml_kind, *what;
        enum rl_kind kind;
    } table[] = {
        {"Race", NULL, RL_RACE},
        {"ConflictingAccess", NULL, RL_RACE},
        {"LockOrder", NULL, RL_LOCK_ORDER},
        {"UnlockUnlocked", NULL, RL_BAD_UNLOCK},
        {"UnlockForeign", NULL, RL_BAD_UNLOCK},
        {"UnlockBogus", NULL, RL_BAD_UNLOCK},
        {"MutexErr", "Mutex not locked: mutex 0x404060, recursion count 0, owner 0.",
         RL_BAD_UNLOCK},
        {"MutexErr", "Mutex not locked by calling thread: mutex 0x404060", RL_BAD_UNLOCK},
        {"MutexErr", "Destroying locked mutex: mutex 0x404100", RL_API_MISUSE},
        {"MutexErr", "Mutex still locked at thread exit: mutex 0x4040c0", RL_API_MISUSE},
        {"MutexErr", "Recursive locking not allowed: mutex 0x404080", RL_API_MISUSE},
        {"MutexErr", "Mutex reinitialization: mutex 0x404080", RL_API_MISUSE},
        {"MutexErr", "Mutex type mismatch: mutex 0x404080", RL_API_MISUSE},
        {"MutexErr", NULL, RL_API_MISUSE},
        {"RwlockErr", "Reader-writer lock not locked by calling thread: rwlock 0x404060.",
         RL_BAD_UNLOCK},
        {"RwlockErr", "Reader-writer lock still locked at thread exit: rwlock 0x4040a0.",
         RL_API_MISUSE},
        {"RwlockErr", "Recursive writer locking not allowed: rwlock 0x4040a0.", RL_API_MISUSE},
        {"RwlockErr", "Already locked for writing by calling thread: rwlock 0x4040a0.",
         RL_API_MISUSE},
        {"RwlockErr", "Reader-writer lock reinitialization: rwlock 0x4040a0.", RL_API_MISUSE},
        {"PthAPIerror", NULL, RL_API_MISUSE},
        {"Misc", NULL, RL_API_MISUSE},
        {"CondErr", NULL, RL_API_MISUSE},
        {"CondRaceErr", NULL, RL_API_MISUSE},
        {"CondDestrErr", NULL, RL_API_MISUSE},
        {"SemaphoreErr", NULL, RL_API_MISUSE},
        {"BarrierErr", NULL, RL_API_MISUSE},
        {"HoldtimeErr", NULL, RL_API_MISUSE},
        {"GenericErr", NULL, RL_API_MISUSE},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        print_message("%s %s\n", table[i].xml_kind, table[i].what ? table[i].what : "");
        assert_int_equal(rl_vg_kind(table[i].xml_kind, table[i].what), table[i].kind);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_reports),
        cmocka_unit_test(test_helgrind_bad_unlock),
        cmocka_unit_test(test_lock_misuse_kinds),
        cmocka_unit_test(test_clean_runs),
        cmocka_unit_test(test_unusable_xml),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_cut_after_finished),
        cmocka_unit_test(test_excerpt),
        cmocka_unit_test(test_excerpt_joins_what_parts),
        cmocka_unit_test(test_excerpt_drd_allocation),
        cmocka_unit_test(test_kind_table),
        cmocka_unit_test(test_fatal_stderr),
        cmocka_unit_test(test_cut_at_exec),
        cmocka_unit_test(test_token),
    };
    return cmocka_run_group_tests_name("vgxml", tests, NULL, NULL);
}
