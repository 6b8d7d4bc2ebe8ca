#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "spawn.h"
#include "util.h"

enum { MAX_ARGS = 96 };

static int newer_or_same(const char *bin, const char *src)
{
    struct stat b, s;
    if (stat(bin, &b) != 0 || stat(src, &s) != 0)
        return 0;
    return b.st_mtim.tv_sec > s.st_mtim.tv_sec ||
           (b.st_mtim.tv_sec == s.st_mtim.tv_sec && b.st_mtim.tv_nsec >= s.st_mtim.tv_nsec);
}

/* Is any fixture source or header newer than bin? (They are compiled into every variant.) */
static int fixtures_newer(const char *bin)
{
    static const char *const dirs[] = {"src", "include/racelab"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char dir[1100];
        snprintf(dir, sizeof dir, "%s/%s", RACELAB_FIXTURES_DIR, dirs[i]);
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (e->d_name[0] != '.' && !newer_or_same(bin, path)) {
                closedir(d);
                return 1;
            }
        }
        if (d)
            closedir(d);
    }
    return 0;
}

static void split_into(char *flags, char **argv, int *n)
{
    for (char *w = strtok(flags, " "); w && *n < MAX_ARGS - 8; w = strtok(NULL, " "))
        argv[(*n)++] = w;
}

/* Create the folder bin goes into. */
static int mkparents(const char *path)
{
    char dir[1024];
    rl_strlcpy(dir, path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    return rl_mkdirs(dir);
}

int rl_build_variant(const char *flavor, const char *src, const char *bin, char *err, size_t errlen)
{
    if (access(src, R_OK) != 0) {
        snprintf(err, errlen, "no source %s", src);
        return -1;
    }
    if (newer_or_same(bin, src) && !fixtures_newer(bin))
        return 0;
    const char *cc = strcmp(flavor, "tsan-clang") == 0 ? RACELAB_CLANG : RACELAB_GCC;
    if (cc[0] == '\0') {
        snprintf(err, errlen, "no compiler recorded for %s", flavor);
        return -1;
    }
    if (mkparents(bin) != 0) {
        snprintf(err, errlen, "cannot create the folder of %s: %s", bin, strerror(errno));
        return -1;
    }
    char common[1024], extra[1024], inc[1100], tmp[1100];
    rl_strlcpy(common, RACELAB_COMMON_FLAGS, sizeof common);
    snprintf(extra, sizeof extra, "%s",
             strcmp(flavor, "native") == 0 ? RACELAB_NATIVE_FLAGS
                                           : RACELAB_TSAN_FLAGS " " RACELAB_TSAN_LINK_FLAGS);
    snprintf(inc, sizeof inc, "-I%s/include", RACELAB_FIXTURES_DIR);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", bin, (long)getpid());

    char *argv[MAX_ARGS];
    int n = 0;
    argv[n++] = (char *)cc;
    split_into(common, argv, &n);
    split_into(extra, argv, &n);
    argv[n++] = inc;
    argv[n++] = (char *)src;
    /* the fixtures are a handful of small files: compile them along */
    char fixture_paths[16][1400];
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/src", RACELAB_FIXTURES_DIR);
    DIR *d = opendir(dir);
    int nf = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && nf < 16) {
        size_t len = strlen(e->d_name);
        if (len > 2 && strcmp(e->d_name + len - 2, ".c") == 0) {
            snprintf(fixture_paths[nf], sizeof fixture_paths[nf], "%s/%s", dir, e->d_name);
            argv[n++] = fixture_paths[nf++];
        }
    }
    if (d)
        closedir(d);
    argv[n++] = "-o";
    argv[n++] = tmp;
    argv[n] = NULL;

    struct rl_spawn_opts so = {.argv = argv, .timeout_s = 120};
    struct rl_spawn_result r;
    int rc = rl_spawn(&so, &r);
    if (rc != 0 || !r.exited || r.exit_code != 0) {
        snprintf(err, errlen, "%s failed: %s", cc, rc ? r.error : rl_buf_str(&r.err));
        rl_spawn_result_free(&r);
        unlink(tmp);
        return -1;
    }
    rl_spawn_result_free(&r);
    if (rename(tmp, bin) != 0) {
        snprintf(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
