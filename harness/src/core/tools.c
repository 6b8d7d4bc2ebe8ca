#include "tools.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util.h"

/* The tools: the only list of them. Everything else (the help, the messages naming the
 * tools, the expect groups, the matrix's columns) is made from this table.
 *
 * Timeouts: the harness's own limit for one run, set in cmake/RacelabCases.cmake (with
 * ctest's TIMEOUT above it, so the harness always reports `hang` itself) and carried here
 * by the generated config.h. */
const struct rl_tool rl_tools[RL_TOOL_COUNT] = {
    [RL_NATIVE] = {"native", "native", RL_KIND_NATIVE, NULL, 1, RACELAB_TIMEOUT_NATIVE},
    [RL_TSAN_CLANG] = {"tsan-clang", "tsan-clang", RL_KIND_TSAN, NULL, 20,
                       RACELAB_TIMEOUT_TSAN_CLANG},
    [RL_TSAN_GCC] = {"tsan-gcc", "tsan-gcc", RL_KIND_TSAN, NULL, 20, RACELAB_TIMEOUT_TSAN_GCC},
    [RL_HELGRIND] = {"helgrind", "native", RL_KIND_VALGRIND, "helgrind", 100,
                     RACELAB_TIMEOUT_HELGRIND},
    [RL_DRD] = {"drd", "native", RL_KIND_VALGRIND, "drd", 100, RACELAB_TIMEOUT_DRD},
    [RL_EXPLORE] = {"explore", "native", RL_KIND_EXPLORE, NULL, 1, RACELAB_TIMEOUT_EXPLORE},
};

int rl_tool_lookup(const char *name)
{
    for (int i = 0; i < RL_TOOL_COUNT; i++)
        if (strcmp(name, rl_tools[i].name) == 0)
            return i;
    return -1;
}

const char *rl_tool_names(void)
{
    static char names[RL_TOOL_COUNT * 16];
    if (names[0] == '\0')
        for (int i = 0; i < RL_TOOL_COUNT; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     rl_tools[i].name);
    return names;
}

/* The groups an expect file may name, by the tools' kinds in the table above. */
static unsigned one_mask(const char *s)
{
    unsigned all = (1u << RL_TOOL_COUNT) - 1, mask = 0;
    for (int i = 0; i < RL_TOOL_COUNT; i++) {
        enum rl_tool_kind k = rl_tools[i].kind;
        if ((strcmp(s, "detectors") == 0 && (k == RL_KIND_TSAN || k == RL_KIND_VALGRIND)) ||
            (strcmp(s, "tsan") == 0 && k == RL_KIND_TSAN) ||
            (strcmp(s, "valgrind") == 0 && k == RL_KIND_VALGRIND))
            mask |= 1u << i;
    }
    if (strcmp(s, "*") == 0)
        return all;
    int id = rl_tool_lookup(s);
    return mask ? mask : id < 0 ? 0 : 1u << id;
}

unsigned rl_tool_mask(const char *spec, char *bad, size_t badlen)
{
    unsigned mask = 0;
    char item[64];
    const char *p = spec;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || len >= sizeof item) {
            rl_strlcpy(bad, spec, badlen);
            return 0;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        unsigned m = one_mask(item);
        if (m == 0) {
            rl_strlcpy(bad, item, badlen);
            return 0;
        }
        mask |= m;
        if (!end)
            return mask;
        p = end + 1;
    }
}
