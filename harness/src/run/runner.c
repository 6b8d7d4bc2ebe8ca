#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "elfsym.h"
#include "racelab/protocol.h"
#include "spawn.h"
#include "tools.h"
#include "tsan.h"
#include "vgxml.h"

enum { EXCERPT_REPORTS = 2, EXCERPT_LINES = 24 };
static const size_t OUTPUT_CAP = 256 * 1024; /* per stream: a flood cannot exhaust memory */

static int in_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        return 0;
    char buf[4096];
    rl_strlcpy(buf, path, sizeof buf);
    for (char *dir = strtok(buf, ":"); dir; dir = strtok(NULL, ":")) {
        char full[4200];
        snprintf(full, sizeof full, "%s/%s", dir, prog);
        if (access(full, X_OK) == 0)
            return 1;
    }
    return 0;
}

void rl_tool_unavailable(int tool, char *why, size_t len)
{
    why[0] = '\0';
    const struct rl_tool *t = &rl_tools[tool];
    if (t->kind == RL_KIND_VALGRIND && !in_path("valgrind"))
        snprintf(why, len, "valgrind is not installed (needed for %s)", t->name);
    else if (tool == RL_TSAN_CLANG && RACELAB_TSAN_CLANG_REASON[0])
        snprintf(why, len, "%s", RACELAB_TSAN_CLANG_REASON);
    else if (tool == RL_TSAN_GCC && RACELAB_TSAN_GCC_REASON[0])
        snprintf(why, len, "%s", RACELAB_TSAN_GCC_REASON);
}

/* 0, or -1 with "cannot save PATH: why" appended to `why` (may be NULL). */
static int save_text(const char *dir, const char *name, const struct rl_buf *b, char *why,
                     size_t len)
{
    char path[PATH_MAX + 64];
    rl_xsnprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int bad = f == NULL;
    if (f) {
        bad = fwrite(rl_buf_str(b), 1, b->len, f) != b->len;
        bad |= fclose(f) != 0;
    }
    if (bad && why) {
        size_t used = strlen(why);
        snprintf(why + used, len - used, "%scannot save %s: %s", used ? "; " : "", path,
                 strerror(errno));
    }
    return bad ? -1 : 0;
}

/* The last "racelab-result: ..." line of stdout, without its prefix. */
static void result_line(const char *out, char *dst, size_t len)
{
    static const char tag[] = RL_PROTO_RESULT " ";
    dst[0] = '\0';
    for (const char *p = out; (p = strstr(p, tag)) != NULL; p++) {
        if (p != out && p[-1] != '\n')
            continue;
        const char *s = p + sizeof tag - 1;
        rl_strlcpyn(dst, len, s, strcspn(s, "\n"));
    }
}

static void tail(struct rl_buf *dst, const char *label, const struct rl_buf *src, int lines)
{
    if (src->len == 0)
        return;
    const char *s = rl_buf_str(src), *p = s + src->len;
    int n = 0;
    while (p > s && n <= lines)
        if (*--p == '\n')
            n++;
    if (p != s)
        p++;
    rl_buf_printf(dst, "%s (last %d lines):\n%s%s", label, lines, p,
                  s[src->len - 1] == '\n' ? "" : "\n");
}

static void remove_matching(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            char path[PATH_MAX + 64];
            rl_xsnprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
}

/* The sanitizer options a TSan cell runs with: the user's TSAN_OPTIONS (a suppressions file,
 * say) and UBSAN_OPTIONS, then the case's suppress.tsan when it has one (supp, or NULL), then
 * racelab's own keys. The runtime reads each left to right and the last value counts, so the
 * case's suppressions replace a user's, and racelab's keys win:
 *   exitcode=0             the detector must not change the exit status: it is the outcome;
 *   log_path=stderr        the text report stays on stderr, where it is cross-checked with
 *                          the hook's findings (a log file would leave nothing to check);
 *   halt_on_error=0        every report of the run, not only the first;
 *   atexit_sleep_ms=0      the 1 s default costs a second per run for nothing;
 *   second_deadlock_stack=1  a lock-order report shows where both locks were taken;
 *   external_symbolizer_path (clang only): the llvm-symbolizer found at configure time, so
 *                          that its runtime names globals and frames (gcc's symbolizes itself).
 * The TSan runtime reads UBSAN_OPTIONS after TSAN_OPTIONS and shares exitcode and log_path
 * with it, so those two are forced there too. */
static void sanitizer_env(int tool, const char *supp, struct rl_buf *tsan, struct rl_buf *ubsan)
{
    static const char common[] = "exitcode=0:log_path=stderr";
    const char *user = getenv("TSAN_OPTIONS"), *user_ub = getenv("UBSAN_OPTIONS");
    user = user ? user : "";
    user_ub = user_ub ? user_ub : "";
    rl_buf_printf(tsan, "TSAN_OPTIONS=%s%s", user, *user ? ":" : "");
    if (supp)
        rl_buf_printf(tsan, "suppressions=%s:", supp);
    rl_buf_printf(tsan, "%s:halt_on_error=0:atexit_sleep_ms=0:second_deadlock_stack=1", common);
    if (tool == RL_TSAN_CLANG)
        rl_buf_printf(tsan, ":external_symbolizer_path=%s", RACELAB_TSAN_CLANG_SYMBOLIZER);
    rl_buf_printf(ubsan, "UBSAN_OPTIONS=%s%s%s", user_ub, *user_ub ? ":" : "", common);
}

