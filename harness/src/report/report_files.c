/* Writing the report files into a folder, and the last matrix's manifest for `racelab
 * report`. The formats themselves live in report_md.c, report_junit.c, report_sarif.c and
 * report_html.c. */
#include "report_files.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools.h"
#include "util.h"

enum format { F_MD, F_JUNIT, F_SARIF, F_SARIF_ACT, F_HTML, F_COUNT };
static const char *const file_names[F_COUNT] = {"matrix.md", "junit.xml", "racelab.sarif",
                                                "code-scanning.sarif", "index.html"};

void rl_report_root(const char *source_root, char *root)
{
    if (realpath(source_root, root) == NULL)
        rl_strlcpy(root, source_root, PATH_MAX);
    size_t rn = strlen(root);
    while (rn > 1 && root[rn - 1] == '/')
        root[--rn] = '\0';
}

int rl_report_path(const struct rl_report_cell *c, const char *file, const char *root, char *out,
                   size_t len)
{
    char path[PATH_MAX + 300];
    if (file[0] == '/') {
        rl_strlcpy(path, file, sizeof path);
    } else {
        char dir[PATH_MAX];
        if (realpath(c->case_dir, dir) == NULL)
            rl_strlcpy(dir, c->case_dir, sizeof dir);
        snprintf(path, sizeof path, "%s/%s", dir, file);
    }
    size_t rn = strlen(root);
    if (rn && strncmp(path, root, rn) == 0 && path[rn] == '/') {
        rl_strlcpy(out, path + rn + 1, len);
        return 1;
    }
    rl_strlcpy(out, path, len);
    return 0;
}

/* The first line of path for which match(line, arg) holds, or 0. */
static int find_line(const char *path, int (*match)(const char *, const char *), const char *arg)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[1024];
    int n = 0, found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        n++;
        if (match(line, arg))
            found = n;
    }
    fclose(f);
    return found;
}

static int has_marker(const char *line, const char *unused)
{
    (void)unused;
    return strstr(line, "/* RACE:") != NULL || strstr(line, "/* FIX:") != NULL;
}

static int defines(const char *line, const char *fn)
{
    size_t n = strlen(fn);
    if (n == 0 || isspace((unsigned char)line[0]) || line[0] == '#' || line[0] == '/')
        return 0;
    for (const char *p = strstr(line, fn); p; p = strstr(p + 1, fn)) {
        const char *q = p + n;
        while (*q == ' ')
            q++;
        if (*q == '(' && (p == line || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            size_t len = strcspn(line, "\n");
            while (len && isspace((unsigned char)line[len - 1]))
                len--;
            return len && line[len - 1] != ';';
        }
    }
    return 0;
}

int rl_report_function_line(const char *path, const char *fn)
{
    return find_line(path, defines, fn);
}

int rl_report_anchor(const struct rl_report_cell *c, const char *root, char *out, size_t len)
{
    const struct rl_finding *pick = NULL;
    for (size_t i = 0; i < c->cell.findings.n; i++) {
        const struct rl_finding *f = &c->cell.findings.v[i];
        if (f->file[0] == '\0')
            continue;
        if (pick == NULL)
            pick = f;
        if (c->cell.status == RL_CELL_MISMATCH && !rl_report_finding_expected(c, f)) {
            pick = f;
            break;
        }
    }
    if (pick) {
        rl_report_path(c, pick->file, root, out, len);
        return pick->line;
    }
    char file[300];
    snprintf(file, sizeof file, "%s.c", c->variant);
    rl_report_path(c, file, root, out, len);
    char full[PATH_MAX + 300];
    snprintf(full, sizeof full, "%s/%s", c->case_dir, file);
    return find_line(full, has_marker, NULL);
}

static int write_files(const char *dir, const struct rl_report_cell *cells, size_t n,
                       const char *source_root, const char *measured_dir, char *err,
                       size_t errlen);

/* The cells again, each with its run folder relative to dir; a folder that realpath cannot
 * resolve (a cell that never ran) keeps its path as it is. */
int rl_report_write_dir(const char *dir, const struct rl_report_cell *cells, size_t n,
                        const char *source_root, const char *measured_dir, char *err,
                        size_t errlen)
{
    if (rl_mkdirs(dir) != 0) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    char real_dir[PATH_MAX], real_run[PATH_MAX];
    if (realpath(dir, real_dir) == NULL) {
        snprintf(err, errlen, "cannot resolve %s: %s", dir, strerror(errno));
        return -1;
    }
    struct rl_report_cell *linked = calloc(n ? n : 1, sizeof *linked);
    char(*links)[PATH_MAX] = calloc(n ? n : 1, sizeof *links);
    if (!linked || !links) {
        free(linked);
        free(links);
        snprintf(err, errlen, "cannot render the report: out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        linked[i] = cells[i];
        if (cells[i].cell.run_path[0] && realpath(cells[i].cell.run_path, real_run) &&
            rl_path_relative(real_dir, real_run, links[i], sizeof links[i]) == 0)
            linked[i].run_link = links[i];
    }
    int rc = write_files(dir, linked, n, source_root, measured_dir, err, errlen);
    free(linked);
    free(links);
    return rc;
}

static int write_files(const char *dir, const struct rl_report_cell *cells, size_t n,
                       const char *source_root, const char *measured_dir, char *err,
                       size_t errlen)
{
    for (int k = 0; k < F_COUNT; k++) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, file_names[k]) >= (int)sizeof path) {
            snprintf(err, errlen, "the report folder's path is %zu bytes, over PATH_MAX (%d)",
                     strlen(dir), PATH_MAX);
            return -1;
        }
        /* Rendered in memory first: a writer that fails half-way leaves nothing behind. */
        char *text = NULL;
        size_t len = 0;
        errno = 0;
        FILE *m = open_memstream(&text, &len);
        if (m == NULL) {
            snprintf(err, errlen, "cannot render %s: %s", path, strerror(errno));
            return -1;
        }
        int rc = k == F_MD            ? rl_report_markdown(m, cells, n)
                 : k == F_JUNIT       ? rl_report_junit(m, cells, n, source_root)
                 : k == F_SARIF       ? rl_report_sarif(m, cells, n, source_root, 0)
                 : k == F_SARIF_ACT   ? rl_report_sarif(m, cells, n, source_root, 1)
                                      : rl_report_html_measured(m, cells, n, measured_dir);
        int bad = ferror(m);
        if (fclose(m) != 0 || bad || rc != 0) {
            snprintf(err, errlen, "cannot render %s: the writer failed", path);
            free(text);
            return -1;
        }
        rc = rl_write_atomic_bytes(path, text, len);
        free(text);
        if (rc != 0) {
            snprintf(err, errlen, "cannot write %s: %s", path,
                     errno ? strerror(errno) : "short write");
            return -1;
        }
    }
    return 0;
}

