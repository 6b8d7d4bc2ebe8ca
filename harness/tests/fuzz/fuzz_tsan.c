/* libFuzzer target: the TSan channel reader (tsan.h). The input is the findings file, a NUL,
 * then the program's stderr (none without a NUL); the stderr excerpt is cut too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tsan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t first = strlen(text);
    const char *err = first < size ? text + first + 1 : NULL;
    struct rl_findings out;
    rl_tsan_parse(text, err, "/cases/fuzz", NULL, &out);
    rl_findings_free(&out);
    struct rl_buf excerpt = {0};
    rl_tsan_excerpt(err ? err : text, 2, 24, &excerpt);
    rl_buf_free(&excerpt);
    free(text);
    return 0;
}
