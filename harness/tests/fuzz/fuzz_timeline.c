/* libFuzzer target: the timeline reader (timeline.h) on any bytes, then the merge for
 * drawing at three scales. Aborts when a kept hold breaks the parser's promises (it ends by
 * RL_TIMELINE_MAX_END and by the timeline's end), so the fuzzer reports it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct rl_timeline tl;
    rl_timeline_parse(text, 4096, &tl);
    static struct rl_span merged[4096];
    for (size_t i = 0; i < tl.n_tasks; i++) {
        const struct rl_tl_task *t = &tl.tasks[i];
        for (size_t k = 0; k < t->n; k++)
            if (t->v[k].start > RL_TIMELINE_MAX_END - t->v[k].units ||
                t->v[k].start + t->v[k].units > tl.end)
                abort();
        double upp = tl.end ? (double)tl.end / 800 : 1.0;
        for (double scale = 0.01; scale < 200; scale *= 100) {
            size_t m = rl_timeline_merge(t, upp * scale, merged, 4096);
            for (size_t k = 0; k < m; k++)
                if (merged[k].start + merged[k].units > tl.end)
                    abort();
        }
    }
    rl_timeline_free(&tl);
    free(text);
    return 0;
}
