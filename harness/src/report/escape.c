#include "escape.h"

#include <stdio.h>
#include <string.h>

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Decode one UTF-8 character at s: its code point, or -1 for an invalid sequence (overlong,
 * surrogate, beyond U+10FFFF, truncated). *len receives the bytes consumed (1 when invalid,
 * so decoding resynchronises on the next byte). */
static long utf8_next(const unsigned char *s, size_t *len)
{
    unsigned char c = s[0];
    *len = 1;
    if (c < 0x80)
        return c;
    int n;
    long cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = (size_t)n + 1;
    return cp;
}

void rl_utf8_clean(struct rl_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n;
        if (utf8_next(p, &n) < 0)
            rl_buf_puts(out, REPLACEMENT);
        else
            rl_buf_append(out, (const char *)p, n);
        p += n;
    }
}

static void xml_escape(struct rl_buf *out, const char *s, int attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n;
        long cp = utf8_next(p, &n);
        const char *rep = NULL;
        switch (cp) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\t':
            rep = attr ? "&#9;" : "\t";
            break;
        case '\n':
            rep = attr ? "&#10;" : "\n";
            break;
        case '\r':
            rep = attr ? "&#13;" : "\r";
            break;
        default:
            if (cp < 0 || cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF)
                rep = REPLACEMENT;
        }
        if (rep)
            rl_buf_puts(out, rep);
        else
            rl_buf_append(out, (const char *)p, n);
        p += n;
    }
}

void rl_xml_escape(struct rl_buf *out, const char *s)
{
    xml_escape(out, s, 0);
}

void rl_xml_escape_attr(struct rl_buf *out, const char *s)
{
    xml_escape(out, s, 1);
}

void rl_md_escape(struct rl_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n;
        long cp = utf8_next(p, &n);
        if (cp < 0) {
            rl_buf_puts(out, REPLACEMENT);
        } else if (cp == '\n' || cp == '\r' || cp == '\t') {
            rl_buf_puts(out, " ");
        } else if (cp < 0x20) {
            rl_buf_puts(out, REPLACEMENT);
        } else if (cp < 0x80 && strchr("`*_[]<>|~&\\#!", (int)cp)) {
            char esc[3] = {'\\', (char)cp, '\0'};
            rl_buf_puts(out, esc);
        } else {
            rl_buf_append(out, (const char *)p, n);
        }
        p += n;
    }
}

void rl_md_fence(const char *s, struct rl_buf *fence)
{
    size_t longest = 0, run = 0;
    for (; *s; s++) {
        run = *s == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (size_t n = longest + 1 > 3 ? longest + 1 : 3; n > 0; n--)
        rl_buf_puts(fence, "`");
}

void rl_visible(struct rl_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n;
        long cp = utf8_next(p, &n);
        if (cp == '\t' || cp == '\n') {
            rl_buf_append(out, (const char *)p, n);
        } else if (cp >= 0 && (cp < 0x20 || cp == 0x7F)) {
            /* U+2400 + code, U+2421 for DEL: E2 90 80+code, E2 90 A1 */
            char pic[4] = {'\xE2', '\x90', (char)(cp == 0x7F ? 0xA1 : 0x80 + cp), '\0'};
            rl_buf_puts(out, pic);
        } else if (cp < 0 || (cp >= 0x80 && cp < 0xA0)) {
            rl_buf_puts(out, REPLACEMENT);
        } else {
            rl_buf_append(out, (const char *)p, n);
        }
        p += n;
    }
}

void rl_fputs_visible(const char *s, FILE *f)
{
    struct rl_buf b = {0};
    rl_visible(&b, s);
    fputs(rl_buf_str(&b), f);
    rl_buf_free(&b);
}

void rl_uri_path(struct rl_buf *out, const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            rl_buf_append(out, (const char *)p, 1);
        } else {
            char pct[4];
            snprintf(pct, sizeof pct, "%%%02X", *p);
            rl_buf_puts(out, pct);
        }
    }
}
