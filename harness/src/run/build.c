#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases.h"
#include "config.h"
#include "expect.h"
#include "spawn.h"
#include "util.h"

static const char *const FIXTURE_DIRS[] = {"src", "include/racelab"};

static int newer_or_same(const char *bin, const char *src)
{
    struct stat b, s;
    if (stat(bin, &b) != 0 || stat(src, &s) != 0)
        return 0;
    return b.st_mtim.tv_sec > s.st_mtim.tv_sec ||
           (b.st_mtim.tv_sec == s.st_mtim.tv_sec && b.st_mtim.tv_nsec >= s.st_mtim.tv_nsec);
}

/* Call fn on every fixture file (they are compiled into every variant); stop at nonzero. */
static int each_fixture(int (*fn)(const char *path, void *arg), void *arg)
{
    for (size_t i = 0; i < sizeof FIXTURE_DIRS / sizeof *FIXTURE_DIRS; i++) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%s", RACELAB_FIXTURES_DIR, FIXTURE_DIRS[i]);
        DIR *d = opendir(dir);
        struct dirent *e;
        int rc = 0;
        while (rc == 0 && d && (e = readdir(d)) != NULL) {
            char path[PATH_MAX + 256];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (e->d_name[0] != '.')
                rc = fn(path, arg);
        }
        if (d)
            closedir(d);
        if (rc)
            return rc;
    }
    return 0;
}

static int fixture_newer(const char *path, void *bin)
{
    return !newer_or_same(bin, path);
}

/* The hash of a file's contents, or 0 when it cannot be read (never equal to a recorded
 * hash of a readable file, which starts from the offset basis). */
static uint64_t file_hash(const char *path)
{
    struct rl_buf b = {0};
    if (rl_read_file(path, 0, &b) != 0)
        return 0;
    uint64_t h = rl_hash64(RL_HASH64_INIT, b.data, b.len) | 1u;
    rl_buf_free(&b);
    return h;
}

static int add_fixture_line(const char *path, void *out)
{
    rl_buf_printf(out, "file %016llx %s\n", (unsigned long long)file_hash(path), path);
    return 0;
}

/* Does BIN.inputs hold: the same key, and every file listed with the same contents? */
static int inputs_hold(const char *stamp, const char *key)
{
    struct rl_buf b = {0};
    if (rl_read_file(stamp, 0, &b) != 0)
        return 0;
    char want[64];
    snprintf(want, sizeof want, "racelab-inputs 1\nkey %s\n", key);
    int ok = strncmp(rl_buf_str(&b), want, strlen(want)) == 0;
    for (char *line = b.data + (ok ? strlen(want) : 0); ok && *line;) {
        char *nl = strchr(line, '\n');
        if (nl == NULL) /* a file cut short is not a record */
            ok = 0;
        else {
            *nl = '\0';
            unsigned long long h;
            int used = 0;
            ok = sscanf(line, "file %16llx %n", &h, &used) == 1 && used > 0 &&
                 file_hash(line + used) == h;
            line = nl + 1;
        }
    }
    rl_buf_free(&b);
    return ok;
}

/* The files a -MMD dependency file lists (after "target:"), one "file HASH PATH" line each;
 * relative paths are taken from the case folder, where the compiler ran. */
static void add_dep_lines(const char *dfile, const char *case_dir, struct rl_buf *out)
{
    struct rl_buf d = {0};
    if (rl_read_file(dfile, 0, &d) != 0)
        return;
    const char *p = strstr(rl_buf_str(&d), ": ");
    struct rl_buf name = {0};
    for (p = p ? p + 2 : ""; *p;) {
        if (p[0] == '\\' && (p[1] == '\n' || p[1] == ' ')) {
            if (p[1] == ' ')
                rl_buf_append(&name, " ", 1);
            p += 2;
            continue;
        }
        if (*p != ' ' && *p != '\n' && *p != '\t') {
            rl_buf_append(&name, p++, 1);
            continue;
        }
        p++;
        if (name.len == 0)
            continue;
        char path[PATH_MAX * 2];
        snprintf(path, sizeof path, "%s%s%s", name.data[0] == '/' ? "" : case_dir,
                 name.data[0] == '/' ? "" : "/", name.data);
        add_fixture_line(path, out);
        name.len = 0;
        name.data[0] = '\0';
    }
    if (name.len) {
        char path[PATH_MAX * 2];
        snprintf(path, sizeof path, "%s%s%s", name.data[0] == '/' ? "" : case_dir,
                 name.data[0] == '/' ? "" : "/", name.data);
        add_fixture_line(path, out);
    }
    rl_buf_free(&name);
    rl_buf_free(&d);
}

/* argv of the compiler: a growable list of words. */
struct words {
    char **v;
    size_t n, cap;
    struct rl_buf store[8]; /* the strings the words point into */
    size_t n_store;
};

static void push(struct words *w, char *s)
{
    if (w->n + 2 > w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        char **v = realloc(w->v, w->cap * sizeof *v);
        if (v == NULL)
            abort();
        w->v = v;
    }
    w->v[w->n++] = s;
    w->v[w->n] = NULL;
}

