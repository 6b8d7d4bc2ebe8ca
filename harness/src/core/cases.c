#include "cases.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools.h"
#include "util.h"

int rl_variant_is_unsafe(const char *v)
{
    return strncmp(v, "unsafe", 6) == 0;
}

int rl_source_on_loop(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[512];
    int yes = 0;
    while (!yes && fgets(line, sizeof line, f)) {
        const char *p = line + strspn(line, " \t");
        if (*p++ != '#')
            continue;
        p += strspn(p, " \t");
        if (strncmp(p, "include", 7) != 0)
            continue;
        p += 7 + strspn(p + 7, " \t");
        yes = strncmp(p, "\"racelab/coop.h\"", 16) == 0 || strncmp(p, "<racelab/coop.h>", 16) == 0;
    }
    fclose(f);
    return yes;
}

int rl_case_on_loop(const struct rl_case *c, const char *variant)
{
    for (size_t i = 0; i < c->n_variants; i++)
        if (strcmp(c->variants[i], variant) == 0)
            return (c->on_loop >> i) & 1u;
    return 0;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int variant_rank(const char *v)
{
    if (strcmp(v, "unsafe") == 0)
        return 0;
    return rl_variant_is_unsafe(v) ? 1 : 2;
}

static int cmp_variant(const void *a, const void *b)
{
    int ra = variant_rank(a), rb = variant_rank(b);
    return ra != rb ? ra - rb : strcmp(a, b);
}

/* Names go into CASE.VARIANT.TOOL and into paths: a dot or a slash would be ambiguous. */
static int valid_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
            return 0;
    return len > 0;
}

static const char NAME_RULE[] = "use letters, digits, '_' and '-' only ([A-Za-z0-9_-]+), as "
                                "a dot separates CASE.VARIANT.TOOL";

static int add_case(struct rl_caselist *l, const char *dir, char *err, size_t errlen)
{
    struct rl_case c;
    memset(&c, 0, sizeof c);
    if (strlen(dir) >= sizeof c.dir) {
        snprintf(err, errlen, "%.80s...: a case folder's path must be shorter than %zu bytes",
                 dir, sizeof c.dir);
        return -1;
    }
    rl_strlcpy(c.dir, dir, sizeof c.dir);
    size_t n = strlen(c.dir);
    while (n > 1 && c.dir[n - 1] == '/')
        c.dir[--n] = '\0';
    const char *base = strrchr(c.dir, '/');
    base = base ? base + 1 : c.dir;
    if (!valid_name(base, strlen(base)) || strlen(base) >= sizeof c.name) {
        snprintf(err, errlen, "%s: case folder '%s' cannot be named on the command line: %s%s", dir,
                 base, NAME_RULE, strlen(base) >= sizeof c.name ? ", shorter than 64" : "");
        return -1;
    }
    rl_strlcpy(c.name, base, sizeof c.name);
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
            continue;
        if (strncmp(e->d_name, "unsafe", 6) != 0 && strncmp(e->d_name, "safe", 4) != 0)
            continue;
        if (!valid_name(e->d_name, len - 2)) {
            closedir(d);
            snprintf(err, errlen, "%s: variant file '%s' cannot be named on the command line: %s",
                     dir, e->d_name, NAME_RULE);
            return -1;
        }
        if (c.n_variants == RL_MAX_VARIANTS || len - 2 >= sizeof c.variants[0]) {
            closedir(d);
            snprintf(err, errlen, "%s: too many variants or a name too long (%s)", dir, e->d_name);
            return -1;
        }
        memcpy(c.variants[c.n_variants], e->d_name, len - 2);
        c.variants[c.n_variants][len - 2] = '\0';
        c.n_variants++;
    }
    closedir(d);
    if (c.n_variants == 0) {
        snprintf(err, errlen, "%s: a case needs unsafe*.c and safe*.c variants", dir);
        return -1;
    }
    qsort(c.variants, c.n_variants, sizeof c.variants[0], cmp_variant);
    for (size_t i = 0; i < c.n_variants; i++) {
        char src[PATH_MAX + 80];
        rl_xsnprintf(src, sizeof src, "%s/%s.c", c.dir, c.variants[i]);
        c.on_loop |= (unsigned)rl_source_on_loop(src) << i;
    }
    const struct rl_case *dup = rl_cases_find(l, c.name);
    if (dup) {
        char a[PATH_MAX], b[PATH_MAX];
        if (realpath(dup->dir, a) && realpath(c.dir, b) && strcmp(a, b) == 0)
            return 0; /* the same folder named twice, perhaps spelt differently */
        snprintf(err, errlen, "case '%s' is defined twice: %s and %s", c.name, dup->dir, c.dir);
        return -1;
    }
    struct rl_case *v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (v == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    l->v = v;
    l->v[l->n++] = c;
    return 0;
}

