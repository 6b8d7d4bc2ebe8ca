/* build: make sure a variant's binary for a flavor is the program its case folder holds now.
 * Each binary has one owner, which alone writes it:
 *
 * - CMake owns the binaries of the configured case folders in this build's bin/ (gcc
 *   builds native and tsan-gcc, an ExternalProject builds tsan-clang). racelab never
 *   compiles them: when one is missing or older than its source or a fixture file, racelab
 *   has CMake rebuild it (cmake --build BUILD --target FLAVOR.CASE.VARIANT, or the
 *   racelab_tsan_clang ExternalProject), one racelab at a time (a lock file in the build),
 *   and a binary still stale after that is an error, never run. CMake tracks the rest
 *   (headers, flags) when it builds.
 * - racelab owns every other binary: case folders CMake does not build (racelab --cases
 *   DIR), and any binary outside this build's bin/ (--bin-dir; one of a configured case
 *   there is kept while it is newer than its source and the fixtures). It builds them with the
 *   compilers and flags recorded in config.h at configure time, plus the case's own
 *   cflags:/ldflags: from its expect header, running the compiler in the case folder (so
 *   relative paths in those flags are relative to it). Such a binary is kept only while
 *   BIN.inputs, written with it, still holds: the same key (flavor, compiler, every flag,
 *   the case folder's real path) and the same contents of every file the compiler read for
 *   the variant (its -MMD list: the source and the headers beside it or elsewhere) and of
 *   every fixture file. So two folders with one name, or an edited header, never reuse a
 *   binary. */
#ifndef RACELAB_BUILD_H
#define RACELAB_BUILD_H

#include <stddef.h>

struct rl_build {
    const char *flavor;   /* native | tsan-clang | tsan-gcc */
    const char *case_dir; /* the case folder; its expect gives cflags/ldflags */
    const char *variant;  /* case_dir/<variant>.c */
    const char *bin;      /* where the binary goes */
    int cmake_built;      /* a configured case folder: CMake builds and tracks it */
};

/* 0 when bin is up to date or was built; -1 with the reason (the compiler's own message
 * when it failed) in err. */
int rl_build_variant(const struct rl_build *b, char *err, size_t errlen);

/* Case folders CMake does not build (--cases outside the configured ones) keep binaries and
 * runs apart from the build's own: returns 1 and home = <build>/external/<first folder's
 * name>-<hash of the folders' real paths> when one of dirs is such a folder, else 0. */
int rl_external_home(const char *const *dirs, int n, char *home, size_t len);

#endif
