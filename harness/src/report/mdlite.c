#include "mdlite.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

static void esc_n(struct rl_buf *out, const char *s, size_t n)
{
    struct rl_buf tmp = {0};
    rl_buf_append(&tmp, s, n);
    rl_xml_escape(out, rl_buf_str(&tmp));
    rl_buf_free(&tmp);
}

static const char *find_n(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

void rl_md_inline_html(const char *s, size_t n, struct rl_buf *out)
{
    size_t i = 0, text = 0; /* s[text..i) is plain text not yet written */
    while (i < n) {
        if (s[i] == '`') {
            size_t k = 0;
            while (i + k < n && s[i + k] == '`')
                k++;
            /* the closing run: exactly k backticks */
            size_t j = i + k;
            const char *close = NULL;
            while (j < n) {
                if (s[j] != '`') {
                    j++;
                    continue;
                }
                size_t m = 0;
                while (j + m < n && s[j + m] == '`')
                    m++;
                if (m == k) {
                    close = s + j;
                    break;
                }
                j += m;
            }
            if (close == NULL) {
                i += k;
                continue;
            }
            esc_n(out, s + text, i - text);
            const char *c = s + i + k;
            size_t len = (size_t)(close - c);
            if (len >= 2 && c[0] == ' ' && c[len - 1] == ' ')
                c++, len -= 2;
            rl_buf_puts(out, "<code>");
            esc_n(out, c, len);
            rl_buf_puts(out, "</code>");
            i = text = (size_t)(close - s) + k;
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
            const char *close = find_n(s + i + 2, n - i - 2, "**");
            if (close == NULL || close == s + i + 2) {
                i += 2;
                continue;
            }
            esc_n(out, s + text, i - text);
            rl_buf_puts(out, "<strong>");
            rl_md_inline_html(s + i + 2, (size_t)(close - s) - i - 2, out);
            rl_buf_puts(out, "</strong>");
            i = text = (size_t)(close - s) + 2;
        } else if (s[i] == '*' && i + 2 < n && s[i + 1] != ' ' && s[i + 1] != '*') {
            /* *emphasis*: the closing star follows a non-space */
            size_t j = i + 2;
            while (j < n && !(s[j] == '*' && s[j - 1] != ' '))
                j++;
            if (j >= n) {
                i++;
                continue;
            }
            esc_n(out, s + text, i - text);
            rl_buf_puts(out, "<em>");
            rl_md_inline_html(s + i + 1, j - i - 1, out);
            rl_buf_puts(out, "</em>");
            i = text = j + 1;
        } else if (s[i] == '[') {
            const char *mid = find_n(s + i, n - i, "](");
            const char *end = mid ? memchr(mid + 2, ')', n - (size_t)(mid + 2 - s)) : NULL;
            if (end == NULL || memchr(s + i + 1, ']', (size_t)(mid - s) - i - 1)) {
                i++;
                continue;
            }
            esc_n(out, s + text, i - text);
            const char *url = mid + 2;
            size_t url_len = (size_t)(end - url);
            int web = (url_len > 7 && strncmp(url, "http://", 7) == 0) ||
                      (url_len > 8 && strncmp(url, "https://", 8) == 0);
            if (web) {
                struct rl_buf u = {0};
                rl_buf_append(&u, url, url_len);
                rl_buf_puts(out, "<a href=\"");
                rl_xml_escape_attr(out, rl_buf_str(&u));
                rl_buf_puts(out, "\">");
                rl_buf_free(&u);
            }
            rl_md_inline_html(s + i + 1, (size_t)(mid - s) - i - 1, out);
            if (web)
                rl_buf_puts(out, "</a>");
            i = text = (size_t)(end - s) + 1;
        } else if (s[i] == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
            esc_n(out, s + text, i - text);
            esc_n(out, s + i + 1, 1);
            i += 2;
            text = i;
        } else {
            i++;
        }
    }
    esc_n(out, s + text, n - text);
}

enum block { B_NONE, B_PARA, B_UL, B_OL, B_TABLE };

struct md {
    struct rl_buf *out;
    enum block block;
    int table_rows;
};

static void close_block(struct md *m)
{
    static const char *const end[] = {"", "</p>\n", "</li></ul>\n", "</li></ol>\n",
                                      "</tbody></table>\n"};
    rl_buf_puts(m->out, end[m->block]);
    m->block = B_NONE;
}

static size_t indent_of(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* A list item's marker: returns the length of indentation + marker + space, or 0. */
static size_t list_marker(const char *s, size_t n, enum block *kind)
{
    size_t i = indent_of(s, n);
    if (i > 3 || i >= n)
        return 0;
    if ((s[i] == '-' || s[i] == '*' || s[i] == '+') && i + 1 < n && s[i + 1] == ' ') {
        *kind = B_UL;
        return i + 2;
    }
    size_t d = i;
    while (d < n && isdigit((unsigned char)s[d]))
        d++;
    if (d > i && d - i <= 9 && d + 1 < n && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ') {
        *kind = B_OL;
        return d + 2;
    }
    return 0;
}

static int is_table_separator(const char *s, size_t n)
{
    int dash = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-')
            dash = 1;
        else if (!strchr("|: \t", s[i]))
            return 0;
    }
    return dash;
}

static void table_row(struct md *m, const char *s, size_t n)
{
    /* drop the outer pipes, split on the unescaped ones */
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n && s[0] == '|')
        s++, n--;
    if (n && s[n - 1] == '|' && !(n > 1 && s[n - 2] == '\\'))
        n--;
    const char *tag = m->table_rows == 0 ? "th" : "td";
    rl_buf_puts(m->out, m->table_rows == 0 ? "<thead><tr>" : "<tr>");
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && (s[i] != '|' || (i > 0 && s[i - 1] == '\\')))
            continue;
        size_t a = start, b = i;
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        rl_buf_printf(m->out, "<%s>", tag);
        rl_md_inline_html(s + a, b - a, m->out);
        rl_buf_printf(m->out, "</%s>", tag);
        start = i + 1;
    }
    rl_buf_puts(m->out, m->table_rows == 0 ? "</tr></thead><tbody>\n" : "</tr>\n");
    m->table_rows++;
}