struct manifest {
    const struct rl_report_cell *cells;
    size_t n;
};

static int write_manifest(FILE *f, void *arg)
{
    const struct manifest *m = arg;
    fputs("# the cells of the last `racelab matrix` here: case, case folder, variant, tool\n", f);
    for (size_t i = 0; i < m->n; i++)
        fprintf(f, "cell %s\t%s\t%s\t%s\n", m->cells[i].case_name, m->cells[i].case_dir,
                m->cells[i].variant, rl_tools[m->cells[i].tool].name);
    return 0;
}

int rl_report_manifest_save(const char *run_dir, const struct rl_report_cell *cells, size_t n)
{
    if (rl_mkdirs(run_dir) != 0)
        return -1;
    char *path = rl_path_join(run_dir, "last-matrix", NULL);
    struct manifest m = {cells, n};
    int rc = rl_write_atomic(path, write_manifest, &m);
    free(path);
    return rc;
}

int rl_report_manifest_load(const char *run_dir, struct rl_manifest_cell **out, size_t *n,
                            char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    char *path = rl_path_join(run_dir, "last-matrix", NULL);
    struct rl_buf text = {0};
    if (rl_read_file_whole(path, RL_MANIFEST_MAX_BYTES, &text) != 0) {
        if (errno == EFBIG)
            snprintf(err, errlen, "%s: larger than the %d MiB a matrix's list of cells may be",
                     path, RL_MANIFEST_MAX_BYTES >> 20);
        else
            snprintf(err, errlen, "no matrix has run with the run directory %s (%s: %s)", run_dir,
                     path, strerror(errno));
        free(path);
        return -1;
    }
    size_t cap = 0;
    int lineno = 0;
    for (char *line = text.data, *next; line && *line; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *field[4] = {NULL};
        int k = 0;
        if (strncmp(line, "cell ", 5) == 0)
            for (char *p = line + 5; p && k < 4; k++) {
                field[k] = p;
                p = strchr(p, '\t');
                if (p)
                    *p++ = '\0';
            }
        int tool = k == 4 ? rl_tool_lookup(field[3]) : -1;
        struct rl_manifest_cell *m = NULL;
        const char *bad = tool < 0 ? "not a cell line" : NULL;
        if (!bad && strlen(field[0]) >= sizeof m->case_name)
            bad = "a case name of 64 characters or more";
        else if (!bad && strlen(field[1]) >= sizeof m->case_dir)
            bad = "a case folder of PATH_MAX bytes or more";
        else if (!bad && strlen(field[2]) >= sizeof m->variant)
            bad = "a variant name of 64 characters or more";
        if (bad) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, bad);
            free(*out);
            *out = NULL;
            *n = 0;
            rl_buf_free(&text);
            free(path);
            return -1;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = realloc(*out, cap * sizeof **out);
        }
        m = &(*out)[(*n)++];
        rl_strlcpy(m->case_name, field[0], sizeof m->case_name);
        rl_strlcpy(m->case_dir, field[1], sizeof m->case_dir);
        rl_strlcpy(m->variant, field[2], sizeof m->variant);
        m->tool = tool;
    }
    rl_buf_free(&text);
    free(path);
    return 0;
}