/* A case folder that cannot be added is left out, its reason kept in l->errors. */
static int add_case_or_note(struct rl_caselist *l, const char *dir, char *err, size_t errlen)
{
    char why[2048];
    if (add_case(l, dir, why, sizeof why) == 0)
        return 0;
    rl_buf_printf(&l->errors, "%s\n", why);
    rl_strlcpy(err, why, errlen);
    return -1;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rl_cases_scan(struct rl_caselist *l, const char *dir, char *err, size_t errlen)
{
    char *expect = rl_path_join(dir, "expect", NULL);
    int is_case = is_file(expect);
    free(expect);
    if (is_case)
        return add_case_or_note(l, dir, err, errlen);
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "%s: cannot open case folder: %s", dir, strerror(errno));
        rl_buf_printf(&l->errors, "%s\n", err);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = rl_path_join(dir, e->d_name, "expect");
        int is_case = sub && is_file(sub);
        free(sub);
        if (!is_case)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (grown == NULL) {
                fprintf(stderr, "racelab: out of memory\n");
                abort();
            }
            names = grown;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_name);
    int rc = 0;
    char why[2048] = "";
    for (size_t i = 0; i < n; i++) {
        char *sub = rl_path_join(dir, names[i], NULL);
        if (add_case_or_note(l, sub, why, sizeof why) != 0 && rc == 0) {
            rl_strlcpy(err, why, errlen);
            rc = -1;
        }
        free(sub);
        free(names[i]);
    }
    free(names);
    if (n == 0) {
        snprintf(err, errlen, "%s: no case here (a case is a folder with an 'expect' file)", dir);
        rl_buf_printf(&l->errors, "%s\n", err);
        return -1;
    }
    return rc;
}

void rl_cases_free(struct rl_caselist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
    rl_buf_free(&l->errors);
}

int rl_cell_id(char *out, size_t len, const char *case_name, const char *variant, int tool)
{
    out[0] = '\0';
    if (!valid_name(case_name, strlen(case_name)) || !valid_name(variant, strlen(variant)) ||
        tool < 0 || tool >= RL_TOOL_COUNT)
        return -1;
    rl_xsnprintf(out, len, "%s.%s.%s", case_name, variant, rl_tools[tool].name);
    return 0;
}

int rl_run_folder(char *out, size_t len, const char *run_dir, const char *case_name,
                  const char *variant, int tool, char *err, size_t errlen)
{
    char id[3 * 64 + 32];
    out[0] = '\0';
    if (strlen(case_name) >= 64 || strlen(variant) >= 64 ||
        rl_cell_id(id, sizeof id, case_name, variant, tool) != 0) {
        snprintf(err, errlen, "'%.64s.%.64s' is no cell: %s", case_name, variant, NAME_RULE);
        return -1;
    }
    size_t need = strlen(run_dir) + 1 + strlen(id);
    if (need >= RL_RUN_PATH_MAX || need >= len) {
        snprintf(err, errlen,
                 "the run folder of %s would be %zu bytes long, over the limit of %d (PATH_MAX "
                 "less room for its files): choose a shorter --run-dir",
                 id, need, RL_RUN_PATH_MAX - 1);
        return -1;
    }
    rl_xsnprintf(out, len, "%s/%s", run_dir, id);
    return 0;
}

const struct rl_case *rl_cases_find(const struct rl_caselist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

int rl_dir_within(const char *dir, const char *dirs)
{
    char real[PATH_MAX], top[PATH_MAX], list[8192];
    if (realpath(dir, real) == NULL)
        return 0;
    rl_strlcpy(list, dirs, sizeof list);
    for (char *save = NULL, *s = list, *d; (d = strtok_r(s, ";", &save)) != NULL; s = NULL) {
        size_t n;
        if (realpath(d, top) != NULL && strncmp(real, top, n = strlen(top)) == 0 &&
            (real[n] == '\0' || real[n] == '/'))
            return 1;
    }
    return 0;
}

void rl_cases_mark_built(struct rl_caselist *l, const char *dirs)
{
    for (size_t i = 0; i < l->n; i++)
        l->v[i].cmake_built = rl_dir_within(l->v[i].dir, dirs);
}

int rl_case_suppressions(const struct rl_case *c, int tool_kind, char *path, size_t len,
                         char *err, size_t errlen)
{
    const char *name = tool_kind == RL_KIND_TSAN       ? "suppress.tsan"
                       : tool_kind == RL_KIND_VALGRIND ? "suppress.supp"
                                                       : NULL;
    if (name == NULL)
        return 0;
    char given[PATH_MAX + 64];
    snprintf(given, sizeof given, "%s/%s", c->dir, name);
    struct stat st;
    /* lstat: a link to nowhere is a file the case meant to give, not an absent one */
    if (lstat(given, &st) != 0 && errno == ENOENT)
        return 0;
    errno = 0;
    int found = stat(given, &st) == 0;
    char real[PATH_MAX];
    if (!found || !S_ISREG(st.st_mode) || realpath(given, real) == NULL ||
        access(real, R_OK) != 0) {
        snprintf(err, errlen, "%s: cannot read the suppression file: %s", given,
                 errno ? strerror(errno) : "not a regular file");
        return -1;
    }
    if (tool_kind == RL_KIND_TSAN && real[strcspn(real, " \t\n:,'\"")] != '\0') {
        snprintf(err, errlen,
                 "%s: its path holds a space, ':', ',' or a quote, which TSAN_OPTIONS splits "
                 "on: move the case folder",
                 real);
        return -1;
    }
    if (strlen(real) >= len) {
        snprintf(err, errlen, "%s: the path is longer than %zu bytes", real, len - 1);
        return -1;
    }
    rl_strlcpy(path, real, len);
    return 1;
}
