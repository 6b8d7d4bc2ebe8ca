/* build: make sure a variant's binary for a flavor exists and is newer than its source.
 * CMake builds every case it knows; this builds the others (racelab --cases DIR) with the
 * same compilers and flags, recorded in config.h at configure time. */
#ifndef RACELAB_BUILD_H
#define RACELAB_BUILD_H

#include <stddef.h>

int rl_build_variant(const char *flavor, const char *src, const char *bin, char *err,
                     size_t errlen);

#endif
