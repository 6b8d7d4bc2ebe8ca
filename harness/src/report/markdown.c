/* markdown: CommonMark plus GitHub's pipe tables, through cmark-gfm (see markdown.h). */
#include "markdown.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

/* No CMARK_OPT_UNSAFE: raw HTML and unsafe link schemes are left out of the output. */
enum { MD_OPTIONS = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 };

static void shift_headings(cmark_node *root, int shift)
{
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            int level = cmark_node_get_heading_level(node) + shift;
            cmark_node_set_heading_level(node, level > 6 ? 6 : level);
        }
    }
    cmark_iter_free(it);
}

int rl_md_to_html(const char *md, int heading_shift, struct rl_buf *out)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(MD_OPTIONS);
    if (!parser)
        return -1;
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (!table || !cmark_parser_attach_syntax_extension(parser, table)) {
        cmark_parser_free(parser); /* a lesson's tables would silently become text */
        return -1;
    }
    cmark_parser_feed(parser, md, strlen(md));
    cmark_node *root = cmark_parser_finish(parser);
    char *html = NULL;
    if (root) {
        shift_headings(root, heading_shift);
        html = cmark_render_html(root, MD_OPTIONS, cmark_parser_get_syntax_extensions(parser));
        cmark_node_free(root);
    }
    cmark_parser_free(parser);
    if (!html)
        return -1;
    rl_buf_puts(out, html);
    free(html);
    return 0;
}