void rl_cell_env(int tool, const char *run_path, const char *supp, const char *token,
                 const char *param, struct rl_cell_env *e)
{
    memset(e, 0, sizeof *e);
    int n = 0;
    rl_buf_printf(&e->var[0], RL_PROTO_SLOWDOWN_ENV "=%u", rl_tools[tool].slowdown);
    e->env[n++] = e->var[0].data;
    if (rl_tools[tool].kind == RL_KIND_TSAN) {
        sanitizer_env(tool, supp, &e->var[1], &e->var[2]);
        rl_buf_printf(&e->var[3], RL_PROTO_TSAN_FILE_ENV "=%s/tsan-findings.txt", run_path);
        for (int i = 1; i < 4; i++)
            e->env[n++] = e->var[i].data;
        if (token) {
            rl_buf_printf(&e->var[4], RL_PROTO_TOKEN_ENV "=%s", token);
            e->env[n++] = e->var[4].data;
        }
    }
    if (param) {
        rl_buf_printf(&e->var[5], RL_PROTO_PARAM_ENV_PREFIX "%s", param);
        e->env[n++] = e->var[5].data;
    }
    e->env[n] = NULL;
}

void rl_cell_env_free(struct rl_cell_env *e)
{
    for (size_t i = 0; i < sizeof e->var / sizeof *e->var; i++)
        rl_buf_free(&e->var[i]);
}

/* One Valgrind XML document of a run: valgrind.<pid>.<n>.xml. */
struct vg_doc {
    char name[256];
    int pid;
    struct rl_buf text;
    struct rl_findings f; /* from the full parse */
};

static int doc_order(const void *a, const void *b, void *main_pid)
{
    const struct vg_doc *x = a, *y = b;
    int m = *(int *)main_pid;
    if ((x->pid == m) != (y->pid == m))
        return x->pid == m ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Valgrind's findings: one document per process image (--xml-file=valgrind.%p.%n.xml with
 * --trace-children=yes). A forked child writes its own; a process that execs another
 * program stops writing its document (Valgrind 3.19 leaves it cut after the preamble, or
 * later) and, traced, starts a new one under the same pid. So a cut document is accepted
 * only when a complete one of the same pid shows the exec'd program ran to the end; every
 * other document must be complete. The findings of all of them count. The program's own
 * complete document is renamed valgrind.xml. Every document must carry the run's `token`:
 * one without it was not written by this run's Valgrind (the program, say, dropped it). */
static void read_valgrind(const char *run_path, int pid, const char *bin, const char *case_dir,
                          const char *token, struct rl_findings *out, struct rl_buf *excerpt,
                          struct rl_buf *notes)
{
    memset(out, 0, sizeof *out);
    struct vg_doc *docs = NULL;
    size_t n = 0, cap = 0;
    char path[PATH_MAX + 64];
    DIR *d = opendir(run_path);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        int dpid, seq, end = 0;
        if (sscanf(e->d_name, "valgrind.%d.%d.xml%n", &dpid, &seq, &end) != 2 ||
            e->d_name[end] != '\0')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 4;
            docs = realloc(docs, cap * sizeof *docs);
            if (docs == NULL)
                abort();
        }
        memset(&docs[n], 0, sizeof docs[n]);
        rl_strlcpy(docs[n].name, e->d_name, sizeof docs[n].name);
        docs[n].pid = dpid;
        rl_xsnprintf(path, sizeof path, "%s/%s", run_path, e->d_name);
        rl_read_file(path, 64 << 20, &docs[n].text);
        n++;
    }
    if (d)
        closedir(d);
    qsort_r(docs, n, sizeof *docs, doc_order, &pid);

    struct rl_elfsym *syms = rl_elfsym_open(bin);
    int main_seen = 0, cut = 0;
    for (size_t i = 0; i < n; i++) /* the program's own first, for the excerpt */
        rl_vgxml_parse(rl_buf_str(&docs[i].text), docs[i].text.len, syms, case_dir, token,
                       &docs[i].f, docs[i].pid == pid ? excerpt : NULL);
    out->ran = 1;
    for (size_t i = 0; i < n && out->ran; i++) {
        struct vg_doc *x = &docs[i];
        main_seen |= x->pid == pid;
        int exec_done = 0; /* a complete document of the same pid: its exec'd program */
        for (size_t j = 0; j < n; j++)
            exec_done |= j != i && docs[j].pid == x->pid && docs[j].f.ran;
        if (!x->f.ran && exec_done) {
            rl_vgxml_parse_cut(rl_buf_str(&x->text), x->text.len, syms, case_dir, token, &x->f,
                               x->pid == pid ? NULL : excerpt); /* the first pass had it */
            cut += x->f.ran;
        }
        if (!x->f.ran) {
            out->ran = 0;
            if (x->pid == pid)
                rl_strlcpy(out->error, x->f.error, sizeof out->error);
            else { /* the name is short: "valgrind.<pid>.<n>.xml" */
                char msg[600];
                snprintf(msg, sizeof msg, "child process's %.60s: %s", x->name, x->f.error);
                rl_strlcpy(out->error, msg, sizeof out->error);
            }
        }
        for (size_t k = 0; k < x->f.n; k++)
            rl_findings_add(out, &x->f.v[k]);
    }
    if (out->ran && !main_seen) {
        out->ran = 0;
        snprintf(out->error, sizeof out->error, "valgrind wrote no XML file for the program");
    }
    if (out->ran && cut)
        rl_buf_printf(notes,
                      "%d process%s exec'd another program, which Valgrind followed to its "
                      "end (its findings count too)\n",
                      cut, cut == 1 ? "" : "es");
    for (size_t i = 0; i < n; i++) {
        if (docs[i].pid == pid && docs[i].f.ran && !main_seen++) {
            char from[PATH_MAX + 64];
            rl_xsnprintf(from, sizeof from, "%s/%s", run_path, docs[i].name);
            rl_xsnprintf(path, sizeof path, "%s/valgrind.xml", run_path);
            rename(from, path);
        }
        rl_buf_free(&docs[i].text);
        rl_findings_free(&docs[i].f);
    }
    free(docs);
    rl_elfsym_close(syms);
    if (!out->ran)
        rl_findings_free(out);
}

