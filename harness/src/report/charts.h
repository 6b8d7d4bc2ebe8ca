/* charts: the measurements `racelab stats --sweep` and `racelab bench` leave in
 * <run-dir>/measured/, read back and drawn as hand-written SVG for the HTML report (no
 * script). Two kinds:
 *
 *   sweep.<cell>.<NAME>.tsv  "sweep\tCELL\tNAME", then "point\tVALUE\tWHAT\tTHING\tK\tN\tMEDIAN_S"
 *                            lines: in K of N runs at NAME=VALUE the outcome or finding THING
 *                            showed. Drawn as rate against value, one line per thing, each
 *                            point with its Wilson 95% interval as a bar.
 *   scaling.tsv              "scaling\tCPUS\tRUNS\tLOAD", then "point\tMODE\tWORKERS\tRUNS\tMEDIAN_S
 *                            \tSETUP_S" lines. Drawn as speedup (median at 1 worker over median
 *                            at W) against workers, CPU-bound and I/O-bound modes apart, with
 *                            the CPU count marked.
 *
 * A file that does not read whole (an unknown line, a field out of range, more points than
 * RL_CHART_MAX_POINTS) is left out and named in `problems` with its line; the others are
 * drawn. Every text from a file is escaped. */
#ifndef RACELAB_CHARTS_H
#define RACELAB_CHARTS_H

#include <stddef.h>

#include "util.h"

enum { RL_CHART_MAX_POINTS = 512, RL_CHART_MAX_FILES = 64 };

struct rl_chart_point {
    char series[320]; /* "outcome lost-update", or a mode: "cpu-threads" */
    double x;         /* the parameter's value, or the workers */
    size_t k, n;      /* sweep: k of n runs; scaling: n runs */
    double median_s, setup_s;
};

struct rl_chart {
    int scaling; /* 0: a sweep; 1: the scaling family */
    char title[400]; /* sweep: the cell; scaling: "" */
    char param[64];  /* sweep: the parameter's name */
    int cpus, runs;
    double load;
    struct rl_chart_point *p;
    size_t n;
};

struct rl_measured {
    struct rl_chart charts[RL_CHART_MAX_FILES];
    size_t n;
    struct rl_buf problems; /* one line per file left out: "path:line: why" */
};

/* Read every *.tsv of dir (sorted by name; none, or no dir, is no chart). */
void rl_measured_load(const char *dir, struct rl_measured *m);
void rl_measured_free(struct rl_measured *m);

/* Parse one file's text (path for the messages); -1 with "path:line: why" in err. */
int rl_chart_parse(const char *text, const char *path, struct rl_chart *c, char *err,
                   size_t errlen);

/* One <svg class="chart"> per chart: a sweep's rates with their intervals, or the scaling
 * family's speedups (two charts: CPU-bound and I/O-bound), with a caption. */
void rl_chart_svg(struct rl_buf *b, const struct rl_chart *c);

#endif
