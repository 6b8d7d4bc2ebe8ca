#include "tsan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "racelab/protocol.h"

enum { MAX_FRAMES = 16 };

enum rl_kind rl_tsan_kind(const char *desc)
{
    if (strncmp(desc, "data-race", 9) == 0 || strncmp(desc, "heap-use-after-free", 19) == 0 ||
        strcmp(desc, "external-race") == 0)
        return RL_RACE;
    if (strcmp(desc, "lock-order-inversion") == 0)
        return RL_LOCK_ORDER;
    if (strcmp(desc, "thread-leak") == 0)
        return RL_THREAD_LEAK;
    /* an unlock of a mutex the thread does not hold (or holds in the other mode); a lock
     * taken wrongly (mutex-double-lock, mutex-bad-read-lock) is a misuse, as under
     * Helgrind and DRD */
    if (strcmp(desc, "mutex-bad-unlock") == 0 || strcmp(desc, "mutex-bad-read-unlock") == 0)
        return RL_BAD_UNLOCK;
    return RL_API_MISUSE; /* locked-mutex-destroy, mutex-double-lock, signal-unsafe-call... */
}

/* Reports are framed by a ruler line; other runtime warnings (newer runtimes warn about
 * the memory layout, for example) are not, and are not reports. */
int rl_tsan_text_reports(const char *s, void (*each)(void *ctx, const char *kind), void *ctx)
{
    static const char frame[] = "==================\nWARNING: ThreadSanitizer: ";
    int n = 0;
    for (const char *p = s; (p = strstr(p, frame)) != NULL; p++) {
        n++;
        if (each == NULL)
            continue;
        const char *k = p + sizeof frame - 1;
        size_t len = strcspn(k, "\n");
        const char *pid = strstr(k, " (pid=");
        if (pid != NULL && pid < k + len)
            len = (size_t)(pid - k);
        char kind[128];
        rl_strlcpy(kind, k, len + 1 < sizeof kind ? len + 1 : sizeof kind);
        each(ctx, kind);
    }
    return n;
}

/* The symbolizer's word for "no symbol here": "??" (clang), "<null>" (gcc). Not a name. */
static int no_symbol(const char *name)
{
    return strcmp(name, "??") == 0 || strcmp(name, "<null>") == 0;
}

/* Name memory that is no global by where it lives: TSan's location types heap, stack, tls,
 * fd... For a stack object the runtime adds a second location, "global", with no symbol
 * (its address lies in the [stack] mapping): a real global would have had an S line. */
static void name_from_locations(struct rl_finding *f, const char *locs)
{
    char copy[64];
    rl_strlcpy(copy, locs, sizeof copy);
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (strcmp(t, "global") != 0)
            f->names_cut |= rl_list_add(f->symbols, sizeof f->symbols, t) != 0;
}

/* The value of a channel line "<tag> <value>", or NULL when the line has another tag. */
static char *value_of(char *line, const char *tag)
{
    size_t n = strlen(tag);
    return strncmp(line, tag, n) == 0 && line[n] == ' ' ? line + n + 1 : NULL;
}

/* A line of a run with a token is "<token> <tag> <value>": 1 with the token and its space
 * removed from `line`, or 0 when the line does not open with this token. */
static int unseal(char *line, const char *token)
{
    size_t n = strlen(token);
    if (n == 0 || strncmp(line, token, n) != 0 || line[n] != ' ')
        return 0;
    memmove(line, line + n + 1, strlen(line + n + 1) + 1);
    return 1;
}

struct parse_state {
    struct rl_finding cur;
    int in_report;
    struct rl_frame frames[MAX_FRAMES];
    int n_frames;
    int stack_counts; /* stacks of the current T that feed functions/location */
    char locs[64];
    int frames_seen, frames_named; /* in the whole report: none named = not symbolized */
};

