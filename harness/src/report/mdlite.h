/* mdlite: the small part of Markdown a case README uses, rendered to safe HTML for the
 * report page. Blocks: headings, paragraphs, fenced code, lists (- * + and 1.), pipe
 * tables; inline: `code`, **strong**, *em*, [text](http...). Everything else is text, and
 * every piece of text is escaped: no markup of the input reaches the page. */
#ifndef RACELAB_MDLITE_H
#define RACELAB_MDLITE_H

#include "util.h"

/* Append the HTML of `md` to out. Headings move down `heading_shift` levels (a README's
 * "# title" inside a page section), never below h6. */
void rl_md_to_html(const char *md, int heading_shift, struct rl_buf *out);

/* One line of inline Markdown (code spans, strong, links), escaped. */
void rl_md_inline_html(const char *s, size_t n, struct rl_buf *out);

#endif
