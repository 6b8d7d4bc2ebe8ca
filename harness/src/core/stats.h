/* stats: the arithmetic behind `racelab stats`, pure functions with no I/O. How sure a rate
 * measured over n runs is (the Wilson score interval, which stays inside [0, 1] and is
 * honest at 0 of n and n of n, where the textbook normal interval collapses to a point);
 * the median and percentiles of run times; and how many reruns it takes to see an event of
 * a given per-run rate at least once with a given confidence; and the tally of in how many
 * runs each outcome or finding showed. */
#ifndef RACELAB_STATS_H
#define RACELAB_STATS_H

#include <stddef.h>
#include <stdint.h>

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

/* In how many runs each thing (what: "outcome" or "finding"; name: "lost-update", "race on
 * counter") showed, each counted once per run however often the run reported it. At most
 * RL_TALLY_MAX different things (the bits of a run's `seen` mask); more are counted in
 * `dropped`, for the caller to say. */
#define RL_TALLY_MAX 64
struct rl_tally {
    char what[16], name[300];
    size_t k;
};
struct rl_tallies {
    struct rl_tally t[RL_TALLY_MAX];
    size_t n, dropped;
};

/* The tally of (what, name), added at 0 when new; NULL when RL_TALLY_MAX are taken. */
struct rl_tally *rl_tally_of(struct rl_tallies *ts, const char *what, const char *name);
/* Count (what, name) for the run whose mask is *seen (0 at the run's start): once per run. */
void rl_tally_count(struct rl_tallies *ts, const char *what, const char *name, uint64_t *seen);

#endif
