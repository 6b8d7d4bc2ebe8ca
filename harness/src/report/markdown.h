/* markdown: a case README (the lesson) rendered to HTML for the report page, by cmark-gfm,
 * the CommonMark reference parser with GitHub's table extension. It renders in cmark's safe
 * mode: raw HTML in the input becomes a comment and javascript:, vbscript: and data: links
 * lose their target, so nothing in a README can add markup or script to the page. */
#ifndef RACELAB_MARKDOWN_H
#define RACELAB_MARKDOWN_H

#include "util.h"

/* Append the HTML of `md` to out. Headings move down `heading_shift` levels (a README's
 * "# title" inside a page section), never below h6. Returns 0, or -1 when cmark-gfm could
 * not parse or render (out of memory), with nothing appended. */
int rl_md_to_html(const char *md, int heading_shift, struct rl_buf *out);

#endif
