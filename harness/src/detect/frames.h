/* Choosing the frame a finding points at: the innermost one in the case's own sources. */
#ifndef RACELAB_FRAMES_H
#define RACELAB_FRAMES_H

#include "finding.h"

struct rl_frame {
    char fn[128];
    char file[512]; /* full path, or "" when the tool does not know it */
    int line;
};

/* Index of the innermost frame whose file lies under `case_dir`; failing that the innermost
 * frame with a source file outside /usr; failing that the innermost with a function name;
 * -1 if none. */
int rl_frame_pick(const struct rl_frame *fr, int n, const char *case_dir);

/* Record a stack in a finding: its picked frame's function joins `functions`, the first
 * stack that has a frame sets file:line (relative to case_dir when inside it), and the next
 * one file2:line2 (a race's other access, a lock-order report's other acquisition). */
void rl_finding_add_stack(struct rl_finding *f, const struct rl_frame *fr, int n,
                          const char *case_dir);

#endif
