/* charts: the measured files read back, and drawn (see charts.h). */
#include "charts.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "stats.h"

enum { W = 600, H = 300, ML = 56, MR = 170, MT = 16, MB = 46 };
static const char *const COLOURS[] = {"#2563eb", "#ea580c", "#16a34a", "#9333ea",
                                      "#0891b2", "#ca8a04", "#db2777", "#4b5563"};

static int fail(char *err, size_t errlen, const char *path, int line, const char *why)
{
    snprintf(err, errlen, "%s:%d: %s", path, line, why);
    return -1;
}

/* Split line at tabs into at most max fields; returns how many. */
static int fields(char *line, char **f, int max)
{
    int n = 0;
    for (char *s = line; n < max; n++) {
        f[n] = s;
        s = strchr(s, '\t');
        if (s == NULL)
            return n + 1;
        *s++ = '\0';
    }
    return -1; /* more fields than max */
}

static int number(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

int rl_chart_parse(const char *text, const char *path, struct rl_chart *c, char *err,
                   size_t errlen)
{
    memset(c, 0, sizeof *c);
    int line = 0;
    for (const char *p = text; *p;) {
        line++;
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[1024], *f[8];
        if (len >= sizeof buf)
            return fail(err, errlen, path, line, "line longer than 1023 bytes");
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = nl ? nl + 1 : p + len;
        int n = fields(buf, f, 8);
        double v[5];
        if (line == 1) {
            if (n == 3 && strcmp(f[0], "sweep") == 0 && strlen(f[1]) < sizeof c->title &&
                strlen(f[2]) < sizeof c->param) {
                snprintf(c->title, sizeof c->title, "%s", f[1]);
                snprintf(c->param, sizeof c->param, "%s", f[2]);
            } else if (n == 4 && strcmp(f[0], "scaling") == 0 && number(f[1], 1, 4096, &v[0]) == 0 &&
                       number(f[2], 1, 1e6, &v[1]) == 0 && number(f[3], -1, 1e6, &c->load) == 0) {
                c->scaling = 1;
                c->cpus = (int)v[0];
                c->runs = (int)v[1];
            } else {
                return fail(err, errlen, path, line,
                            "not a racelab measurement (its first line is 'sweep\\tCELL\\tNAME' "
                            "or 'scaling\\tCPUS\\tRUNS\\tLOAD')");
            }
            continue;
        }
        if (c->n == RL_CHART_MAX_POINTS)
            return fail(err, errlen, path, line, "more than 512 points (RL_CHART_MAX_POINTS)");
        struct rl_chart_point q = {0};
        int ok;
        if (!c->scaling)
            ok = n == 7 && strcmp(f[0], "point") == 0 && number(f[1], 0, 1e12, &q.x) == 0 &&
                 strlen(f[2]) + strlen(f[3]) + 2 < sizeof q.series &&
                 number(f[4], 0, 1e9, &v[0]) == 0 && number(f[5], 0, 1e9, &v[1]) == 0 &&
                 v[0] <= v[1] && number(f[6], 0, 1e9, &q.median_s) == 0;
        else
            ok = n == 6 && strcmp(f[0], "point") == 0 && strlen(f[1]) < sizeof q.series &&
                 number(f[2], 1, 4096, &q.x) == 0 && number(f[3], 1, 1e9, &v[1]) == 0 &&
                 number(f[4], 0, 1e9, &q.median_s) == 0 && number(f[5], 0, 1e9, &q.setup_s) == 0;
        if (!ok)
            return fail(err, errlen, path, line,
                        c->scaling ? "not 'point\\tMODE\\tWORKERS\\tRUNS\\tMEDIAN_S\\tSETUP_S'"
                                   : "not 'point\\tVALUE\\tWHAT\\tTHING\\tK\\tN\\tMEDIAN_S' with K <= N");
        if (!c->scaling) {
            snprintf(q.series, sizeof q.series, "%s %s", f[2], f[3]);
            q.k = (size_t)v[0];
        } else {
            snprintf(q.series, sizeof q.series, "%s", f[1]);
        }
        q.n = (size_t)v[1];
        struct rl_chart_point *grown = realloc(c->p, (c->n + 1) * sizeof *grown);
        if (grown == NULL)
            return fail(err, errlen, path, line, "out of memory");
        c->p = grown;
        c->p[c->n++] = q;
    }
    if (line == 0)
        return fail(err, errlen, path, 1, "empty");
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void rl_measured_load(const char *dir, struct rl_measured *m)
{
    memset(m, 0, sizeof *m);
    DIR *d = dir ? opendir(dir) : NULL;
    if (d == NULL)
        return;
    char *names[RL_CHART_MAX_FILES + 1];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".tsv") != 0)
            continue;
        if (n == RL_CHART_MAX_FILES) {
            rl_buf_printf(&m->problems, "%s: more than %d measurement files: %s and later ones "
                          "left out (RL_CHART_MAX_FILES)\n", dir, RL_CHART_MAX_FILES, e->d_name);
            continue;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct rl_buf path = {0}, text = {0};
        rl_buf_printf(&path, "%s/%s", dir, names[i]);
        char err[1400];
        if (rl_read_file_whole(rl_buf_str(&path), 1 << 20, &text) != 0)
            rl_buf_printf(&m->problems, "%s: cannot read it (or over 1 MiB)\n", rl_buf_str(&path));
        else if (rl_chart_parse(rl_buf_str(&text), rl_buf_str(&path), &m->charts[m->n], err,
                                sizeof err) != 0) {
            free(m->charts[m->n].p);
            rl_buf_printf(&m->problems, "%s\n", err);
        } else {
            m->n++;
        }
        rl_buf_free(&path);
        rl_buf_free(&text);
        free(names[i]);
    }
}