/* The judged cell's status, the output's tails in its notes when it is not as expected, and
 * its stdout and stderr saved: the output is the run's record (racelab report reads it), so
 * losing it is an error. */
static void settle(struct rl_cell *out, const struct rl_buf *so, const struct rl_buf *se)
{
    out->status = out->verdict.match ? RL_CELL_MATCH : RL_CELL_MISMATCH;
    if (!out->verdict.match) {
        tail(&out->notes, "stderr", se, 12);
        tail(&out->notes, "stdout", so, 6);
    }
    char unsaved[1400] = "";
    save_text(out->run_path, "stdout.txt", so, unsaved, sizeof unsaved);
    save_text(out->run_path, "stderr.txt", se, unsaved, sizeof unsaved);
    if (unsaved[0]) {
        out->status = RL_CELL_CONFIG_ERROR;
        snprintf(out->error, sizeof out->error, "%s (the run itself: %s)", unsaved,
                 out->verdict.message);
    }
}

/* Fork mode found a bad schedule: run that one again by exec, as `racelab replay` does, so
 * that the run files hold its whole output (a fork leaf's is only what it wrote after its
 * last fork) and the two runners are checked against each other: another outcome or other
 * choices make the search an error. */
static void exec_again(struct rl_explore_binary *b, struct rl_explore_result *res)
{
    if (res->end != RL_EXPLORE_FOUND)
        return;
    struct rl_explore_run r = {0};
    int ran = rl_explore_binary_run(b, res->schedule, &r);
    int same = ran == 0 && r.outcome == res->bad.outcome &&
               (r.outcome == RL_OUT_HANG || r.outcome == RL_OUT_CRASH ||
                (r.n == res->bad.n && memcmp(r.taken, res->bad.taken, r.n) == 0));
    if (ran == 0 && r.outcome != RL_OUT_HANG && r.outcome != RL_OUT_CRASH && r.error[0])
        same = 0;
    if (!same) {
        res->end = RL_EXPLORE_ERROR;
        snprintf(res->error, sizeof res->error,
                 "schedule '%.300s' ended in %s in fork mode but in %s when run again by exec "
                 "(%zu choice points against %zu)%s%.300s: the runs must agree",
                 res->schedule, rl_outcome_name(res->bad.outcome),
                 ran == 0 ? rl_outcome_name(r.outcome) : "no run", res->bad.n, r.n,
                 r.error[0] ? ": " : "", r.error);
    }
    rl_explore_run_free(&r);
}

/* An explore cell: the search over the loop's schedules (explore.h), judged as one run whose
 * findings are the bad schedule, if any, and whose outcome is that schedule's (ok when none
 * broke). Its files are the bad run's (or the last run's) stdout and stderr. */
