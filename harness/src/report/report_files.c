/* Writing the report files into a folder, and the last matrix's manifest for `racelab
 * report`. The formats themselves live in report_md.c, report_junit.c, report_sarif.c and
 * report_html.c. */
#include "report_files.h"

#include <errno.h>
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

int rl_report_write_dir(const char *dir, const struct rl_report_cell *cells, size_t n,
                        const char *source_root, char *err, size_t errlen)
{
    if (rl_mkdirs(dir) != 0) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    for (int k = 0; k < F_COUNT; k++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, file_names[k]);
        /* Rendered in memory first: a writer that fails half-way leaves nothing behind. */
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
    char path[1200];
    snprintf(path, sizeof path, "%s/last-matrix", run_dir);
    struct manifest m = {cells, n};
    return rl_write_atomic(path, write_manifest, &m);
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