void rl_md_to_html(const char *md, int heading_shift, struct rl_buf *out)
{
    struct md m = {out, B_NONE, 0};
    char fence[16] = ""; /* inside a fenced code block: its opening fence */
    for (const char *line = md; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        const char *next = nl ? nl + 1 : NULL;
        if (n && line[n - 1] == '\r')
            n--;
        size_t ind = indent_of(line, n);
        const char *t = line + ind; /* the line without its indentation */
        size_t tn = n - ind;

        if (fence[0]) {
            if (ind <= 3 && tn >= strlen(fence) && strncmp(t, fence, strlen(fence)) == 0 &&
                strspn(t, fence[0] == '`' ? "`" : "~") == tn) {
                rl_buf_puts(out, "</code></pre>\n");
                fence[0] = '\0';
            } else {
                esc_n(out, line, n);
                rl_buf_puts(out, "\n");
            }
            line = next;
            continue;
        }
        enum block kind = B_NONE;
        size_t marker = list_marker(line, n, &kind);
        if (tn == 0) {
            close_block(&m);
        } else if (ind <= 3 && tn >= 3 &&
                   (strncmp(t, "```", 3) == 0 || strncmp(t, "~~~", 3) == 0)) {
            close_block(&m);
            size_t k = strspn(t, t[0] == '`' ? "`" : "~");
            if (k >= sizeof fence)
                k = sizeof fence - 1;
            memcpy(fence, t, k);
            fence[k] = '\0';
            rl_buf_puts(out, "<pre><code>");
        } else if (ind <= 3 && t[0] == '#' && strspn(t, "#") <= 6 &&
                   (tn == strspn(t, "#") || t[strspn(t, "#")] == ' ')) {
            close_block(&m);
            size_t level = strspn(t, "#");
            int h = (int)level + heading_shift;
            h = h < 1 ? 1 : h > 6 ? 6 : h;
            size_t a = level;
            while (a < tn && t[a] == ' ')
                a++;
            size_t b = tn;
            while (b > a && (t[b - 1] == '#' || t[b - 1] == ' '))
                b--;
            rl_buf_printf(out, "<h%d>", h);
            rl_md_inline_html(t + a, b - a, out);
            rl_buf_printf(out, "</h%d>\n", h);
        } else if (marker) {
            if (m.block != kind) {
                close_block(&m);
                rl_buf_puts(out, kind == B_UL ? "<ul><li>" : "<ol><li>");
                m.block = kind;
            } else {
                rl_buf_puts(out, "</li><li>");
            }
            rl_md_inline_html(line + marker, n - marker, out);
        } else if ((m.block == B_UL || m.block == B_OL)) {
            rl_buf_puts(out, "\n"); /* a continuation of the item */
            rl_md_inline_html(t, tn, out);
        } else if (ind <= 3 && t[0] == '|') {
            if (m.block != B_TABLE) {
                close_block(&m);
                rl_buf_puts(out, "<table>");
                m.block = B_TABLE;
                m.table_rows = 0;
            }
            if (!(m.table_rows == 1 && is_table_separator(t, tn)))
                table_row(&m, t, tn);
        } else if (m.block == B_PARA) {
            rl_buf_puts(out, "\n");
            rl_md_inline_html(t, tn, out);
        } else {
            close_block(&m);
            rl_buf_puts(out, "<p>");
            m.block = B_PARA;
            rl_md_inline_html(t, tn, out);
        }
        line = next;
    }
    if (fence[0])
        rl_buf_puts(out, "</code></pre>\n");
    close_block(&m);
}