static void explore_cell(const struct rl_settings *s, const struct rl_expect_row *row,
                         const char *bin, struct rl_cell *out)
{
    struct rl_cell_env env;
    rl_cell_env(RL_EXPLORE, out->run_path, NULL, NULL, s->param, &env);
    struct rl_explore_binary b = {.bin = bin,
                                  .env_add = env.env,
                                  .timeout_s = rl_cell_timeout(s, RL_EXPLORE),
                                  .bound = s->explore_bound};
    struct rl_explore_result res;
    unsigned long budget = s->explore_budget ? s->explore_budget : RL_EXPLORE_DEFAULT_BUDGET;
    int fork_mode = s->explore_mode == RL_EXPLORE_FORK;
    rl_explore(s->explore_bound, budget, fork_mode ? rl_explore_fork_run : rl_explore_binary_run,
               &b, &res);
    out->wall_s = b.wall_s; /* the search's: its time to the first bad schedule, if any */
    if (fork_mode)
        exec_again(&b, &res);
    rl_cell_env_free(&env);
    struct rl_explore_cov *cov = &out->explore;
    cov->on = 1;
    cov->runs = res.runs;
    cov->budget = res.budget;
    cov->bound = res.bound;
    rl_strlcpy(cov->end, rl_explore_end_name(res.end), sizeof cov->end);

    struct rl_observation obs;
    memset(&obs, 0, sizeof obs);
    obs.findings.ran = res.end != RL_EXPLORE_ERROR;
    obs.outcome = RL_OUT_OK;
    if (res.end == RL_EXPLORE_ERROR) {
        obs.outcome = RL_OUT_ERROR;
        rl_strlcpy(obs.findings.error, "the search ended in error", sizeof obs.findings.error);
    } else if (res.end == RL_EXPLORE_FOUND) {
        rl_strlcpy(cov->schedule, res.schedule, sizeof cov->schedule);
        struct rl_finding f;
        memset(&f, 0, sizeof f);
        f.kind = RL_SCHEDULE;
        rl_strlcpy(f.tool_kind, "bad-schedule", sizeof f.tool_kind);
        rl_strlcpy(f.symbols, rl_outcome_name(res.bad.outcome), sizeof f.symbols);
        if (strlen(res.schedule) < sizeof f.file) /* else only in the verdict and schedule.txt */
            rl_strlcpy(f.file, res.schedule, sizeof f.file);
        rl_findings_add(&obs.findings, &f);
        obs.outcome = res.bad.outcome;
        obs.exit_code = res.bad.exit_code;
        obs.signal = res.bad.signal;
        rl_strlcpy(obs.result_line, res.bad.result_line, sizeof obs.result_line);
    } else {
        result_line(rl_buf_str(&b.out), obs.result_line, sizeof obs.result_line);
    }
    rl_judge(row, rl_tools[RL_EXPLORE].name, &obs, &out->verdict);
    struct rl_verdict *v = &out->verdict;
    size_t used = strlen(v->message);
    if (res.end == RL_EXPLORE_ERROR) {
        v->match = 0;
        rl_strlcpy(v->outcome, "error", sizeof v->outcome);
        snprintf(v->message, sizeof v->message,
                 "MISMATCH under explore: no verdict: after %lu run%s the search ended in "
                 "error: %s",
                 res.runs, res.runs == 1 ? "" : "s", res.error);
    } else if (res.end == RL_EXPLORE_FOUND) {
        snprintf(v->message + used, sizeof v->message - used,
                 "; schedule '%.900s' (%u delay%s, run %lu of the search, delay bound %u)",
                 res.schedule, res.delays, res.delays == 1 ? "" : "s", res.runs, res.bound);
    } else {
        snprintf(v->message + used, sizeof v->message - used,
                 "; %lu schedule%s within %u delay%s held, %s", res.runs, res.runs == 1 ? "" : "s",
                 res.bound, res.bound == 1 ? "" : "s",
                 res.end == RL_EXPLORE_EXHAUSTED
                     ? "every one within the bound (exhausted)"
                     : "and the run budget ran out before the bounded tree did (budget)");
    }
    if (b.leftovers)
        rl_buf_printf(&out->notes,
                      "runs of the search left %d process%s running; racelab "
                      "killed %s\n",
                      b.leftovers, b.leftovers == 1 ? "" : "es", b.leftovers == 1 ? "it" : "them");
    settle(out, &b.out, &b.err);
    out->findings = obs.findings;
    rl_explore_binary_free(&b);
    rl_explore_result_free(&res);
}

void rl_cell_binary(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                    int tool, char *out, size_t len)
{
    snprintf(out, len, "%s/%s/%s/%s", s->bin_dir, rl_tools[tool].flavor, c->name, variant);
}

double rl_cell_timeout(const struct rl_settings *s, int tool)
{
    return s->timeout_s > 0 ? s->timeout_s : rl_tools[tool].timeout_s * s->timeout_scale;
}

int rl_build_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                  int tool, char *bin, size_t binlen, char *err, size_t errlen)
{
    const char *flavor = rl_tools[tool].flavor;
    rl_cell_binary(s, c, variant, tool, bin, binlen);
    struct rl_build b = {flavor, c->dir, variant, bin, c->cmake_built};
    char berr[3800] = "";
    if (rl_build_variant(&b, berr, sizeof berr) == 0)
        return 0;
    snprintf(err, errlen, "%s.%s does not build for %s: %s", c->name, variant, flavor, berr);
    return -1;
}

static void run_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                     int tool, const struct rl_expect_row *row, struct rl_cell *out);

static double cpu_seconds(void)
{
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    const struct timeval *tv[] = {&self.ru_utime, &self.ru_stime, &children.ru_utime,
                                  &children.ru_stime};
    double sum = 0;
    for (size_t i = 0; i < sizeof tv / sizeof *tv; i++)
        sum += (double)tv[i]->tv_sec + (double)tv[i]->tv_usec / 1e6;
    return sum;
}

/* The cell, and the CPU time it cost: racelab's own (the build check, the parsing) and that of
 * every process the run reaped (the program, its orphans, a symbolizer). */
