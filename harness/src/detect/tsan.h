/* tsan: read ThreadSanitizer's findings from the structured file the fixtures' report hook
 * writes (see fixtures/src/tsan_report.c), and cut the text report for people to read. */
#ifndef RACELAB_TSAN_H
#define RACELAB_TSAN_H

#include <stddef.h>

#include "finding.h"
#include "util.h"

/* Parse the findings file's contents. `stderr_text` (may be NULL) is the program's stderr:
 * when it holds more "WARNING: ThreadSanitizer" reports than the file, the channel lost
 * reports and the result is an error; when it holds a sanitizer's fatal line ("ERROR:
 * ThreadSanitizer: ...", "FATAL: ThreadSanitizer: ...", an AddressSanitizer ERROR, a failed
 * CHECK) the runtime died, and the result is an error whatever the file says. Sets out->ran only
 * when the runtime's end marker (written by its finalize hook) is present and the file is
 * well-formed. `token` is the run's token (racelab/protocol.h): every line must open with
 * it, and a line that does not was not written by this run's hook, so the result is an
 * error. NULL reads lines without a token (saved outputs, a binary run by hand); a run of
 * racelab always has one. Returns 0, or -1 with out->error set. */
int rl_tsan_parse(const char *findings_text, const char *stderr_text, const char *case_dir,
                  const char *token, struct rl_findings *out);

/* Whether stderr (may be NULL) holds a sanitizer runtime's fatal line; if so, 1 with out
 * emptied and out->error saying so. */
int rl_tsan_fatal(const char *stderr_text, struct rl_findings *out);

/* The reports TSan printed on stderr (`stderr_text`, not NULL): their number. When `each` is
 * not NULL it receives each report's kind as the header line names it ("data race",
 * "lock-order-inversion (potential deadlock)", "thread leak", ...). */
int rl_tsan_text_reports(const char *stderr_text, void (*each)(void *ctx, const char *kind),
                         void *ctx);

/* Map TSan's report description (data-race, lock-order-inversion, ...) to a kind. */
enum rl_kind rl_tsan_kind(const char *desc);

/* The first `max_reports` text reports from stderr, each cut to `max_lines` lines. */
void rl_tsan_excerpt(const char *stderr_text, int max_reports, int max_lines, struct rl_buf *out);

#endif