static void flush_stack(struct parse_state *st, const char *case_dir)
{
    if (st->stack_counts && st->n_frames > 0)
        rl_finding_add_stack(&st->cur, st->frames, st->n_frames, case_dir);
    st->n_frames = 0;
}

/* A sanitizer runtime that says it is dying (a failed allocation, an unusable memory layout,
 * a failed internal check). It exits with the exitcode racelab chose, 0, and may still
 * have run its finalize hook: its channel then looks complete but proves nothing. */
static const char *const fatal_marks[] = {
    "ERROR: ThreadSanitizer",        "FATAL: ThreadSanitizer",
    "ThreadSanitizer: CHECK failed", "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",          "ERROR: UndefinedBehaviorSanitizer",
    "ERROR: MemorySanitizer",        "ERROR: SanitizerTool",
    "FATAL: SanitizerTool",          NULL};

int rl_tsan_fatal(const char *stderr_text, struct rl_findings *out)
{
    char fatal[200];
    if (stderr_text == NULL || !rl_find_tagged_line(stderr_text, fatal_marks, fatal, sizeof fatal))
        return 0;
    memset(out, 0, sizeof *out);
    snprintf(out->error, sizeof out->error, "the sanitizer runtime died: %s", fatal);
    return 1;
}

int rl_tsan_parse(const char *text, const char *stderr_text, const char *case_dir,
                  const char *token, struct rl_findings *out)
{
    memset(out, 0, sizeof *out);
    if (rl_tsan_fatal(stderr_text, out))
        return -1;
    struct parse_state st;
    memset(&st, 0, sizeof st);
    int ended = 0, lineno = 0, reports = 0;
    const char *p = text ? text : "";
    while (*p) {
        lineno++;
        const char *nl = strchr(p, '\n');
        if (nl == NULL) {
            snprintf(out->error, sizeof out->error,
                     "TSan findings file ends mid-line (line %d): the program died while the "
                     "runtime was writing a report",
                     lineno);
            return -1;
        }
        char line[1200];
        char *v;
        size_t len = (size_t)(nl - p);
        if (len >= sizeof line)
            len = sizeof line - 1;
        memcpy(line, p, len);
        line[len] = '\0';
        p = nl + 1;
        if (token != NULL && !unseal(line, token)) {
            snprintf(out->error, sizeof out->error,
                     "TSan findings file line %d was not written by this run's detector (it "
                     "lacks the run's token; did the program write to the channel?): '%.60s'",
                     lineno, line);
            return -1;
        }

        if (value_of(line, RL_PROTO_TSAN_END) && !st.in_report) {
            ended = 1; /* once per process: a forked child that exits writes its own */
        } else if ((v = value_of(line, RL_PROTO_TSAN_REPORT)) && !st.in_report) {
            memset(&st, 0, sizeof st);
            st.in_report = 1;
            rl_strlcpy(st.cur.tool_kind, v, sizeof st.cur.tool_kind);
            st.cur.kind = rl_tsan_kind(v);
        } else if ((v = value_of(line, RL_PROTO_TSAN_SYMBOL)) && st.in_report) {
            if (!no_symbol(v))
                st.cur.names_cut |=
                    rl_list_add_symbol(st.cur.symbols, sizeof st.cur.symbols, v) != 0;
        } else if ((v = value_of(line, RL_PROTO_TSAN_MUTEX)) && st.in_report) {
            /* A lock names a lock-order or mutex report; in a data race it is only a lock
             * some thread held, and must not pass for the racing memory. */
            if (st.cur.kind != RL_RACE && !no_symbol(v))
                st.cur.names_cut |=
                    rl_list_add_symbol(st.cur.symbols, sizeof st.cur.symbols, v) != 0;
        } else if ((v = value_of(line, RL_PROTO_TSAN_LOCATION)) && st.in_report) {
            st.cur.names_cut |= rl_list_add(st.locs, sizeof st.locs, v) != 0;
        } else if ((v = value_of(line, RL_PROTO_TSAN_STACK)) && st.in_report) {
            flush_stack(&st, case_dir);
            /* creation stacks of the threads say where a thread began, not where the
             * finding is; they only matter for a thread leak */
            st.stack_counts = strcmp(v, "thread") != 0 || st.cur.kind == RL_THREAD_LEAK;
        } else if ((v = value_of(line, RL_PROTO_TSAN_FRAME)) && st.in_report) {
            st.frames_seen++;
            st.frames_named += strncmp(v, "<null>\t", 7) != 0;
            if (st.n_frames < MAX_FRAMES) {
                struct rl_frame *f = &st.frames[st.n_frames++];
                char *fn = v, *file = strchr(fn, '\t'), *ln = NULL;
                if (file) {
                    *file++ = '\0';
                    ln = strchr(file, '\t');
                    if (ln)
                        *ln++ = '\0';
                }
                rl_strlcpy(f->fn, strcmp(fn, "<null>") == 0 ? "" : fn, sizeof f->fn);
                rl_strlcpy(f->file, file && strcmp(file, "<null>") != 0 ? file : "",
                           sizeof f->file);
                f->line = ln ? atoi(ln) : 0;
            }
        } else if (strcmp(line, RL_PROTO_TSAN_REPORT_END) == 0 && st.in_report) {
            if (st.frames_seen > 0 && st.frames_named == 0) {
                /* Read as it is, this would be a finding "on <null>" in no function: a
                 * missing install step passing for what the detector saw. */
                snprintf(out->error, sizeof out->error,
                         "ThreadSanitizer's report has no function or variable names: its "
                         "runtime found no llvm-symbolizer. Install llvm (Debian: llvm-N for "
                         "clang-N; ci/install-deps.sh does) and configure racelab again");
                return -1;
            }
            flush_stack(&st, case_dir);
            if (st.cur.symbols[0] == '\0')
                name_from_locations(&st.cur, st.locs);
            rl_findings_add(out, &st.cur);
            st.in_report = 0;
            reports++;
        } else {
            snprintf(out->error, sizeof out->error,
                     "TSan findings file line %d is not in the report format: '%.60s'", lineno,
                     line);
            return -1;
        }
    }
    if (st.in_report) {
        snprintf(out->error, sizeof out->error,
                 "TSan findings file ends inside a report: the program died mid-report");
        return -1;
    }
    if (!ended) {
        snprintf(out->error, sizeof out->error,
                 "no ThreadSanitizer end marker: the binary has no TSan runtime or no racelab "
                 "hook, or the process never reached the runtime's finalize (killed, or died "
                 "on a signal)");
        return -1;
    }
    int text_reports = stderr_text ? rl_tsan_text_reports(stderr_text, NULL, NULL) : 0;
    if (text_reports > reports) {
        snprintf(out->error, sizeof out->error,
                 "stderr shows %d ThreadSanitizer reports but the structured channel has %d",
                 text_reports, reports);
        return -1;
    }
    out->ran = 1;
    return 0;
}

void rl_tsan_excerpt(const char *s, int max_reports, int max_lines, struct rl_buf *out)
{
    const char *p = s;
    for (int r = 0; r < max_reports; r++) {
        const char *w = strstr(p, "WARNING: ThreadSanitizer: ");
        if (w == NULL)
            break;
        const char *line = w;
        for (int n = 0; n < max_lines && *line; n++) {
            const char *nl = strchr(line, '\n');
            size_t len = nl ? (size_t)(nl - line) : strlen(line);
            if (strncmp(line, "==================", 18) == 0)
                break;
            if (strncmp(line, "SUMMARY:", 8) == 0) {
                rl_buf_append(out, line, len);
                rl_buf_puts(out, "\n");
                break;
            }
            rl_buf_append(out, line, len);
            rl_buf_puts(out, "\n");
            line = nl ? nl + 1 : line + len;
        }
        p = w + 1;
    }
}