void rl_run_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                 int tool, const struct rl_expect_row *row, struct rl_cell *out)
{
    double cpu0 = cpu_seconds();
    run_cell(s, c, variant, tool, row, out);
    out->cpu_s = out->status == RL_CELL_SKIP ? 0 : cpu_seconds() - cpu0;
}

static void run_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                     int tool, const struct rl_expect_row *row, struct rl_cell *out)
{
    memset(out, 0, sizeof *out);
    const struct rl_tool *t = &rl_tools[tool];
    if (rl_run_folder(out->run_path, sizeof out->run_path, s->run_dir, c->name, variant, tool,
                      out->error, sizeof out->error) != 0) {
        out->status = RL_CELL_CONFIG_ERROR;
        return;
    }

    rl_tool_unavailable(tool, out->skip_reason, sizeof out->skip_reason);
    if (t->kind == RL_KIND_EXPLORE && !rl_case_on_loop(c, variant))
        snprintf(out->skip_reason, sizeof out->skip_reason,
                 "not on the cooperative loop: %s.c does not include racelab/coop.h, so it has "
                 "no schedule to explore",
                 variant);
    if (out->skip_reason[0]) {
        out->status = RL_CELL_SKIP;
        return;
    }

    /* Without its symbolizer clang's runtime names nothing: a report would read as a
     * finding "on <null>". That is a missing install step, never a detector's verdict. */
    if (tool == RL_TSAN_CLANG && access(RACELAB_TSAN_CLANG_SYMBOLIZER, X_OK) != 0) {
        out->status = RL_CELL_CONFIG_ERROR;
        if (RACELAB_TSAN_CLANG_SYMBOLIZER[0])
            snprintf(out->error, sizeof out->error,
                     "the llvm-symbolizer racelab was configured with (%s) does not run "
                     "here: install llvm (Debian: apt-get install "
                     "llvm-%s) and configure racelab again",
                     RACELAB_TSAN_CLANG_SYMBOLIZER, RACELAB_CLANG_MAJOR);
        else
            snprintf(out->error, sizeof out->error,
                     "llvm-symbolizer not found for clang %s when racelab was configured, so "
                     "its ThreadSanitizer runtime cannot name what it reports: install llvm "
                     "(Debian: apt-get install llvm-%s) and configure racelab again",
                     RACELAB_CLANG_MAJOR, RACELAB_CLANG_MAJOR);
        return;
    }

    char bin[1024];
    if (rl_build_cell(s, c, variant, tool, bin, sizeof bin, out->error, sizeof out->error) != 0) {
        out->status = RL_CELL_CONFIG_ERROR;
        if (rl_spawn_stop) /* the compiler was stopped, not wrong */
            snprintf(out->error, sizeof out->error,
                     "interrupted by SIG%s while building %s.%s for %s",
                     sigabbrev_np(rl_spawn_stop), c->name, variant, t->flavor);
        return;
    }
    /* the case's suppression file for this tool, when it has one (cases.h) */
    char supp[PATH_MAX] = "", supp_opt[PATH_MAX + 20];
    int has_supp = rl_case_suppressions(c, t->kind, supp, sizeof supp, out->error,
                                        sizeof out->error);
    if (has_supp < 0) {
        out->status = RL_CELL_CONFIG_ERROR;
        return;
    }
    snprintf(supp_opt, sizeof supp_opt, "--suppressions=%s", supp);

    if (rl_mkdirs(out->run_path) != 0) {
        out->status = RL_CELL_CONFIG_ERROR;
        snprintf(out->error, sizeof out->error, "cannot create %s: %s", out->run_path,
                 strerror(errno));
        return;
    }

    /* Two racelab processes running the same cell (a matrix beside a ctest) would delete
     * each other's files: the second waits for the first. Released when the fd closes. */
    char lock_path[PATH_MAX];
    rl_xsnprintf(lock_path, sizeof lock_path, "%s/lock", out->run_path);
    int lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd >= 0)
        flock(lock_fd, LOCK_EX);
    if (t->kind == RL_KIND_EXPLORE) {
        explore_cell(s, row, bin, out);
        if (lock_fd >= 0)
            close(lock_fd);
        return;
    }

    /* The run's token authenticates its channels: the TSan hook opens every line with it,
     * Valgrind writes it into each document's <usercomment>. What lacks it, this run's
     * detector did not write (racelab/protocol.h). */
    char token[RL_PROTO_TOKEN_LEN + 1];
    char comment_opt[RL_PROTO_TOKEN_LEN + 64];
    if (rl_run_token(token, sizeof token) != 0) {
        out->status = RL_CELL_CONFIG_ERROR;
        snprintf(out->error, sizeof out->error,
                 "cannot draw the run's token (getrandom): %s; without it no channel can be "
                 "told from a forgery",
                 strerror(errno));
        if (lock_fd >= 0)
            close(lock_fd);
        return;
    }
    snprintf(comment_opt, sizeof comment_opt, "--xml-user-comment=%s %s", RL_PROTO_VG_COMMENT,
             token);

    char findings_path[PATH_MAX], xml_opt[PATH_MAX + 16];
    rl_xsnprintf(findings_path, sizeof findings_path, "%s/tsan-findings.txt", out->run_path);
    /* %p: a forked child keeps running under Valgrind and writes its own document; %n: a
     * process that execs (traced, see --trace-children) starts another under the same pid */
    rl_xsnprintf(xml_opt, sizeof xml_opt, "--xml-file=%s/valgrind.%%p.%%n.xml", out->run_path);
    unlink(findings_path);
    remove_matching(out->run_path, "valgrind.");

    char vg_tool[64];
    struct rl_cell_env env;
    rl_cell_env(tool, out->run_path, has_supp ? supp : NULL, token, s->param, &env);
    char *argv[14];
    int a = 0;
    if (t->kind == RL_KIND_VALGRIND) {
        snprintf(vg_tool, sizeof vg_tool, "--tool=%s", t->vg_tool);
        argv[a++] = "valgrind";
        argv[a++] = vg_tool;
        argv[a++] = "--xml=yes";
        argv[a++] = xml_opt;
        argv[a++] = comment_opt;
        /* one thread at a time, round-robin: reproducible schedules (manual 2.8.1) */
        argv[a++] = "--fair-sched=yes";
        /* a program that execs another (system(), popen()) leaves its document cut at the
         * exec: only a traced exec'd program shows, by finishing, that nothing was lost */
        argv[a++] = "--trace-children=yes";
        if (has_supp)
            argv[a++] = supp_opt;
    }
    argv[a++] = bin;
    argv[a] = NULL;

    double timeout = rl_cell_timeout(s, tool);
    struct rl_spawn_opts so = {
        .argv = argv, .env_add = env.env, .timeout_s = timeout, .cap = OUTPUT_CAP};
    struct rl_spawn_result r;
    struct rl_observation obs;
    memset(&obs, 0, sizeof obs);
    int spawned = rl_spawn(&so, &r);
    rl_cell_env_free(&env);
    if (spawned != 0) {
        out->status = RL_CELL_CONFIG_ERROR;
        snprintf(out->error, sizeof out->error, "%s", r.error);
        rl_spawn_result_free(&r);
        if (lock_fd >= 0)
            close(lock_fd);
        return;
    }
    out->wall_s = r.wall_s;
    if (r.interrupted) { /* stopped half-way: an error, never a verdict */
        out->status = RL_CELL_CONFIG_ERROR;
        snprintf(out->error, sizeof out->error,
                 "interrupted by SIG%s after %.1f s: the run was stopped and its processes "
                 "killed",
                 sigabbrev_np(r.interrupted), r.wall_s);
        save_text(out->run_path, "stdout.txt", &r.out, NULL, 0); /* an error already */
        save_text(out->run_path, "stderr.txt", &r.err, NULL, 0);
        rl_spawn_result_free(&r);
        if (lock_fd >= 0)
            close(lock_fd);
        return;
    }
    if (r.timed_out) {
        obs.outcome = RL_OUT_HANG;
        rl_buf_printf(&out->notes, "no end after %.0f s: the process group was killed\n", timeout);
    } else if (!r.exited) {
        obs.outcome = RL_OUT_CRASH;
        obs.signal = r.signal;
    } else {
        obs.exit_code = r.exit_code;
        obs.outcome = rl_outcome_from_exit(r.exit_code);
    }
    result_line(rl_buf_str(&r.out), obs.result_line, sizeof obs.result_line);
    if (r.pipes_held)
        rl_buf_printf(&out->notes, "a process that left the process group kept the output "
                                   "open after the program exited; racelab stopped reading\n");
    out->output_capped = r.out_dropped || r.err_dropped;
    if (out->output_capped)
        rl_buf_printf(&out->notes,
                      "output flood: kept %zu bytes per stream, dropped %zu of "
                      "stdout and %zu of stderr\n",
                      OUTPUT_CAP, r.out_dropped, r.err_dropped);

    if (t->kind == RL_KIND_TSAN) {
        struct rl_buf f = {0};
        if (rl_tsan_fatal(rl_buf_str(&r.err), &obs.findings)) {
            /* a runtime that died before its first line leaves no file: say why */
        } else if (rl_read_file(findings_path, 8 << 20, &f) != 0) {
            snprintf(obs.findings.error, sizeof obs.findings.error,
                     "no TSan findings file: the binary has no racelab TSan hook or never ran");
        } else {
            rl_tsan_parse(rl_buf_str(&f), rl_buf_str(&r.err), c->dir, token, &obs.findings);
        }
        rl_buf_free(&f);
        rl_tsan_excerpt(rl_buf_str(&r.err), EXCERPT_REPORTS, EXCERPT_LINES, &out->excerpt);
    } else if (t->kind == RL_KIND_VALGRIND) {
        read_valgrind(out->run_path, r.pid, bin, c->dir, token, &obs.findings, &out->excerpt,
                      &out->notes);
        char fatal[200];
        if (rl_vg_fatal(rl_buf_str(&r.err), fatal, sizeof fatal)) {
            rl_findings_free(&obs.findings);
            memset(&obs.findings, 0, sizeof obs.findings);
            snprintf(obs.findings.error, sizeof obs.findings.error, "Valgrind gave up: %s",
                     rl_trim(fatal));
        }
    }

    rl_judge(row, t->name, &obs, &out->verdict);
    if (r.leftovers) {
        int n = r.leftovers;
        rl_buf_printf(&out->notes,
                      "the program left %d process%s running after it %s; racelab "
                      "killed %s\n",
                      n, n == 1 ? "" : "es", r.timed_out ? "was killed" : "exited",
                      n == 1 ? "it" : "them");
    }
    /* Whatever its exit status said, a program that left processes running did not end as
     * the contract asks: its outcome is `error`, which matches nothing. (A hang is already
     * a hang.) */
    if (r.leftovers && !r.timed_out) {
        struct rl_verdict *v = &out->verdict;
        char why[160];
        snprintf(why, sizeof why, "left %d process%s running after it exited", r.leftovers,
                 r.leftovers == 1 ? "" : "es");
        if (v->match)
            snprintf(v->message, sizeof v->message,
                     "MISMATCH under %s: outcome: expected %s, got error (%s)", t->name,
                     row->outcome_spec, why);
        else
            snprintf(v->message + strlen(v->message), sizeof v->message - strlen(v->message),
                     "; outcome error: %s", why);
        v->match = 0;
        rl_strlcpy(v->outcome, "error", sizeof v->outcome);
    }
    settle(out, &r.out, &r.err);
    out->findings = obs.findings; /* the cell owns them now */
    rl_spawn_result_free(&r);
    if (lock_fd >= 0)
        close(lock_fd);
}

