/* stats: the Wilson interval, quantiles, reruns-to-see and the tally, on values computed apart from
 * racelab (python3, from the textbook formulas; see each test). */
#include "unit.h"

#include <limits.h>
#include <math.h>

#include "stats.h"

#define EPS 5e-7

/* python3: z=1.959963984540054; p=k/n; d=1+z*z/n; c=(p+z*z/(2*n))/d;
 *          h=z*sqrt(p*(1-p)/n+z*z/(4*n*n))/d; print(c-h, c+h) */
static void test_wilson_known_values(void **state)
{
    (void)state;
    static const struct {
        size_t k, n;
        double lo, hi;
    } known[] = {
        {0, 10, 0.0, 0.277533},        {5, 10, 0.236593, 0.763407}, {10, 10, 0.722467, 1.0},
        {50, 100, 0.403832, 0.596168}, {20, 20, 0.838875, 1.0},     {0, 20, 0.0, 0.161125},
        {1, 200, 0.000883, 0.027774},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        struct rl_interval w = rl_wilson95(known[i].k, known[i].n);
        if (fabs(w.lo - known[i].lo) > EPS || fabs(w.hi - known[i].hi) > EPS)
            fail_msg("wilson(%zu/%zu) = [%.6f, %.6f], expected [%.6f, %.6f]", known[i].k,
                     known[i].n, w.lo, w.hi, known[i].lo, known[i].hi);
    }
}

/* Nothing measured: nothing known. More successes than runs: all of them. */
static void test_wilson_edges(void **state)
{
    (void)state;
    struct rl_interval w = rl_wilson95(0, 0);
    assert_true(w.lo == 0 && w.hi == 1);
    struct rl_interval all = rl_wilson95(12, 10), ten = rl_wilson95(10, 10);
    assert_true(all.lo == ten.lo && all.hi == ten.hi);
}

/* python3: statistics.quantiles(xs, n=10, method='inclusive')[8] is the p90;
 * statistics.median(xs) the median. */
static void test_quantiles(void **state)
{
    (void)state;
    const double odd[] = {1, 2, 3, 4, 5};
    const double even[] = {0.5, 1.5, 2.0, 10.0};
    const double ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assert_true(fabs(rl_quantile(odd, 5, 0.5) - 3.0) < EPS);
    assert_true(fabs(rl_quantile(even, 4, 0.5) - 1.75) < EPS);
    assert_true(fabs(rl_quantile(ten, 10, 0.9) - 9.1) < EPS);
    assert_true(fabs(rl_quantile(even, 4, 0.9) - 7.6) < EPS);
    assert_true(fabs(rl_quantile(even, 4, 1.0) - 10.0) < EPS);
    assert_true(fabs(rl_quantile(even, 4, 0.0) - 0.5) < EPS);
    assert_true(fabs(rl_quantile(odd, 1, 0.9) - 1.0) < EPS);
    assert_true(rl_quantile(odd, 0, 0.5) == 0);
}

/* python3: math.ceil(math.log(0.01) / math.log(1 - p)), checked by hand where the quotient
 * is a whole number (p = 0.9: 2 runs give 99% exactly). */
static void test_runs_to_see(void **state)
{
    (void)state;
    assert_int_equal(rl_runs_to_see(1.0, 0.99), 1);
    assert_int_equal(rl_runs_to_see(0.9, 0.99), 2);
    assert_int_equal(rl_runs_to_see(0.5, 0.99), 7);
    assert_int_equal(rl_runs_to_see(0.37, 0.99), 10);
    assert_int_equal(rl_runs_to_see(0.36, 0.99), 11);
    assert_int_equal(rl_runs_to_see(0.1, 0.99), 44);
    assert_int_equal(rl_runs_to_see(0.01, 0.99), 459);
    assert_int_equal(rl_runs_to_see(0.0, 0.99), 0);
    assert_int_equal(rl_runs_to_see(-0.5, 0.99), 0);
    assert_true(rl_runs_to_see(1e-300, 0.99) == LONG_MAX);
    /* the %deflake budget: 10 runs suffice from a rate of 37% on, not at 36% */
    assert_true(rl_runs_to_see(0.37, 0.99) <= RL_DEFLAKE_BUDGET);
    assert_true(rl_runs_to_see(0.36, 0.99) > RL_DEFLAKE_BUDGET);
}

/* Each thing counts once per run, however often the run reported it; a name with commas
 * (a lock-order finding names both locks) is one name. */
static void test_tally_once_per_run(void **state)
{
    (void)state;
    static struct rl_tallies ts;
    memset(&ts, 0, sizeof ts);
    for (int run = 0; run < 3; run++) {
        uint64_t seen = 0;
        rl_tally_count(&ts, "finding", "lock-order on lock_a,lock_b", &seen);
        rl_tally_count(&ts, "finding", "lock-order on lock_a,lock_b", &seen);
        rl_tally_count(&ts, "outcome", "ok", &seen);
        if (run == 0)
            rl_tally_count(&ts, "finding", "race on counter", &seen);
    }
    assert_int_equal(ts.n, 3);
    assert_string_equal(ts.t[0].name, "lock-order on lock_a,lock_b");
    assert_int_equal(ts.t[0].k, 3);
    assert_int_equal(ts.t[1].k, 3);
    assert_int_equal(ts.t[2].k, 1);
    /* a thing that never showed (an allowed outcome) is there at 0 */
    assert_int_equal(rl_tally_of(&ts, "outcome", "lost-update")->k, 0);
}

/* Past RL_TALLY_MAX different things, the rest are counted as dropped, never lost unsaid. */
static void test_tally_limit(void **state)
{
    (void)state;
    static struct rl_tallies ts;
    memset(&ts, 0, sizeof ts);
    uint64_t seen = 0;
    char name[32];
    for (int i = 0; i < RL_TALLY_MAX + 2; i++) {
        snprintf(name, sizeof name, "race on v%d", i);
        rl_tally_count(&ts, "finding", name, &seen);
    }
    assert_int_equal(ts.n, RL_TALLY_MAX);
    assert_int_equal(ts.dropped, 2);
    assert_int_equal(ts.t[RL_TALLY_MAX - 1].k, 1);
    assert_null(rl_tally_of(&ts, "finding", "race on another"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson_known_values),
        cmocka_unit_test(test_wilson_edges),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_runs_to_see),
        cmocka_unit_test(test_tally_once_per_run),
        cmocka_unit_test(test_tally_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
