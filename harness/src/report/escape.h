/* escape: text from detectors and programs made safe for the files the reports write.
 * Detector output is not trusted to be valid UTF-8 or free of control characters: every
 * function here replaces an invalid byte sequence with U+FFFD, so the output is always
 * valid UTF-8. */
#ifndef RACELAB_ESCAPE_H
#define RACELAB_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* Valid UTF-8: invalid sequences become U+FFFD; NUL ends the string. */
void rl_utf8_clean(struct rl_buf *out, const char *s);

/* XML 1.0 / HTML text: & < > " ' become references; characters XML 1.0 forbids (C0
 * controls other than tab, newline and return; U+FFFE, U+FFFF) become U+FFFD. */
void rl_xml_escape(struct rl_buf *out, const char *s);
/* The same for an attribute value: tab, newline and return become character references too,
 * so that attribute-value normalisation keeps them. */
void rl_xml_escape_attr(struct rl_buf *out, const char *s);

/* Inline Markdown (GitHub's): a backslash before every character Markdown or a table could
 * read as syntax (` * _ [ ] < > | ~ & \ # !), line breaks become spaces. For table cells
 * and list items. */
void rl_md_escape(struct rl_buf *out, const char *s);
/* A code fence longer than any run of backticks in s (at least three), appended to fence:
 * no fixed cap, so no text can close it. */
void rl_md_fence(const char *s, struct rl_buf *fence);

/* Text for a terminal or a code block, with every control character made visible: C0
 * controls other than tab and newline become their control pictures (ESC is U+241B, CR
 * U+240D), DEL becomes U+2421, C1 controls and invalid sequences U+FFFD. Nothing the
 * program printed can move the cursor, clear the screen or retitle the window. */
void rl_visible(struct rl_buf *out, const char *s);
/* rl_visible(s), written to f. */
void rl_fputs_visible(const char *s, FILE *f);

/* A relative or absolute file path as a URI path: every byte outside the unreserved set
 * and '/' is percent-encoded. */
void rl_uri_path(struct rl_buf *out, const char *path);

#endif
