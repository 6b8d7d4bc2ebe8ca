#include "cases.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int rl_variant_is_unsafe(const char *v)
{
    return strncmp(v, "unsafe", 6) == 0;
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

static int add_case(struct rl_caselist *l, const char *dir, char *err, size_t errlen)
{
    struct rl_case c;
    memset(&c, 0, sizeof c);
    rl_strlcpy(c.dir, dir, sizeof c.dir);
    size_t n = strlen(c.dir);
    while (n > 1 && c.dir[n - 1] == '/')
        c.dir[--n] = '\0';
    const char *base = strrchr(c.dir, '/');
    rl_strlcpy(c.name, base ? base + 1 : c.dir, sizeof c.name);
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
        if (c.n_variants == RL_MAX_VARIANTS || len - 2 >= sizeof c.variants[0]) {
            closedir(d);
            snprintf(err, errlen, "%s: too many variants or a name too long (%s)", dir,
                     e->d_name);
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

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rl_cases_scan(struct rl_caselist *l, const char *dir, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/expect", dir);
    if (is_file(path))
        return add_case(l, dir, err, errlen);
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "%s: cannot open case folder: %s", dir, strerror(errno));
        return -1;
    }
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/expect", dir, e->d_name);
        if (is_file(path))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == 0)
            rc = add_case(l, path, err, errlen);
        free(names[i]);
    }
    if (rc == 0 && n == 0) {
        snprintf(err, errlen, "%s: no case here (a case is a folder with an 'expect' file)", dir);
        return -1;
    }
    return rc;
}

void rl_cases_free(struct rl_caselist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

const struct rl_case *rl_cases_find(const struct rl_caselist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}