void rl_cell_free(struct rl_cell *c)
{
    rl_buf_free(&c->excerpt);
    rl_buf_free(&c->notes);
    rl_findings_free(&c->findings);
}

/* A value on one line: newline and backslash escaped, as rl_cell_load reads them. */
static void put_value(FILE *f, const char *key, const char *val)
{
    fprintf(f, "%s ", key);
    for (const char *p = val; *p; p++) {
        if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\\')
            fputs("\\\\", f);
        else if (*p != '\r')
            fputc(*p, f);
    }
    fputc('\n', f);
}

/* A finding's field: no tab or line break may split it. */
static void put_field(FILE *f, const char *val)
{
    fputc('\t', f);
    for (const char *p = val; *p; p++)
        fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, f);
}

/* The saved names of enum rl_cell_status; an unset cell is saved as an error. */
static const char *const status_names[] = {"error", "match", "mismatch", "skip", "error"};

const char *rl_cell_status_name(enum rl_cell_status s)
{
    return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "error";
}

/* A status line's value, exactly: a name above, or an older version's number (0 match,
 * 1 mismatch, 2 skip, 3 error). Anything else is RL_CELL_UNSET. */
static enum rl_cell_status parse_status(const char *val)
{
    static const enum rl_cell_status numbered[] = {RL_CELL_MATCH, RL_CELL_MISMATCH, RL_CELL_SKIP,
                                                   RL_CELL_CONFIG_ERROR};
    for (int i = RL_CELL_MATCH; i <= RL_CELL_CONFIG_ERROR; i++)
        if (strcmp(val, status_names[i]) == 0)
            return (enum rl_cell_status)i;
    if (val[0] >= '0' && val[0] <= '3' && val[1] == '\0')
        return numbered[val[0] - '0'];
    return RL_CELL_UNSET;
}