void rl_measured_free(struct rl_measured *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->charts[i].p);
    rl_buf_free(&m->problems);
}

/* The distinct x values (sorted) and series names (in order of first appearance) of the
 * points that pass keep(). */
struct axes {
    double xs[RL_CHART_MAX_POINTS];
    const char *series[8];
    size_t nx, ns;
};

static int by_double(const void *a, const void *b)
{
    double l = *(const double *)a, r = *(const double *)b;
    return (l > r) - (l < r);
}

static void axes_of(const struct rl_chart *c, const char *prefix, struct axes *a)
{
    memset(a, 0, sizeof *a);
    for (size_t i = 0; i < c->n; i++) {
        if (prefix && strncmp(c->p[i].series, prefix, strlen(prefix)) != 0)
            continue;
        size_t j = 0;
        while (j < a->nx && a->xs[j] != c->p[i].x)
            j++;
        if (j == a->nx)
            a->xs[a->nx++] = c->p[i].x;
        for (j = 0; j < a->ns && strcmp(a->series[j], c->p[i].series) != 0; j++)
            ;
        if (j == a->ns && a->ns < 8)
            a->series[a->ns++] = c->p[i].series;
    }
    qsort(a->xs, a->nx, sizeof *a->xs, by_double);
}

/* The x position of a value: the values are evenly spaced categories (they grow by
 * factors: 100, 1000, ... or 1, 2, 4, ...). */
static double xpos(const struct axes *a, double v)
{
    size_t i = 0;
    while (i < a->nx && a->xs[i] != v)
        i++;
    double plot = W - ML - MR;
    return a->nx < 2 ? ML + plot / 2 : ML + plot * (double)i / (double)(a->nx - 1);
}

static double ypos(double v, double top)
{
    return MT + (H - MT - MB) * (1 - v / top);
}

/* The frame: y gridlines and labels (every `step` up to top, `unit` after each), the x
 * categories, the axis titles. */
static void frame(struct rl_buf *b, const struct axes *a, double top, double step,
                  const char *unit, const char *xtitle, const char *ytitle)
{
    for (double v = 0; v <= top + 1e-9; v += step) {
        double y = ypos(v, top);
        rl_buf_printf(b,
                      "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>"
                      "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g%s</text>",
                      ML, y, W - MR, y, ML - 6, y + 4, v, unit);
    }
    for (size_t i = 0; i < a->nx; i++)
        rl_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>",
                      xpos(a, a->xs[i]), H - MB + 16, a->xs[i]);
    rl_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (W - MR + ML) / 2,
                  H - 8);
    rl_xml_escape(b, xtitle);
    rl_buf_printf(b, "</text><text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
                     "text-anchor=\"middle\">%s</text>",
                  (H - MB + MT) / 2, (H - MB + MT) / 2, ytitle);
}

static void legend(struct rl_buf *b, const struct axes *a)
{
    for (size_t s = 0; s < a->ns; s++) {
        int y = MT + 8 + (int)s * 18;
        rl_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                         "<text x=\"%d\" y=\"%d\">",
                      W - MR + 12, y, COLOURS[s], W - MR + 28, y + 5);
        rl_xml_escape(b, a->series[s]);
        rl_buf_puts(b, "</text>");
    }
}

/* A series' line through its points, drawn after its markers. */
static void series_end(struct rl_buf *b, struct rl_buf *line, const char *colour)
{
    rl_buf_printf(b, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                     "stroke-width=\"1.5\"/>",
                  rl_buf_str(line), colour);
    rl_buf_free(line);
}

static void open_svg(struct rl_buf *b, const char *kind)
{
    rl_buf_printf(b,
                  "<svg class=\"chart %s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                  "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                  kind, W, H, W, H);
}