/* Split a copy of flags at spaces into w (the copy lives as long as w). */
static void push_split(struct words *w, const char *flags)
{
    struct rl_buf *b = &w->store[w->n_store++];
    rl_buf_puts(b, flags);
    for (char *s = b->data, *save = NULL, *t; (t = strtok_r(s, " \t", &save)) != NULL; s = NULL)
        push(w, t);
}

static void words_free(struct words *w)
{
    for (size_t i = 0; i < w->n_store; i++)
        rl_buf_free(&w->store[i]);
    free(w->v);
}

static int absolute(const char *path, char *out, size_t len)
{
    if (path[0] == '/') {
        rl_strlcpy(out, path, len);
        return 0;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
        return -1;
    snprintf(out, len, "%s/%s", cwd, path);
    return 0;
}

/* Create the folder bin goes into. */
static int mkparents(const char *path)
{
    char dir[PATH_MAX];
    rl_strlcpy(dir, path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    return rl_mkdirs(dir);
}

/* A binary CMake owns: a configured case folder's, in this build's own bin folder. */
static int cmake_owns(const struct rl_build *b, const char *bin)
{
    size_t n = strlen(RACELAB_BIN_DIR);
    return b->cmake_built && strncmp(bin, RACELAB_BIN_DIR, n) == 0 && bin[n] == '/';
}

static int cmake_fresh(const char *bin, const char *src)
{
    return access(bin, X_OK) == 0 && newer_or_same(bin, src) &&
           !each_fixture(fixture_newer, (void *)bin);
}

/* A stale binary CMake owns is rebuilt by CMake (its target; for tsan-clang, the
 * ExternalProject that builds that flavor), one racelab at a time: ctest runs many. */
static int cmake_rebuild(const struct rl_build *b, const char *dir, const char *bin,
                         const char *src, char *err, size_t errlen)
{
    char lock_path[PATH_MAX], target[PATH_MAX], log[PATH_MAX + 100];
    snprintf(lock_path, sizeof lock_path, "%s/.racelab-build.lock", RACELAB_BUILD_DIR);
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0)
        flock(fd, LOCK_EX);      /* released when fd closes */
    if (cmake_fresh(bin, src)) { /* another racelab rebuilt it meanwhile */
        if (fd >= 0)
            close(fd);
        return 0;
    }
    if (strcmp(b->flavor, "tsan-clang") == 0)
        rl_strlcpy(target, "racelab_tsan_clang", sizeof target);
    else
        snprintf(target, sizeof target, "%s.%s.%s", b->flavor, strrchr(dir, '/') + 1, b->variant);
    char *argv[] = {RACELAB_CMAKE, "--build", RACELAB_BUILD_DIR, "--target", target, NULL};
    struct rl_spawn_opts so = {.argv = argv};
    struct rl_spawn_result r;
    int rc = rl_spawn(&so, &r);
    if (fd >= 0)
        close(fd);
    int ok = rc == 0 && r.exited && r.exit_code == 0 && cmake_fresh(bin, src);
    if (!ok) {
        snprintf(log, sizeof log, "%s.build-log", bin);
        rl_write_atomic_bytes(log, rl_buf_str(&r.out), r.out.len);
        snprintf(err, errlen,
                 "%s is older than its sources and cmake --build %s --target %s did "
                 "not make it anew (%s; its output is in %s)",
                 bin, RACELAB_BUILD_DIR, target, rc ? r.error : "it failed", log);
    }
    rl_spawn_result_free(&r);
    return ok ? 0 : -1;
}

int rl_build_variant(const struct rl_build *b, char *err, size_t errlen)
{
    char src[PATH_MAX + 80], dir[PATH_MAX], bin[PATH_MAX + 80];
    if (realpath(b->case_dir, dir) == NULL) {
        snprintf(err, errlen, "%s: %s", b->case_dir, strerror(errno));
        return -1;
    }
    snprintf(src, sizeof src, "%s/%s.c", dir, b->variant);
    if (access(src, R_OK) != 0) {
        snprintf(err, errlen, "no source %s", src);
        return -1;
    }
    if (absolute(b->bin, bin, sizeof bin) != 0) {
        snprintf(err, errlen, "cannot tell the current folder: %s", strerror(errno));
        return -1;
    }
    char epath[PATH_MAX + 16];
    snprintf(epath, sizeof epath, "%s/expect", dir);
    struct rl_expect e;
    if (rl_expect_load(epath, &e, err, errlen) != 0)
        return -1;
    rl_expect_free(&e);

    const char *cc = strcmp(b->flavor, "tsan-clang") == 0 ? RACELAB_CLANG : RACELAB_GCC;
    const char *extra = strcmp(b->flavor, "native") == 0 ? RACELAB_NATIVE_FLAGS
                                                         : RACELAB_TSAN_FLAGS
                            " " RACELAB_TSAN_LINK_FLAGS;
    /* everything but the files that goes into the build */
    uint64_t k = RL_HASH64_INIT;
    const char *parts[] = {b->flavor, cc,  RACELAB_COMMON_FLAGS, extra, e.cflags,
                           e.ldflags, dir, RACELAB_FIXTURES_DIR};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        k = rl_hash64(k, parts[i], strlen(parts[i]) + 1);
    char key[20], stamp[PATH_MAX + 100];
    snprintf(key, sizeof key, "%016llx", (unsigned long long)k);
    snprintf(stamp, sizeof stamp, "%s.inputs", bin);

    if (cmake_owns(b, bin))
        return cmake_fresh(bin, src) ? 0 : cmake_rebuild(b, dir, bin, src, err, errlen);
    /* a configured case under another --bin-dir: kept while newer than its sources */
    if (b->cmake_built ? cmake_fresh(bin, src) : access(bin, X_OK) == 0 && inputs_hold(stamp, key))
        return 0;
    if (cc[0] == '\0') {
        snprintf(err, errlen, "no compiler recorded for %s", b->flavor);
        return -1;
    }
    if (mkparents(bin) != 0) {
        snprintf(err, errlen, "cannot create the folder of %s: %s", bin, strerror(errno));
        return -1;
    }
    char tmp[PATH_MAX + 120], dfile[PATH_MAX + 130], log[PATH_MAX + 100];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", bin, (long)getpid());
    snprintf(dfile, sizeof dfile, "%s.d", tmp);
    snprintf(log, sizeof log, "%s.build-log", bin);

    struct words w = {0};
    char inc[PATH_MAX + 16];
    snprintf(inc, sizeof inc, "-I%s/include", RACELAB_FIXTURES_DIR);
    push(&w, (char *)cc);
    push_split(&w, RACELAB_COMMON_FLAGS);
    push_split(&w, extra);
    push_split(&w, e.cflags);
    push(&w, inc);
    /* the fixtures are a handful of small files: compile them along, the variant last, as
     * -MMD -MF lists the dependencies of the last source only */
    struct rl_buf fixtures = {0};
    char fdir[PATH_MAX];
    snprintf(fdir, sizeof fdir, "%s/src", RACELAB_FIXTURES_DIR);
    DIR *d = opendir(fdir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len > 2 && strcmp(de->d_name + len - 2, ".c") == 0)
            rl_buf_printf(&fixtures, "%s/%s ", fdir, de->d_name);
    }
    if (d)
        closedir(d);
    push_split(&w, rl_buf_str(&fixtures));
    rl_buf_free(&fixtures);
    push(&w, src);
    push(&w, "-MMD");
    push(&w, "-MF");
    push(&w, dfile);
    push(&w, "-o");
    push(&w, tmp);
    push_split(&w, e.ldflags);

    struct rl_spawn_opts so = {.argv = w.v, .cwd = dir, .timeout_s = 120};
    struct rl_spawn_result r;
    int rc = rl_spawn(&so, &r);
    words_free(&w);
    if (rc != 0 || !r.exited || r.exit_code != 0) {
        const char *msg = rc ? r.error : rl_buf_str(&r.err);
        FILE *f = fopen(log, "w");
        if (f) {
            fputs(msg, f);
            fclose(f);
        }
        int n = snprintf(err, errlen, "%s failed: %s", cc, msg);
        struct rl_buf note = {0};
        rl_buf_printf(&note, "\n... (cut here; the whole message is in %s)\n", log);
        if (n >= (int)errlen && note.len < errlen / 2) /* say where the rest is */
            memcpy(err + errlen - note.len - 1, note.data, note.len + 1);
        rl_buf_free(&note);
        rl_spawn_result_free(&r);
        unlink(tmp);
        unlink(dfile);
        return -1;
    }
    rl_spawn_result_free(&r);
    unlink(log);
    struct rl_buf rec = {0};
    rl_buf_printf(&rec, "racelab-inputs 1\nkey %s\n", key);
    add_dep_lines(dfile, dir, &rec);
    each_fixture(add_fixture_line, &rec);
    unlink(dfile);
    /* no record while the binary changes: a kept binary never has an older record */
    unlink(stamp);
    int kept = rename(tmp, bin) == 0 && rl_write_atomic_bytes(stamp, rec.data, rec.len) == 0;
    rl_buf_free(&rec);
    if (!kept) {
        snprintf(err, errlen, "cannot keep %s and its record %s: %s", bin, stamp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int rl_external_home(const char *const *dirs, int n, char *home, size_t len)
{
    unsigned long long h = RL_HASH64_INIT;
    int outside = 0;
    for (int i = 0; i < n; i++) {
        char real[PATH_MAX];
        outside |= !rl_dir_within(dirs[i], RACELAB_CASE_DIRS);
        if (realpath(dirs[i], real) != NULL)
            h = rl_hash64(h, real, strlen(real) + 1);
    }
    if (!outside)
        return 0;
    char name[256];
    rl_strlcpy(name, dirs[0], sizeof name);
    size_t end = strlen(name);
    while (end > 1 && name[end - 1] == '/')
        name[--end] = '\0';
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    snprintf(home, len, "%s/%.100s-%08llx", RACELAB_EXTERNAL_DIR, base, h & 0xffffffffu);
    return 1;
}
