/* judge: compare one run's observations with its expectation. A pure function: no I/O. */
#ifndef RACELAB_JUDGE_H
#define RACELAB_JUDGE_H

#include "expect.h"
#include "finding.h"

/* What one run observed. The two halves are independent: findings come only from the
 * detector's channel, the outcome only from the program's exit status. */
struct rl_observation {
    enum rl_outcome outcome;
    int exit_code;           /* when the program exited */
    int signal;              /* when it was killed */
    char result_line[512];   /* the text after "racelab-result: ", or "" */
    struct rl_findings findings;
};

struct rl_verdict {
    int match;
    char findings[256]; /* the actual findings cell: "race:counter", "clean", "-", "error" */
    char outcome[32];   /* the actual outcome cell */
    char message[2048]; /* one line for people: "flagged as designed: ..." or what differs */
};

void rl_judge(const struct rl_expect_row *row, const char *tool_name,
              const struct rl_observation *obs, struct rl_verdict *v);

/* Does finding f satisfy need n (same kind; the name is one of its symbols or functions)? */
int rl_need_matches(const struct rl_need *n, const struct rl_finding *f);

/* Does need i of the row take finding f, by the judge's rule? A named need takes what names
 * it; a wildcard ("*") takes what no named need of the row takes. The report uses it to say
 * which finding met which expected name. */
int rl_need_takes(const struct rl_expect_row *row, int i, const struct rl_finding *f);

#endif
