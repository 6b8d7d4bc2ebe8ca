#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void rl_grow(void *v, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return;
    size_t c = *cap ? *cap * 2 : first;
    void *p = realloc(*(void **)v, c * elem);
    if (p == NULL) {
        fputs("racelab: out of memory\n", stderr);
        abort();
    }
    *(void **)v = p;
    *cap = c;
}

int rl_name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

void rl_strlcpyn(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#include "racelab/protocol.h"

static void grow(struct rl_buf *b, size_t need)
{
    if (b->len + need + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + need + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        fputs("racelab: out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void rl_buf_append(struct rl_buf *b, const char *s, size_t n)
{
    grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rl_buf_append_capped(struct rl_buf *b, size_t cap, size_t *dropped, const char *s, size_t n)
{
    size_t room = b->len < cap ? cap - b->len : 0;
    size_t take = n < room ? n : room;
    if (take)
        rl_buf_append(b, s, take);
    *dropped += n - take;
}

void rl_buf_puts(struct rl_buf *b, const char *s)
{
    rl_buf_append(b, s, strlen(s));
}

void rl_buf_printf(struct rl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rl_buf_free(struct rl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

const char *rl_buf_str(const struct rl_buf *b)
{
    return b->data ? b->data : "";
}

/* Read path into out, at most limit bytes (0: no limit). whole: more than that is EFBIG. */
static int read_file(const char *path, size_t limit, int whole, struct rl_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t start = out->len;
    char chunk[8192];
    size_t n;
    int too_big = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (limit && out->len - start + n > limit) {
            too_big = whole;
            if (!whole)
                rl_buf_append(out, chunk, limit - (out->len - start));
            break;
        }
        rl_buf_append(out, chunk, n);
    }
    int err = ferror(f);
    fclose(f);
    if (err || too_big) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
        errno = too_big ? EFBIG : EIO;
        return -1;
    }
    if (out->data == NULL)
        rl_buf_append(out, "", 0);
    return 0;
}

int rl_read_file(const char *path, size_t limit, struct rl_buf *out)
{
    return read_file(path, limit, 0, out);
}

int rl_read_file_whole(const char *path, size_t limit, struct rl_buf *out)
{
    return read_file(path, limit, 1, out);
}

void rl_xsnprintf(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(dst, size, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "racelab: internal error: %d bytes do not fit a buffer of %zu: '%.80s...'\n",
                n, size, size ? dst : "");
        abort();
    }
}

void rl_strlcpy(char *dst, const char *src, size_t size)
{
    if (size == 0)
        return;
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

char *rl_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

char *rl_path_join(const char *a, const char *b, const char *c)
{
    struct rl_buf p = {0};
    rl_buf_printf(&p, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
    return p.data;
}

int rl_mkdirs(const char *path)
{
    char *buf = strdup(path);
    if (buf == NULL)
        return -1;
    int rc = 0;
    for (char *p = buf + 1; *p && rc == 0; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                rc = -1;
            *p = '/';
        }
    }
    if (rc == 0 && mkdir(buf, 0755) != 0 && errno != EEXIST)
        rc = -1;
    int saved = errno;
    free(buf);
    errno = saved;
    return rc;
}

/* Length of the leading component of p (p does not start with '/'). */
static size_t component(const char *p)
{
    const char *slash = strchr(p, '/');
    return slash ? (size_t)(slash - p) : strlen(p);
}

int rl_path_relative(const char *from, const char *to, char *out, size_t len)
{
    if (from[0] != '/' || to[0] != '/' || len == 0)
        return -1;
    /* skip the components both share */
    const char *f = from, *t = to;
    for (;;) {
        while (*f == '/')
            f++;
        while (*t == '/')
            t++;
        size_t nf = component(f), nt = component(t);
        if (nf == 0 || nf != nt || strncmp(f, t, nf) != 0)
            break;
        f += nf;
        t += nt;
    }
    struct rl_buf b = {0};
    while (*f) { /* one ".." per component left in from */
        rl_buf_puts(&b, b.len ? "/.." : "..");
        f += component(f);
        while (*f == '/')
            f++;
    }
    if (*t)
        rl_buf_printf(&b, "%s%s", b.len ? "/" : "", t);
    if (!b.len)
        rl_buf_puts(&b, ".");
    int fits = b.len < len;
    if (fits)
        memcpy(out, b.data, b.len + 1);
    rl_buf_free(&b);
    return fits ? 0 : -1;
}

double rl_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned long long rl_hash64(unsigned long long h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

int rl_find_tagged_line(const char *text, const char *const *marks, char *line, size_t len)
{
    for (const char *p = text; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        if (s[0] == '=' && s[1] == '=') {
            const char *d = s + 2;
            while (*d >= '0' && *d <= '9')
                d++;
            if (d > s + 2 && d[0] == '=' && d[1] == '=')
                s = d + 2;
        }
        while (*s == ' ' || *s == '\t')
            s++;
        for (const char *const *m = marks; *m; m++) {
            size_t k = strlen(*m);
            if ((size_t)(s - p) + k <= n && strncmp(s, *m, k) == 0) {
                size_t copy = n < len - 1 ? n : len - 1;
                memcpy(line, p, copy);
                line[copy] = '\0';
                return 1;
            }
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int rl_run_token(char *out, size_t len)
{
    unsigned char raw[RL_PROTO_TOKEN_LEN / 2];
    size_t got = 0;
    if (len < RL_PROTO_TOKEN_LEN + 1) {
        errno = ENOBUFS;
        return -1;
    }
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

int rl_write_atomic(const char *path, int (*write)(FILE *f, void *arg), void *arg)
{
    struct rl_buf tmp = {0};
    rl_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    errno = 0;
    FILE *f = fopen(tmp.data, "w");
    if (f == NULL) {
        rl_buf_free(&tmp);
        return -1;
    }
    int bad = write(f, arg) != 0;
    bad |= ferror(f) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp.data, path) != 0) {
        int saved = errno;
        unlink(tmp.data);
        rl_buf_free(&tmp);
        errno = saved;
        return -1;
    }
    rl_buf_free(&tmp);
    return 0;
}

struct bytes {
    const void *data;
    size_t len;
};

static int write_bytes(FILE *f, void *arg)
{
    const struct bytes *b = arg;
    return fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
}

int rl_write_atomic_bytes(const char *path, const void *data, size_t len)
{
    struct bytes b = {data, len};
    return rl_write_atomic(path, write_bytes, &b);
}
