/* Unit tests of the cell's saved summary (runner.h rl_cell_save / rl_cell_load): the matrix
 * collects its cells from these files and `racelab report` re-renders from them, so every
 * field, the findings included, must come back as written; and older files must still load. */
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

#include "report.h"
#include "runner.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/racelab-test-verdict.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const files[] = {"verdict", "excerpt.txt", "notes.txt"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

static void write_verdict(const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/verdict", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct rl_cell c;
    memset(&c, 0, sizeof c);
    rl_strlcpy(c.run_path, dir, sizeof c.run_path);
    c.status = RL_CELL_MISMATCH;
    c.wall_s = 1.5;
    c.cpu_s = 0.25;
    rl_strlcpy(c.verdict.findings, "race:counter,lock-order:a", sizeof c.verdict.findings);
    rl_strlcpy(c.verdict.outcome, "lost-update", sizeof c.verdict.outcome);
    rl_strlcpy(c.verdict.message, "MISMATCH: a \\ backslash", sizeof c.verdict.message);
    /* a multi-line error (a compiler's output) must not spill into lines of its own */
    rl_strlcpy(c.error, "cc failed:\nfinding race\tx\tx\tx\tx\t1\nend", sizeof c.error);
    rl_buf_puts(&c.excerpt, "WARNING: ThreadSanitizer: data race\n");
    struct rl_finding f = {RL_RACE, "data-race", "counter", "worker,main", "unsafe.c", 23,
                           "unsafe.c", 31, 0};
    rl_findings_add(&c.findings, &f);
    struct rl_finding g = {RL_LOCK_ORDER, "LockOrder", "a,b", "", "/abs path/x.c", 0, "", 0, 0};
    rl_findings_add(&c.findings, &g);
    struct rl_finding h = {RL_API_MISUSE, "tab\there", "", "f", "", -1, "", 0, 0};
    rl_findings_add(&c.findings, &h);
    assert_int_equal(rl_cell_save(&c), 0);

    struct rl_cell d;
    assert_int_equal(rl_cell_load(dir, &d), 0);
    assert_int_equal(d.status, RL_CELL_MISMATCH);
    assert_false(d.verdict.match);
    assert_true(d.wall_s == 1.5 && d.cpu_s == 0.25);
    assert_string_equal(d.verdict.findings, c.verdict.findings);
    assert_string_equal(d.verdict.outcome, c.verdict.outcome);
    assert_string_equal(d.verdict.message, c.verdict.message);
    assert_string_equal(d.error, c.error);
    assert_string_equal(rl_buf_str(&d.excerpt), rl_buf_str(&c.excerpt));
    assert_int_equal(d.findings.n, 3);
    assert_int_equal(d.findings.v[0].kind, RL_RACE);
    assert_string_equal(d.findings.v[0].tool_kind, "data-race");
    assert_string_equal(d.findings.v[0].symbols, "counter");
    assert_string_equal(d.findings.v[0].functions, "worker,main");
    assert_string_equal(d.findings.v[0].file, "unsafe.c");
    assert_int_equal(d.findings.v[0].line, 23);
    assert_string_equal(d.findings.v[0].file2, "unsafe.c"); /* the race's other access */
    assert_int_equal(d.findings.v[0].line2, 31);
    assert_int_equal(d.findings.v[1].kind, RL_LOCK_ORDER);
    assert_string_equal(d.findings.v[1].symbols, "a,b");
    assert_string_equal(d.findings.v[1].functions, "");
    assert_string_equal(d.findings.v[1].file, "/abs path/x.c");
    assert_int_equal(d.findings.v[1].line, 0);
    assert_string_equal(d.findings.v[2].tool_kind, "tab here"); /* a tab cannot split it */
    assert_true(d.findings.ran);
    rl_cell_free(&c);
    rl_cell_free(&d);
}

/* A verdict file from before findings were saved, with a key from a later version and a
 * finding line this version cannot read: it loads, with what it understands. */
static void test_tolerant_load(void **state)
{
    (void)state;
    write_verdict("status 0\nwall 0.080\nfindings race:counter\noutcome ok\n"
                  "message flagged as designed\nskip \nerror \nfuture-key some value\n"
                  "finding datarace\tx\tcounter\tworker\tunsafe.c\t1\n"
                  "finding race\ttoo few fields\n"
                  "finding race\tRace\tcounter\tworker\tunsafe.c\t17\n");
    struct rl_cell d;
    assert_int_equal(rl_cell_load(dir, &d), 0);
    assert_int_equal(d.status, RL_CELL_MATCH);
    assert_true(d.verdict.match);
    assert_string_equal(d.verdict.message, "flagged as designed");
    assert_int_equal(d.findings.n, 1);
    assert_int_equal(d.findings.v[0].line, 17);
    rl_cell_free(&d);

    write_verdict("status 1\nwall 2\nfindings clean\noutcome ok\nmessage old\nskip \nerror \n");
    assert_int_equal(rl_cell_load(dir, &d), 0);
    assert_int_equal(d.findings.n, 0);
    assert_true(d.findings.ran); /* "clean" is a verdict: the detector ran */
    rl_cell_free(&d);

    write_verdict("wall 2\n"); /* no status: not a verdict */
    assert_int_equal(rl_cell_load(dir, &d), -1);
    rl_cell_free(&d);
}

/* A cell nobody filled in, or a status line that says nothing, is never a match. */
static void test_unset_status(void **state)
{
    (void)state;
    struct rl_report_cell blank;
    memset(&blank, 0, sizeof blank); /* what calloc gives a cell that never ran */
    assert_int_not_equal(blank.cell.status, RL_CELL_MATCH);
    struct rl_report_totals t;
    rl_report_count(&blank, 1, &t);
    assert_int_equal(t.match, 0);
    assert_int_equal(t.errors, 1);

    static const char *const garbage[] = {"status banana\n", "status \n",  "status 0x\n",
                                          "status -1\n",     "status 7\n", "status 1 2\n"};
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        write_verdict(garbage[i]);
        struct rl_cell d;
        assert_int_equal(rl_cell_load(dir, &d), -1);
        assert_int_not_equal(d.status, RL_CELL_MATCH);
        assert_false(d.verdict.match);
        assert_non_null(strstr(d.error, "status"));
        rl_cell_free(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tolerant_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unset_status, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
