/* vgxml: read Helgrind's and DRD's findings from `--xml=yes` output (protocol 4), with expat.
 * A run counts as having run only when the document is complete and its last status is
 * FINISHED; a truncated or garbled file is an error, never "clean", and so is a document
 * without the run's token (racelab/protocol.h), which this run's Valgrind did not write. */
#ifndef RACELAB_VGXML_H
#define RACELAB_VGXML_H

#include <stddef.h>

#include "elfsym.h"
#include "finding.h"
#include "util.h"

/* Map an XML <kind> (Race, LockOrder, ConflictingAccess, MutexErr, ...) and the error's
 * <what> text (may be NULL) to a kind: DRD's MutexErr and RwlockErr are told apart by it. */
enum rl_kind rl_vg_kind(const char *xml_kind, const char *what);

/* Parse `xml` (len bytes). `syms` (may be NULL) names addresses the XML leaves bare.
 * `token` is the run's token: the document must carry <usercomment>racelab-run TOKEN
 * </usercomment> (--xml-user-comment), and one that does not was not written by this run's
 * Valgrind, so it is an error whatever it reports. NULL: no token expected (a bare run,
 * saved outputs); a run of racelab always has one.
 * `excerpt` (may be NULL) receives a readable summary of the first few errors. */
int rl_vgxml_parse(const char *xml, size_t len, const struct rl_elfsym *syms, const char *case_dir,
                   const char *token, struct rl_findings *out, struct rl_buf *excerpt);

/* The same for a document Valgrind stopped writing because its process exec'd another
 * program: well-formed as far as it goes, cut between two top-level elements, with no
 * FINISHED status. Its complete errors count. */
int rl_vgxml_parse_cut(const char *xml, size_t len, const struct rl_elfsym *syms,
                       const char *case_dir, const char *token, struct rl_findings *out,
                       struct rl_buf *excerpt);

/* Whether Valgrind's own text output (the run's stderr) says Valgrind gave up: out of
 * memory, "the 'impossible' happened", an internal error. 1 with that line in `line`. Such a
 * run is an error whatever its XML says. */
int rl_vg_fatal(const char *stderr_text, char *line, size_t len);

#endif
