/* stats: Wilson intervals, quantiles and reruns-to-see (see stats.h). */
#include "stats.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct rl_interval rl_wilson95(size_t k, size_t n)
{
    if (n == 0)
        return (struct rl_interval){0, 1};
    if (k > n)
        k = n;
    const double z = 1.959963984540054; /* the normal distribution's 97.5% point */
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double scale = 1 + z2 / nn;
    double centre = (p + z2 / (2 * nn)) / scale;
    double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / scale;
    /* at k = 0 and k = n the formula gives 0 and 1 up to rounding: say them exactly */
    double lo = k == 0 ? 0 : centre - half, hi = k == n ? 1 : centre + half;
    return (struct rl_interval){lo < 0 ? 0 : lo, hi > 1 ? 1 : hi};
}

double rl_quantile(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return 0;
    q = q < 0 ? 0 : q > 1 ? 1 : q;
    double h = q * (double)(n - 1);
    size_t i = (size_t)h;
    if (i + 1 >= n)
        return sorted[n - 1];
    return sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
}

long rl_runs_to_see(double p, double confidence)
{
    if (!(p > 0))
        return 0;
    if (p >= 1)
        return 1;
    /* (1 - p)^k <= 1 - confidence; log1p keeps a tiny p from rounding 1 - p to 1 */
    double k = log(1 - confidence) / log1p(-p);
    /* a quotient that is whole in exact arithmetic (p = 0.9: 2) may land a hair above it */
    double whole = ceil(k - 1e-9);
    return whole >= (double)LONG_MAX ? LONG_MAX : (long)whole;
}

struct rl_tally *rl_tally_of(struct rl_tallies *ts, const char *what, const char *name)
{
    for (size_t i = 0; i < ts->n; i++)
        if (strcmp(ts->t[i].what, what) == 0 && strcmp(ts->t[i].name, name) == 0)
            return &ts->t[i];
    if (ts->n == RL_TALLY_MAX)
        return NULL;
    struct rl_tally *t = &ts->t[ts->n++];
    snprintf(t->what, sizeof t->what, "%s", what);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->k = 0;
    return t;
}

void rl_tally_count(struct rl_tallies *ts, const char *what, const char *name, uint64_t *seen)
{
    struct rl_tally *t = rl_tally_of(ts, what, name);
    if (t == NULL) {
        ts->dropped++;
        return;
    }
    uint64_t bit = UINT64_C(1) << (t - ts->t);
    t->k += !(*seen & bit);
    *seen |= bit;
}
