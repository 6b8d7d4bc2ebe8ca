/* Small helpers shared by the harness modules: a growable string and file reading. */
#ifndef RACELAB_UTIL_H
#define RACELAB_UTIL_H

#include <stddef.h>

/* A growable, always NUL-terminated byte string. */
struct rl_buf {
    char *data;
    size_t len, cap;
};

void rl_buf_append(struct rl_buf *b, const char *s, size_t n);
void rl_buf_puts(struct rl_buf *b, const char *s);
void rl_buf_printf(struct rl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rl_buf_free(struct rl_buf *b);
const char *rl_buf_str(const struct rl_buf *b); /* "" when empty */

/* Read a whole file (at most `limit` bytes; 0 = no limit). Returns 0 or -1 with errno. */
int rl_read_file(const char *path, size_t limit, struct rl_buf *out);

/* Copy with truncation, always NUL-terminated. */
void rl_strlcpy(char *dst, const char *src, size_t size);

/* mkdir -p: create path and its missing parents (0755). Returns 0 or -1 with errno. */
int rl_mkdirs(const char *path);

/* Seconds on the monotonic clock. */
double rl_now_s(void);

/* Trim leading and trailing white space in place; returns the trimmed start. */
char *rl_trim(char *s);

#endif
