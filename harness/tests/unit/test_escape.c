/* Unit tests of escape.h (XML/HTML, Markdown and URI escaping of untrusted text), markdown.h
 * (the README renderer of the report page) and timeline.h (the racelab-timeline lines). */
#include "unit.h"

#include <stdlib.h>

#include "escape.h"
#include "markdown.h"
#include "timeline.h"

static char *xml(const char *s, int attr)
{
    static struct rl_buf b;
    rl_buf_free(&b);
    if (attr)
        rl_xml_escape_attr(&b, s);
    else
        rl_xml_escape(&b, s);
    return b.data ? b.data : "";
}

static void test_xml_specials(void **state)
{
    (void)state;
    assert_string_equal(xml("a<b>&\"c'", 0), "a&lt;b&gt;&amp;&quot;c&#39;");
    assert_string_equal(xml("", 0), "");
    assert_string_equal(xml("plain text", 0), "plain text");
    /* line breaks survive in text; in attributes they become references */
    assert_string_equal(xml("a\nb\tc\r", 0), "a\nb\tc\r");
    assert_string_equal(xml("a\nb\tc\r", 1), "a&#10;b&#9;c&#13;");
}

static void test_xml_forbidden_characters(void **state)
{
    (void)state;
    /* C0 controls other than tab/newline/return are not XML 1.0 characters at all */
    assert_string_equal(xml("x\x01y\x1b[0m", 0), "x\xEF\xBF\xBDy\xEF\xBF\xBD[0m");
    /* U+FFFE is not a character either */
    assert_string_equal(xml("\xEF\xBF\xBE", 0), "\xEF\xBF\xBD");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* valid multibyte text passes unchanged */
    assert_string_equal(xml("caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80", 0),
                        "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80");
    /* a stray continuation byte, a truncated sequence, an overlong '/', a surrogate */
    assert_string_equal(xml("a\x80"
                            "b",
                            0),
                        "a\xEF\xBF\xBD"
                        "b");
    assert_string_equal(xml("a\xE2\x9C", 0), "a\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(xml("\xC0\xAF", 0), "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(xml("\xED\xA0\x80", 0), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    struct rl_buf b = {0};
    rl_utf8_clean(&b, "ok\xFF<");
    assert_string_equal(rl_buf_str(&b), "ok\xEF\xBF\xBD<");
    rl_buf_free(&b);
}

static void test_md_escape(void **state)
{
    (void)state;
    struct rl_buf b = {0};
    rl_md_escape(&b, "starved|inconclusive *a* _b_ <script> `x` [l](u) #1\nnext");
    assert_string_equal(rl_buf_str(&b), "starved\\|inconclusive \\*a\\* \\_b\\_ \\<script\\> "
                                        "\\`x\\` \\[l\\](u) \\#1 next");
    rl_buf_free(&b);
    rl_md_fence("no backticks", &b);
    assert_string_equal(rl_buf_str(&b), "```");
    b.len = 0;
    rl_md_fence("a ```` run of four", &b);
    assert_string_equal(rl_buf_str(&b), "`````");
    b.len = 0;
    /* no cap: a run of 200 gets a fence of 201 */
    char run[256];
    memset(run, '`', 200);
    run[200] = '\0';
    rl_md_fence(run, &b);
    assert_int_equal(b.len, 201);
    assert_int_equal(strspn(rl_buf_str(&b), "`"), 201);
    rl_buf_free(&b);
}

static void test_visible(void **state)
{
    (void)state;
    struct rl_buf b = {0};
    /* C0 controls become their control pictures (U+2400 + code), DEL U+2421; tab and newline
     * stay; C1 controls and invalid bytes become U+FFFD; other text passes */
    rl_visible(&b, "a\x1b[2J\x07\rb\tc\nd\x7f\xC2\x9B\xFF caf\xC3\xA9");
    assert_string_equal(rl_buf_str(&b), "a\xE2\x90\x9B[2J\xE2\x90\x87\xE2\x90\x8D"
                                        "b\tc\nd\xE2\x90\xA1\xEF\xBF\xBD\xEF\xBF\xBD caf\xC3\xA9");
    rl_buf_free(&b);
}

static void test_uri_path(void **state)
{
    (void)state;
    struct rl_buf b = {0};
    rl_uri_path(&b, "cases/shared_counter/unsafe.c");
    assert_string_equal(rl_buf_str(&b), "cases/shared_counter/unsafe.c");
    b.len = 0;
    rl_uri_path(&b, "my cases/a#b%.c");
    assert_string_equal(rl_buf_str(&b), "my%20cases/a%23b%25.c");
    rl_buf_free(&b);
}

static char *md(const char *s)
{
    static struct rl_buf b;
    rl_buf_free(&b);
    assert_int_equal(rl_md_to_html(s, 2, &b), 0);
    return b.data ? b.data : "";
}

static void test_md_blocks(void **state)
{
    (void)state;
    assert_string_equal(md("# Title\n\nOne line\nand the next.\n##### five\n"),
                        "<h3>Title</h3>\n<p>One line\nand the next.</p>\n<h6>five</h6>\n");
    assert_string_equal(md("- a\n- b `x<y`\n  continued\n\n1. one\n2. two\n"),
                        "<ul>\n<li>a</li>\n<li>b <code>x&lt;y</code>\ncontinued</li>\n</ul>\n"
                        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n");
    assert_string_equal(md("```\nint a = b < c && d;\n<script>\n```\nafter\n"),
                        "<pre><code>int a = b &lt; c &amp;&amp; d;\n&lt;script&gt;\n"
                        "</code></pre>\n<p>after</p>\n");
    /* the table extension is on */
    assert_contains(md("| a | b |\n|---|:-:|\n| `x<y` | **z** a \\| b |\n"),
                    "<td><code>x&lt;y</code></td>\n<td align=\"center\"><strong>z</strong> a | "
                    "b</td>");
    /* an unclosed fence still closes the page's <pre> */
    assert_string_equal(md("```c\nx\n"), "<pre><code class=\"language-c\">x\n</code></pre>\n");
}

/* cmark-gfm's safe mode: raw HTML is omitted, unsafe link targets are emptied */
static void test_md_is_safe(void **state)
{
    (void)state;
    const char *html = md("x <script>alert(1)</script> <b onclick=\"x\">b</b> & "
                          "[click](javascript:alert(1)) [ok](https://example.org/\"x) "
                          "**<img src=x>**\n\n<div>block</div>\n");
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<b "));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<div"));
    assert_null(strstr(html, "javascript:"));
    assert_contains(html, "<!-- raw HTML omitted -->");
    assert_contains(html, " &amp; <a href=\"\">click</a>");
    assert_contains(html, "<a href=\"https://example.org/%22x\">ok</a>");
    assert_string_equal(md("a *data race* is UB, 2 * 3 * 4\n"),
                        "<p>a <em>data race</em> is UB, 2 * 3 * 4</p>\n");
    /* markers without their closing half are text */
    assert_string_equal(md("a ` b ** c [d\n"), "<p>a ` b ** c [d</p>\n");
}

/* What mdlite got wrong in the lessons (issue 12): emphasis that wraps onto the next line,
 * and a fenced block inside a list item, which must not end or renumber the list. */
static void test_md_lessons(void **state)
{
    (void)state;
    assert_string_equal(md("no detector **reports the lock\norder** of a *grace\nperiod*\n"),
                        "<p>no detector <strong>reports the lock\norder</strong> of a "
                        "<em>grace\nperiod</em></p>\n");
    const char *html = md("1. **one**\n\n   ```\n   code\n   ```\n\n   more\n"
                          "2. two\n3. three\n");
    assert_null(strstr(html, "**"));
    const char *ol = strstr(html, "<ol>");
    assert_non_null(ol);
    assert_null(strstr(ol + 1, "<ol")); /* one list, so 1, 2, 3 */
    assert_contains(html, "<pre><code>code\n</code></pre>");
    assert_contains(html, "<p>two</p>");
    assert_contains(html, "<p>three</p>");
}

static void test_timeline_parse(void **state)
{
    (void)state;
    static const char out[] = "racelab-result: x=1\n"
                              "racelab-timeline: ticker 0 1\n"
                              "racelab-timeline: hog 1 60\n"
                              "racelab-timeline: writer thread 2 61 5\r\n"
                              "racelab-timeline: ticker 66 1\n"
                              "racelab-timeline: broken x 1\n"
                              "racelab-timeline: 5 6\n"
                              "  racelab-timeline: indented 1 1\n"
                              "racelab-timeline: ticker 67 -1\n"
                              "racelab-timeline: ticker 67 1";
    struct rl_timeline tl;
    assert_int_equal(rl_timeline_parse(out, 0, &tl), 5);
    assert_int_equal(tl.n_tasks, 3);
    assert_string_equal(tl.tasks[0].name, "ticker");
    assert_int_equal(tl.tasks[0].n, 3);
    assert_int_equal(tl.tasks[0].total, 3);
    assert_string_equal(tl.tasks[1].name, "hog");
    assert_int_equal(tl.tasks[1].longest, 60);
    assert_string_equal(tl.tasks[2].name, "writer thread 2"); /* any name, spaces too */
    assert_int_equal(tl.tasks[2].v[0].start, 61);
    assert_int_equal(tl.end, 68);
    rl_timeline_free(&tl);

    assert_int_equal(rl_timeline_parse(out, 2, &tl), 2);
    assert_int_equal(tl.dropped, 3);
    rl_timeline_free(&tl);
    /* numbers whose end (start + units) passes RL_TIMELINE_MAX_END are out of range: left
     * out and counted, so that no sum wraps around */
    assert_int_equal(rl_timeline_parse("racelab-timeline: a 0 5\n"
                                       "racelab-timeline: b 18446744073709551610 5\n"
                                       "racelab-timeline: a 18446744073709551000 600\n"
                                       "racelab-timeline: c 9007199254740992 1\n"
                                       "racelab-timeline: c 9007199254740991 0\n",
                                       0, &tl),
                     2);
    assert_int_equal(tl.out_of_range, 3);
    assert_int_equal(tl.end, 9007199254740991UL);
    rl_timeline_free(&tl);
    assert_int_equal(rl_timeline_parse("no timeline here\n", 0, &tl), 0);
    assert_int_equal(tl.n_tasks, 0);
    rl_timeline_free(&tl);
}

static void test_timeline_merge(void **state)
{
    (void)state;
    struct rl_tl_task t = {0};
    struct rl_span spans[] = {{0, 1}, {1, 1}, {2, 1}, {3, 100}, {103, 1}, {200, 1}};
    t.v = spans;
    t.n = sizeof spans / sizeof *spans;
    struct rl_span out[8];
    /* 10 units per pixel: the three 1-unit holds merge; the 100-unit hold stays apart, and so
     * does the hold after it; the far one too */
    size_t n = rl_timeline_merge(&t, 10.0, out, 8);
    assert_int_equal(n, 4);
    assert_int_equal(out[0].start, 0);
    assert_int_equal(out[0].units, 3);
    assert_int_equal(out[1].units, 100);
    assert_int_equal(out[2].start, 103);
    assert_int_equal(out[3].start, 200);
    /* at 0.1 units per pixel every hold is wide: nothing merges */
    assert_int_equal(rl_timeline_merge(&t, 0.1, out, 8), 6);
    /* the cap holds */
    assert_int_equal(rl_timeline_merge(&t, 0.1, out, 2), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_specials),   cmocka_unit_test(test_xml_forbidden_characters),
        cmocka_unit_test(test_invalid_utf8),   cmocka_unit_test(test_md_escape),
        cmocka_unit_test(test_uri_path),       cmocka_unit_test(test_md_blocks),
        cmocka_unit_test(test_md_is_safe),     cmocka_unit_test(test_md_lessons),
        cmocka_unit_test(test_timeline_parse), cmocka_unit_test(test_timeline_merge),
        cmocka_unit_test(test_visible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
