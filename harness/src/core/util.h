/* Small helpers shared by the harness modules: a growable string, reading a file whole,
 * writing one whole or not at all, and the random run token that authenticates a
 * detector's channel. */
#ifndef RACELAB_UTIL_H
#define RACELAB_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* A growable, always NUL-terminated byte string. */
struct rl_buf {
    char *data;
    size_t len, cap;
};

void rl_buf_append(struct rl_buf *b, const char *s, size_t n);
/* Append what fits under `cap` bytes in all; count the rest in *dropped. */
void rl_buf_append_capped(struct rl_buf *b, size_t cap, size_t *dropped, const char *s, size_t n);
void rl_buf_puts(struct rl_buf *b, const char *s);
void rl_buf_printf(struct rl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rl_buf_free(struct rl_buf *b);
const char *rl_buf_str(const struct rl_buf *b); /* "" when empty */

/* Read a file's first `limit` bytes (0 = no limit): for output kept as an excerpt, whose
 * cut the caller says. Returns 0 or -1 with errno. */
int rl_read_file(const char *path, size_t limit, struct rl_buf *out);
/* Read a whole file that must be read whole: -1 with errno EFBIG when it holds more than
 * `limit` bytes (nothing of it is kept then), else as rl_read_file. */
int rl_read_file_whole(const char *path, size_t limit, struct rl_buf *out);

/* Write a file whole or not at all: write(f, arg) fills PATH.tmp.PID, which is then renamed
 * over path, so a reader sees the old file or the new one, never half of one. When write
 * returns nonzero, the stream has an error, or closing or renaming fails, path is left as
 * it was and the temporary file is removed. Returns 0, or -1 with errno (0 when the writer
 * itself failed without one). The one place racelab writes a file that others read while
 * it runs: verdicts, the last-matrix manifest, build records and the report files. */
int rl_write_atomic(const char *path, int (*write)(FILE *f, void *arg), void *arg);
/* The same for bytes already in memory. */
int rl_write_atomic_bytes(const char *path, const void *data, size_t len);

/* Copy with truncation, always NUL-terminated: only for text shown to people. */
void rl_strlcpy(char *dst, const char *src, size_t size);
/* The same for the first n bytes of src (a field of a longer line). */
void rl_strlcpyn(char *dst, size_t size, const char *src, size_t n);

/* Make room for one more element in a growable array (*v, *cap elements of elem bytes,
 * n used): doubles it, starting at `first`. Out of memory ends racelab (abort), loudly. */
void rl_grow(void *v, size_t *cap, size_t n, size_t elem, size_t first);

/* The index of s in names[0..n), or -1. */
int rl_name_index(const char *const *names, int n, const char *s);

/* snprintf for text whose size the program bounds (a path under a checked folder, a fixed
 * word): a result that does not fit is a bug, so it aborts, naming the buffer's size and
 * the text's start, instead of cutting. Never for text the user decides the length of. */
void rl_xsnprintf(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "a/b" or "a/b/c" (c may be NULL), malloc'd: a path of any length. */
char *rl_path_join(const char *a, const char *b, const char *c);

/* mkdir -p: create path and its missing parents (0755). Returns 0 or -1 with errno. */
int rl_mkdirs(const char *path);

/* The path of `to` as seen from the folder `from`, both absolute and without "." or ".."
 * parts (realpath's): "../runs/x" for /a/report and /a/runs/x, "." for the folder itself.
 * Returns 0, or -1 when either is not absolute or the result does not fit in len. */
int rl_path_relative(const char *from, const char *to, char *out, size_t len);

/* FNV-1a, 64 bits, continuing from h (start with RL_HASH64_INIT): a change detector for
 * build inputs and folder names, not a defence against forged inputs. */
#define RL_HASH64_INIT 0xcbf29ce484222325ull
unsigned long long rl_hash64(unsigned long long h, const void *data, size_t n);

/* A fresh run token: RL_PROTO_TOKEN_LEN lowercase hex digits from getrandom(2), in `out`
 * (at least RL_PROTO_TOKEN_LEN + 1 bytes). 0, or -1 with errno: never a guessable token. */
int rl_run_token(char *out, size_t len);

/* Seconds on the monotonic clock. */
double rl_now_s(void);

/* Trim leading and trailing white space in place; returns the trimmed start. */
char *rl_trim(char *s);

/* The first line of `text` that begins, after an optional "==PID==" tag and blanks, with one
 * of `marks` (a NULL-terminated list): copied, cut to fit, into `line`. 1 when found, else 0.
 * How a detector's runtime announces that it is dying. */
int rl_find_tagged_line(const char *text, const char *const *marks, char *line, size_t len);

#endif
