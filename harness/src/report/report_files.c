/* Writing the report files into a folder, and the last matrix's manifest for `racelab
 * report`. The formats themselves live in report_md.c, report_junit.c, report_sarif.c and
 * report_html.c. */
#include "report_files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools.h"
#include "util.h"

enum format { F_MD, F_JUNIT, F_SARIF, F_HTML, F_COUNT };
static const char *const file_names[F_COUNT] = {"matrix.md", "junit.xml", "racelab.sarif",
                                                "index.html"};

static int write_files(const char *dir, const struct rl_report_cell *cells, size_t n,
                       const char *source_root, char *err, size_t errlen);

/* The cells again, each with its run folder relative to dir; a folder that realpath cannot
 * resolve (a cell that never ran) keeps its path as it is. */
int rl_report_write_dir(const char *dir, const struct rl_report_cell *cells, size_t n,
                        const char *source_root, char *err, size_t errlen)
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
    int rc = write_files(dir, linked, n, source_root, err, errlen);
    free(linked);
    free(links);
    return rc;
}

static int write_files(const char *dir, const struct rl_report_cell *cells, size_t n,
                       const char *source_root, char *err, size_t errlen)
{
    for (int k = 0; k < F_COUNT; k++) {
        char path[1200], tmp[1300];
        snprintf(path, sizeof path, "%s/%s", dir, file_names[k]);
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
        /* Rendered in memory first: the temporary file exists only for the moment of writing
         * and renaming, so a writer that fails or dies half-way leaves nothing behind. */
        char *text = NULL;
        size_t len = 0;
        errno = 0;
        FILE *m = open_memstream(&text, &len);
        if (m == NULL) {
            snprintf(err, errlen, "cannot render %s: %s", path, strerror(errno));
            return -1;
        }
        int rc = k == F_MD      ? rl_report_markdown(m, cells, n)
                 : k == F_JUNIT ? rl_report_junit(m, cells, n)
                 : k == F_SARIF ? rl_report_sarif(m, cells, n, source_root)
                                : rl_report_html(m, cells, n);
        int bad = ferror(m);
        if (fclose(m) != 0 || bad || rc != 0) {
            snprintf(err, errlen, "cannot render %s: the writer failed", path);
            free(text);
            return -1;
        }
        errno = 0;
        FILE *f = fopen(tmp, "w");
        if (f == NULL) {
            snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
            free(text);
            return -1;
        }
        size_t w = fwrite(text, 1, len, f);
        free(text);
        bad = ferror(f) || w != len;
        if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
            snprintf(err, errlen, "cannot write %s: %s", path,
                     errno ? strerror(errno) : "short write");
            unlink(tmp);
            return -1;
        }
    }
    return 0;
}

int rl_report_manifest_save(const char *run_dir, const struct rl_report_cell *cells, size_t n)
{
    if (rl_mkdirs(run_dir) != 0)
        return -1;
    char path[1200], tmp[1300];
    snprintf(path, sizeof path, "%s/last-matrix", run_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return -1;
    fputs("# the cells of the last `racelab matrix` here: case, case folder, variant, tool\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "cell %s\t%s\t%s\t%s\n", cells[i].case_name, cells[i].case_dir, cells[i].variant,
                rl_tools[cells[i].tool].name);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int rl_report_manifest_load(const char *run_dir, struct rl_manifest_cell **out, size_t *n,
                            char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    char path[1200];
    snprintf(path, sizeof path, "%s/last-matrix", run_dir);
    struct rl_buf text = {0};
    if (rl_read_file(path, 16 << 20, &text) != 0) {
        snprintf(err, errlen, "no matrix has run with the run directory %s (%s: %s)", run_dir, path,
                 strerror(errno));
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
        if (tool < 0) {
            snprintf(err, errlen, "%s:%d: not a cell line", path, lineno);
            free(*out);
            *out = NULL;
            *n = 0;
            rl_buf_free(&text);
            return -1;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = realloc(*out, cap * sizeof **out);
        }
        struct rl_manifest_cell *m = &(*out)[(*n)++];
        rl_strlcpy(m->case_name, field[0], sizeof m->case_name);
        rl_strlcpy(m->case_dir, field[1], sizeof m->case_dir);
        rl_strlcpy(m->variant, field[2], sizeof m->variant);
        m->tool = tool;
    }
    rl_buf_free(&text);
    return 0;
}
