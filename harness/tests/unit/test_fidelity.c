/* Unit tests of the fidelity tally (fidelity.h): how two runs' reports are compared. */
#include "unit.h"

#include "fidelity.h"

static void tally_of(struct rl_tally *t, const char *const *kinds)
{
    memset(t, 0, sizeof *t);
    for (; *kinds; kinds++)
        rl_tally_add(t, *kinds);
}

/* The order reports came in does not matter; their number and kinds do. */
static void test_equal_by_count_and_kind(void **state)
{
    (void)state;
    static const char *const a[] = {"data race", "thread leak", "data race", NULL};
    static const char *const b[] = {"thread leak", "data race", "data race", NULL};
    static const char *const fewer[] = {"data race", "thread leak", NULL};
    static const char *const other[] = {"data race", "data race", "lock-order-inversion", NULL};
    struct rl_tally ta, tb, tf, to;
    tally_of(&ta, a);
    tally_of(&tb, b);
    tally_of(&tf, fewer);
    tally_of(&to, other);
    assert_true(rl_tally_equal(&ta, &tb));
    assert_false(rl_tally_equal(&ta, &tf));
    assert_false(rl_tally_equal(&ta, &to));
    char text[200];
    rl_tally_text(&ta, text, sizeof text);
    assert_string_equal(text, "3 reports: data race x2, thread leak x1");
    struct rl_tally none = {0};
    rl_tally_text(&none, text, sizeof text);
    assert_string_equal(text, "0 reports");
    assert_false(rl_tally_equal(&none, &tf));
}

/* More distinct kinds than the tally holds: never equal, and said so. */
static void test_overflow_never_equal(void **state)
{
    (void)state;
    struct rl_tally t = {0};
    char kind[16];
    for (int i = 0; i <= RL_TALLY_KINDS; i++) {
        snprintf(kind, sizeof kind, "k%02d", i);
        rl_tally_add(&t, kind);
    }
    assert_int_equal(t.overflow, 1);
    assert_false(rl_tally_equal(&t, &t));
    char text[2000];
    rl_tally_text(&t, text, sizeof text);
    assert_contains(text, "more kinds than racelab tallies");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_by_count_and_kind),
        cmocka_unit_test(test_overflow_never_equal),
    };
    return cmocka_run_group_tests_name("fidelity", tests, NULL, NULL);
}
