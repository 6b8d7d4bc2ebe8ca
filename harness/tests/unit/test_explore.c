/* Unit tests of the schedule search (run/explore.c), on a fake program: a binary tree of
 * choice points whose runs the test scripts, so that the order of the tree, the delay bound,
 * the budget, the first bad schedule and the errors are checked without spawning anything. */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "explore.h"
#include "racelab/protocol.h"

/* The fake: `depth` choice points of 2 ready tasks each; a schedule's missing entries take 0.
 * It breaks (lost-update) under `bad` when set, and logs every schedule asked for. */
struct fake {
    int depth;
    const char *bad;
    int no_line;      /* exits ok without its schedule line */
    int wrong_choice; /* takes index 0 where asked for 1 */
    char log[2048];
};

static int fake_run(void *ctx, const char *schedule, struct rl_explore_run *r)
{
    struct fake *f = ctx;
    size_t len = strlen(f->log);
    snprintf(f->log + len, sizeof f->log - len, "%s[%s]", len ? " " : "", schedule);
    char line[256] = RL_PROTO_SCHEDULE " choices=", *p = line + strlen(line);
    unsigned taken[16] = {0};
    int k = 0;
    for (const char *s = schedule; *s && k < 16; k++) {
        taken[k] = (unsigned)(*s - '0');
        s += s[1] == '.' ? 2 : 1;
    }
    if (f->wrong_choice)
        for (int i = 0; i < k; i++)
            taken[i] = 0;
    p += sprintf(p, "%d taken=", f->depth);
    for (int i = 0; i < f->depth; i++)
        p += sprintf(p, i ? ".%u" : "%u", taken[i]);
    p += sprintf(p, " ready=");
    for (int i = 0; i < f->depth; i++)
        p += sprintf(p, i ? ".2" : "2");
    sprintf(p, "\n");
    r->outcome = f->bad && strcmp(schedule, f->bad) == 0 ? RL_OUT_LOST_UPDATE : RL_OUT_OK;
    if (f->no_line)
        return rl_explore_parse_line("racelab-result: fine\n", r) == 1 ? 0 : -1;
    return rl_explore_parse_line(line, r) == 0 ? 0 : -1;
}

/* Depth-first, lexicographic: FIFO first, then the deepest choice point that can move. */
static void test_tree_order_and_exhaustion(void **state)
{
    (void)state;
    struct fake f = {.depth = 3};
    struct rl_explore_result res;
    rl_explore(3, 100, fake_run, &f, &res);
    assert_int_equal(res.end, RL_EXPLORE_EXHAUSTED);
    assert_int_equal(res.runs, 8);
    assert_string_equal(f.log, "[] [0.0.1] [0.1] [0.1.1] [1] [1.0.1] [1.1] [1.1.1]");
    rl_explore_result_free(&res);
}

/* The bound counts delays: a schedule whose indices sum past it is never run. */
static void test_delay_bound(void **state)
{
    (void)state;
    struct fake f = {.depth = 3};
    struct rl_explore_result res;
    rl_explore(1, 100, fake_run, &f, &res);
    assert_int_equal(res.end, RL_EXPLORE_EXHAUSTED);
    assert_string_equal(f.log, "[] [0.0.1] [0.1] [1]");
    rl_explore_result_free(&res);

    struct fake g = {.depth = 3};
    rl_explore(0, 100, fake_run, &g, &res); /* d = 0: FIFO alone */
    assert_int_equal(res.end, RL_EXPLORE_EXHAUSTED);
    assert_int_equal(res.runs, 1);
    assert_string_equal(g.log, "[]");
    rl_explore_result_free(&res);
}

/* The budget stops the search, and says so: budget, not exhausted. */
static void test_budget(void **state)
{
    (void)state;
    struct fake f = {.depth = 3};
    struct rl_explore_result res;
    rl_explore(3, 3, fake_run, &f, &res);
    assert_int_equal(res.end, RL_EXPLORE_BUDGET);
    assert_int_equal(res.runs, 3);
    assert_string_equal(f.log, "[] [0.0.1] [0.1]");
    rl_explore_result_free(&res);
}

