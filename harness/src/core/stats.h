/* stats: the arithmetic behind `racelab stats`, pure functions with no I/O. How sure a rate
 * measured over n runs is (the Wilson score interval, which stays inside [0, 1] and is
 * honest at 0 of n and n of n, where the textbook normal interval collapses to a point);
 * the median and percentiles of run times; and how many reruns it takes to see an event of
 * a given per-run rate at least once with a given confidence. */
#ifndef RACELAB_STATS_H
#define RACELAB_STATS_H

#include <stddef.h>

/* compiler-rt's ThreadSanitizer tests run a flaky test up to 10 times until it reports
 * (`%deflake`, deflake.bash's default THRESHOLD). */
#define RL_DEFLAKE_BUDGET 10

struct rl_interval {
    double lo, hi;
};

/* The Wilson score interval of k successes in n runs at 95% (z = 1.959964); [0, 1] when n
 * is 0 (nothing is known). k > n is treated as n. */
struct rl_interval rl_wilson95(size_t k, size_t n);

/* The q-quantile (0 <= q <= 1) of sorted[0..n), interpolated linearly between the two
 * nearest ranks (R's type 7, numpy's default): q = 0.5 is the median, 1 the maximum. 0 when
 * n is 0. */
double rl_quantile(const double *sorted, size_t n, double q);

/* The fewest runs k with 1 - (1 - p)^k >= confidence: how many reruns see an event of
 * per-run probability p at least once with that confidence (0 < confidence < 1). 1 when p
 * is 1; 0 when p <= 0 (no number of reruns is enough). Saturates at LONG_MAX. */
long rl_runs_to_see(double p, double confidence);

#endif
