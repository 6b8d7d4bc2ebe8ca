/* libFuzzer target: the Valgrind XML reader (vgxml.h) on any bytes, given exactly `size`
 * bytes (no terminating NUL), with the excerpt; whole, and as a document cut at an exec. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vgxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *xml = malloc(size ? size : 1);
    memcpy(xml, data, size);
    struct rl_findings out;
    struct rl_buf excerpt = {0};
    rl_vgxml_parse(xml, size, NULL, "/cases/fuzz", NULL, &out, &excerpt);
    rl_findings_free(&out);
    rl_vgxml_parse_cut(xml, size, NULL, "/cases/fuzz", NULL, &out, &excerpt);
    rl_findings_free(&out);
    rl_buf_free(&excerpt);
    free(xml);
    return 0;
}