static int write_verdict(FILE *f, void *arg)
{
    const struct rl_cell *c = arg;
    fprintf(f, "status %s\nwall %.3f\n", status_names[c->status], c->wall_s);
    if (c->cpu_s > 0)
        fprintf(f, "cpu %.3f\n", c->cpu_s);
    put_value(f, "findings", c->verdict.findings);
    put_value(f, "outcome", c->verdict.outcome);
    put_value(f, "message", c->verdict.message);
    put_value(f, "skip", c->skip_reason);
    put_value(f, "error", c->error);
    if (c->explore.on) {
        fprintf(f, "explore %lu %u %lu %s\n", c->explore.runs, c->explore.bound, c->explore.budget,
                c->explore.end);
        if (c->explore.schedule[0])
            put_value(f, "schedule", c->explore.schedule);
    }
    for (size_t i = 0; i < c->findings.n; i++) {
        const struct rl_finding *x = &c->findings.v[i];
        fprintf(f, "finding %s", rl_kind_name(x->kind));
        put_field(f, x->tool_kind);
        put_field(f, x->symbols);
        put_field(f, x->functions);
        put_field(f, x->file);
        fprintf(f, "\t%d", x->line);
        put_field(f, x->file2);
        fprintf(f, "\t%d\n", x->line2);
    }
    return 0;
}

int rl_cell_save(const struct rl_cell *c)
{
    if (c->run_path[0] == '\0' || rl_mkdirs(c->run_path) != 0)
        return -1;
    /* the verdict last: a cell whose files are not all there has none */
    if (save_text(c->run_path, "excerpt.txt", &c->excerpt, NULL, 0) != 0 ||
        save_text(c->run_path, "notes.txt", &c->notes, NULL, 0) != 0)
        return -1;
    char path[PATH_MAX];
    rl_xsnprintf(path, sizeof path, "%s/verdict", c->run_path);
    return rl_write_atomic(path, write_verdict, (void *)c);
}

