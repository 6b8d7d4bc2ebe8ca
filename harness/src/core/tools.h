/* The detector ("tool") axis: how each tool is built, run and read. */
#ifndef RACELAB_TOOLS_H
#define RACELAB_TOOLS_H

#include <stddef.h>

enum rl_tool_id {
    RL_NATIVE,
    RL_TSAN_CLANG,
    RL_TSAN_GCC,
    RL_HELGRIND,
    RL_DRD,
    RL_EXPLORE,
    RL_TOOL_COUNT
};
/* RL_KIND_EXPLORE: the native binary, re-run under every schedule of the cooperative loop
 * within a delay bound (run/explore.h); it applies only to the variants on the loop. */
enum rl_tool_kind { RL_KIND_NATIVE, RL_KIND_TSAN, RL_KIND_VALGRIND, RL_KIND_EXPLORE };

struct rl_tool {
    const char *name;   /* the name used in expect files, test names and labels */
    const char *flavor; /* which build of the variant it runs: native, tsan-clang, tsan-gcc */
    enum rl_tool_kind kind;
    const char *vg_tool; /* valgrind --tool=..., for RL_KIND_VALGRIND */
    unsigned slowdown;   /* RACELAB_SLOWDOWN: scales the fixtures' watchdog */
    double timeout_s;    /* the harness's own limit for one run */
};

extern const struct rl_tool rl_tools[RL_TOOL_COUNT];

int rl_tool_lookup(const char *name); /* -1 when unknown */
/* "native, tsan-clang, ...": the tools' names, in the table's order, for messages. */
const char *rl_tool_names(void);

/* Expect files may name a group of tools: "*" (all), "tsan", "valgrind", "detectors"
 * (the four happens-before detectors: neither native nor explore, whose rows are written
 * out), or a comma-separated list. Returns a bit mask (1 << id), 0 if unknown;
 * `bad` receives the first unknown name. */
unsigned rl_tool_mask(const char *spec, char *bad, size_t badlen);

#endif
