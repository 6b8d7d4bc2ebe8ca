/* pool: what a cell weighs (its last run's CPU over wall time) and when it may start beside the
 * running ones. The pool's workers themselves are exercised by every matrix test. */
#include "unit.h"

#include "pool.h"

/* A run that kept a core busy weighs a whole job, however busy; so does one never measured. */
static void test_busy_and_unknown_weigh_one(void **state)
{
    (void)state;
    assert_true(rl_pool_weight(1.0, 0.95) == 1);
    assert_true(rl_pool_weight(1.0, 1.9) == 1);          /* two threads busy */
    assert_true(rl_pool_weight(1.0, RL_POOL_IDLE) == 1); /* the line itself is busy */
    assert_true(rl_pool_weight(-1, -1) == 1);            /* no verdict */
    assert_true(rl_pool_weight(1.5, -1) == 1);           /* a verdict without "cpu" */
    assert_true(rl_pool_weight(0, 0.2) == 1);
}

/* A run asleep most of its wall time (a watchdog ending a deadlock) weighs its CPU fraction,
 * never less than a tenth. */
static void test_idle_weighs_its_fraction(void **state)
{
    (void)state;
    double w = rl_pool_weight(2.0, 0.5);
    assert_true(w > 0.249 && w < 0.251);
    assert_true(rl_pool_weight(1.0, 0.001) == 0.1);
}

/* -j1 runs one cell at a time. Two busy cells fill two jobs; an idle one still fits beside them, a third busy one does not,
 * and no more than 2 * jobs cells ever run. The first cell always starts. */
static void test_fits(void **state)
{
    (void)state;
    assert_true(rl_pool_fits(0, 1, 0, 1));
    assert_false(rl_pool_fits(0.1, 0.1, 1, 1)); /* -j1: one at a time, idle or not */
    assert_true(rl_pool_fits(1, 1, 1, 2));
    assert_false(rl_pool_fits(2, 1, 2, 2));
    assert_true(rl_pool_fits(2, 0.2, 2, 2));
    assert_false(rl_pool_fits(2.2, 0.2, 3, 2)); /* over jobs + spare */
    assert_true(rl_pool_fits(2.1, 0.1, 3, 2));
    assert_false(rl_pool_fits(0.4, 0.1, 4, 2)); /* 2 * jobs running */
    assert_false(rl_pool_fits(1.3, 1, 3, 2)); /* a busy cell waits for (nearly) a whole core */
    assert_true(rl_pool_fits(1.1, 1, 2, 2));  /* within the spare */
    assert_true(rl_pool_fits(1.0, 1, 1, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busy_and_unknown_weigh_one),
        cmocka_unit_test(test_idle_weighs_its_fraction),
        cmocka_unit_test(test_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