static void get_value(const char *val, char *dst, size_t len)
{
    size_t n = 0;
    for (const char *p = val; *p && n + 1 < len; p++) {
        if (p[0] == '\\' && p[1] == 'n')
            dst[n++] = '\n', p++;
        else if (p[0] == '\\' && p[1] == '\\')
            dst[n++] = '\\', p++;
        else
            dst[n++] = *p;
    }
    dst[n] = '\0';
}

/* "race\tdata-race\tcounter\tworker\tunsafe.c\t23\tunsafe.c\t25" (the last two, the second
 * stack's frame, may be missing: a verdict saved before they were): 0, or -1 when it is not
 * a finding. */
static int get_finding(char *val, struct rl_finding *x)
{
    char *field[8];
    int n = 0;
    for (char *p = val; n < 8; n++) {
        field[n] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL) {
            n++;
            break;
        }
        *tab = '\0';
        p = tab + 1;
    }
    int kind = n == 6 || n == 8 ? rl_kind_parse(field[0]) : -1;
    if (kind < 0)
        return -1;
    memset(x, 0, sizeof *x);
    x->kind = (enum rl_kind)kind;
    rl_strlcpy(x->tool_kind, field[1], sizeof x->tool_kind);
    rl_strlcpy(x->symbols, field[2], sizeof x->symbols);
    rl_strlcpy(x->functions, field[3], sizeof x->functions);
    rl_strlcpy(x->file, field[4], sizeof x->file);
    x->line = atoi(field[5]);
    if (n == 8) {
        rl_strlcpy(x->file2, field[6], sizeof x->file2);
        x->line2 = atoi(field[7]);
    }
    return 0;
}

int rl_cell_load(const char *run_path, struct rl_cell *c)
{
    memset(c, 0, sizeof *c);
    c->cpu_s = -1;
    rl_strlcpy(c->run_path, run_path, sizeof c->run_path);
    char path[PATH_MAX + 16];
    rl_xsnprintf(path, sizeof path, "%s/verdict", run_path);
    char path_verdict[PATH_MAX + 16];
    rl_strlcpy(path_verdict, path, sizeof path_verdict);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    int got_status = 0;
    char bad_status[64] = "";
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *sp = strchr(line, ' ');
        char *val = sp ? sp + 1 : "";
        if (sp)
            *sp = '\0';
        if (strcmp(line, "status") == 0) {
            c->status = parse_status(val);
            got_status = c->status != RL_CELL_UNSET;
            if (!got_status)
                snprintf(bad_status, sizeof bad_status, "%.40s", val[0] ? val : "(empty)");
        } else if (strcmp(line, "wall") == 0)
            c->wall_s = atof(val);
        else if (strcmp(line, "cpu") == 0)
            c->cpu_s = atof(val);
        else if (strcmp(line, "findings") == 0)
            get_value(val, c->verdict.findings, sizeof c->verdict.findings);
        else if (strcmp(line, "outcome") == 0)
            get_value(val, c->verdict.outcome, sizeof c->verdict.outcome);
        else if (strcmp(line, "message") == 0)
            get_value(val, c->verdict.message, sizeof c->verdict.message);
        else if (strcmp(line, "skip") == 0)
            get_value(val, c->skip_reason, sizeof c->skip_reason);
        else if (strcmp(line, "error") == 0)
            get_value(val, c->error, sizeof c->error);
        else if (strcmp(line, "explore") == 0)
            c->explore.on = sscanf(val, "%lu %u %lu %15s", &c->explore.runs, &c->explore.bound,
                                   &c->explore.budget, c->explore.end) == 4;
        else if (strcmp(line, "schedule") == 0)
            get_value(val, c->explore.schedule, sizeof c->explore.schedule);
        else if (strcmp(line, "finding") == 0) {
            struct rl_finding x;
            if (get_finding(val, &x) == 0)
                rl_findings_add(&c->findings, &x);
        }
    }
    free(line);
    fclose(f);
    c->findings.ran = strcmp(c->verdict.findings, "error") != 0 &&
                      strcmp(c->verdict.findings, "-") != 0 && c->verdict.findings[0];
    c->verdict.match = c->status == RL_CELL_MATCH;
    rl_xsnprintf(path, sizeof path, "%s/excerpt.txt", run_path);
    rl_read_file(path, 1 << 20, &c->excerpt);
    rl_xsnprintf(path, sizeof path, "%s/notes.txt", run_path);
    rl_read_file(path, 1 << 20, &c->notes);
    if (!got_status) { /* no verdict: whatever else the file said, never a match */
        c->status = RL_CELL_UNSET;
        c->verdict.match = 0;
        if (bad_status[0])
            snprintf(c->error, sizeof c->error, "%.3900s: unreadable status '%s'", path_verdict,
                     bad_status);
        else
            snprintf(c->error, sizeof c->error, "%.3900s: no status line", path_verdict);
    }
    return got_status ? 0 : -1;
}
