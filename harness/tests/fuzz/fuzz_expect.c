/* libFuzzer target: the expect parser (expect.h) on any bytes, then validation against two
 * variants and the text of every row. A failed parse may hold rows: it is freed too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct rl_expect e;
    char err[1024];
    if (rl_expect_parse(text, "fuzz/expect", &e, err, sizeof err) == 0) {
        static const char *const variants[] = {"unsafe", "safe_mutex"};
        rl_expect_validate(&e, variants, 2, err, sizeof err);
        for (size_t i = 0; i < e.n_rows; i++) {
            char want[256];
            rl_expect_findings_text(&e.rows[i], want, sizeof want);
        }
    }
    rl_expect_free(&e); /* after a failed parse too, as racelab does */
    free(text);
    return 0;
}