static void sweep_svg(struct rl_buf *b, const struct rl_chart *c)
{
    struct axes a;
    axes_of(c, NULL, &a);
    rl_buf_puts(b, "<figure class=\"chart\"><figcaption><b>");
    rl_xml_escape(b, c->title);
    rl_buf_puts(b, "</b>: how often, against ");
    rl_xml_escape(b, c->param);
    rl_buf_puts(b, " (each point: k of n runs, its bar the Wilson 95% interval)</figcaption>");
    open_svg(b, "sweep");
    frame(b, &a, 100, 20, "%", c->param, "runs (%)");
    for (size_t s = 0; s < a.ns; s++) {
        struct rl_buf line = {0};
        for (size_t i = 0; i < c->n; i++) {
            const struct rl_chart_point *q = &c->p[i];
            if (strcmp(q->series, a.series[s]) != 0)
                continue;
            struct rl_interval w = rl_wilson95(q->k, q->n);
            double x = xpos(&a, q->x) + ((double)s - (double)(a.ns - 1) / 2) * 4; /* apart */
            double rate = q->n ? 100.0 * (double)q->k / (double)q->n : 0;
            rl_buf_printf(&line, "%s%.1f,%.1f", line.len ? " " : "", x, ypos(rate, 100));
            rl_buf_printf(b,
                          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                          x, ypos(100 * w.lo, 100), x, ypos(100 * w.hi, 100), COLOURS[s], x,
                          ypos(rate, 100), COLOURS[s]);
            rl_xml_escape(b, q->series);
            rl_buf_printf(b, " at %g: %zu of %zu runs (%.1f%%, 95%% interval %.1f%% to %.1f%%)"
                             "</title></circle>",
                          q->x, q->k, q->n, rate, 100 * w.lo, 100 * w.hi);
        }
        series_end(b, &line, COLOURS[s]);
    }
    legend(b, &a);
    rl_buf_puts(b, "</svg></figure>");
}

/* The median at 1 worker of a mode, 0 when it has none. */
static double base_of(const struct rl_chart *c, const char *mode)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->p[i].x == 1 && strcmp(c->p[i].series, mode) == 0)
            return c->p[i].median_s;
    return 0;
}

static void scaling_svg(struct rl_buf *b, const struct rl_chart *c, const char *prefix,
                        const char *what)
{
    struct axes a;
    axes_of(c, prefix, &a);
    if (a.ns == 0)
        return;
    double top = c->cpus;
    for (size_t i = 0; i < c->n; i++) {
        double base = base_of(c, c->p[i].series);
        if (strncmp(c->p[i].series, prefix, strlen(prefix)) == 0 && c->p[i].median_s > 0 &&
            base / c->p[i].median_s > top)
            top = base / c->p[i].median_s;
    }
    double step = top <= 4 ? 1 : top <= 10 ? 2 : top <= 25 ? 5 : 10;
    top = step * (double)(long)(top / step + 1);
    rl_buf_printf(b, "<figure class=\"chart\"><figcaption><b>%s</b>: speedup over one worker "
                     "(median of %d runs each, %d CPUs",
                  what, c->runs, c->cpus);
    if (c->load >= 0)
        rl_buf_printf(b, ", load average %.1f", c->load);
    rl_buf_puts(b, ")</figcaption>");
    open_svg(b, "scaling");
    frame(b, &a, top, step, "x", "workers", "speedup");
    /* the core count: where CPU-bound work stops getting faster */
    size_t i = 0;
    while (i < a.nx && a.xs[i] != c->cpus)
        i++;
    if (i < a.nx) {
        double x = xpos(&a, c->cpus);
        rl_buf_printf(b,
                      "<line class=\"cores\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                      "stroke=\"#dc2626\" stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" "
                      "fill=\"#dc2626\">%d cores</text>",
                      x, MT, x, H - MB, x + 4, MT + 10, c->cpus);
    }
    for (size_t s = 0; s < a.ns; s++) {
        struct rl_buf line = {0};
        double base = base_of(c, a.series[s]);
        for (size_t k = 0; k < c->n; k++) {
            const struct rl_chart_point *q = &c->p[k];
            if (strcmp(q->series, a.series[s]) != 0 || q->median_s <= 0 || base <= 0)
                continue;
            double x = xpos(&a, q->x), y = ypos(base / q->median_s, top);
            rl_buf_printf(&line, "%s%.1f,%.1f", line.len ? " " : "", x, y);
            rl_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>", x, y,
                          COLOURS[s]);
            rl_xml_escape(b, q->series);
            rl_buf_printf(b, ", %g workers: median %.4f s of %zu runs, %.2fx", q->x, q->median_s,
                          q->n, base / q->median_s);
            if (q->setup_s > 0)
                rl_buf_printf(b, ", set-up %.4f s", q->setup_s);
            rl_buf_puts(b, "</title></circle>");
        }
        series_end(b, &line, COLOURS[s]);
    }
    legend(b, &a);
    rl_buf_puts(b, "</svg></figure>");
}

void rl_chart_svg(struct rl_buf *b, const struct rl_chart *c)
{
    if (!c->scaling) {
        sweep_svg(b, c);
        return;
    }
    scaling_svg(b, c, "cpu-", "CPU-bound work");
    scaling_svg(b, c, "io-", "I/O-bound work (waits)");
}