/* The first bad schedule stops the search, the same one on every search. */
static void test_first_bad_schedule_deterministic(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        struct fake f = {.depth = 3, .bad = "1.0.1"};
        struct rl_explore_result res;
        rl_explore(2, 100, fake_run, &f, &res);
        assert_int_equal(res.end, RL_EXPLORE_FOUND);
        assert_int_equal(res.runs, 6);
        assert_string_equal(res.schedule, "1.0.1");
        assert_int_equal(res.delays, 2);
        assert_int_equal(res.bad.outcome, RL_OUT_LOST_UPDATE);
        rl_explore_result_free(&res);
    }
    /* past the bound it is never reached */
    struct fake f = {.depth = 3, .bad = "1.0.1"};
    struct rl_explore_result res;
    rl_explore(1, 100, fake_run, &f, &res);
    assert_int_equal(res.end, RL_EXPLORE_EXHAUSTED);
    rl_explore_result_free(&res);
}

/* A program that exits without its schedule line checked nothing: an error, never clean. */
static void test_no_schedule_line_is_error(void **state)
{
    (void)state;
    struct fake f = {.depth = 3, .no_line = 1};
    struct rl_explore_result res;
    rl_explore(2, 100, fake_run, &f, &res);
    assert_int_equal(res.end, RL_EXPLORE_ERROR);
    assert_int_equal(res.runs, 1);
    assert_non_null(strstr(res.error, "without its " RL_PROTO_SCHEDULE " line"));
    rl_explore_result_free(&res);
}

/* A run that does not follow the schedule it was given is an error: the tree would lie. */
static void test_nondeterminism_is_error(void **state)
{
    (void)state;
    struct fake f = {.depth = 3, .wrong_choice = 1};
    struct rl_explore_result res;
    rl_explore(2, 100, fake_run, &f, &res);
    assert_int_equal(res.end, RL_EXPLORE_ERROR);
    assert_int_equal(res.runs, 2);
    assert_non_null(strstr(res.error, "the same schedule must give the same run"));
    rl_explore_result_free(&res);
}

/* The schedule line's grammar: anything else is refused with the line quoted. */
static void test_parse_line(void **state)
{
    (void)state;
    struct rl_explore_run r = {0};
    assert_int_equal(
        rl_explore_parse_line("x\n" RL_PROTO_SCHEDULE " choices=2 taken=0.1 ready=2.3\n", &r), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.taken[1], 1);
    assert_int_equal(r.ready[1], 3);
    assert_int_equal(rl_explore_parse_line(RL_PROTO_SCHEDULE " choices=0 taken= ready=\n", &r), 0);
    assert_int_equal(r.n, 0);
    const char *bad[] = {
        RL_PROTO_SCHEDULE " choices=2 taken=0 ready=2.2\n", /* too few */
        RL_PROTO_SCHEDULE " choices=1 taken=2 ready=2\n",   /* index past the ready */
        RL_PROTO_SCHEDULE " choices=1 taken=0 ready=1\n",   /* one ready: no choice */
        RL_PROTO_SCHEDULE " choices=1 taken=0. ready=2\n",  /* a dot, then nothing */
        RL_PROTO_SCHEDULE " choices=1 taken=x ready=2\n",   /* not a number */
        RL_PROTO_SCHEDULE " choices=1 taken=0\n",           /* no ready */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        r.error[0] = '\0';
        assert_int_equal(rl_explore_parse_line(bad[i], &r), -1);
        assert_non_null(strstr(r.error, "malformed"));
    }
    assert_int_equal(rl_explore_parse_line("racelab-result: x\n", &r), 1);
    rl_explore_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_order_and_exhaustion),
        cmocka_unit_test(test_delay_bound),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_first_bad_schedule_deterministic),
        cmocka_unit_test(test_no_schedule_line_is_error),
        cmocka_unit_test(test_nondeterminism_is_error),
        cmocka_unit_test(test_parse_line),
    };
    return cmocka_run_group_tests_name("explore", tests, NULL, NULL);
}
