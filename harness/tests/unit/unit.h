/* Helpers shared by racelab's cmocka unit tests: reading saved tool outputs from data/. */
#ifndef RACELAB_UNIT_H
#define RACELAB_UNIT_H

/* cmocka.h needs these four first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util.h"

#ifndef RL_TEST_DATA
#error "RL_TEST_DATA must name the unit tests' data folder"
#endif

/* Path of a file in the data folder. */
static inline const char *data_path(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", RL_TEST_DATA, name);
    return buf;
}

/* Read a data file whole; a missing file fails the test instead of parsing "". */
static inline void read_data(const char *name, struct rl_buf *out)
{
    char path[1024];
    memset(out, 0, sizeof *out);
    if (rl_read_file(data_path(name, path, sizeof path), 0, out) != 0)
        fail_msg("cannot read test data %s", path);
}

/* Does `s` start with `prefix`? Prints both on failure, unlike a bare strncmp. */
#define assert_prefix(s, prefix)                                                                   \
    do {                                                                                           \
        const char *s_ = (s), *p_ = (prefix);                                                      \
        if (strncmp(s_, p_, strlen(p_)) != 0)                                                      \
            fail_msg("\"%s\" does not start with \"%s\"", s_, p_);                                 \
    } while (0)

/* Does `s` contain `needle`? */
#define assert_contains(s, needle)                                                                 \
    do {                                                                                           \
        const char *s_ = (s), *n_ = (needle);                                                      \
        if (strstr(s_, n_) == NULL)                                                                \
            fail_msg("\"%s\" does not contain \"%s\"", s_, n_);                                    \
    } while (0)

#endif
