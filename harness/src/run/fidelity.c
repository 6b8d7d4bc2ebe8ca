#include "fidelity.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "spawn.h"
#include "tools.h"
#include "tsan.h"
#include "vgxml.h"

/* The bare run keeps more output than a cell does: nothing that decides the comparison may
 * be cut. A run that outgrows it is an error. */
static const size_t BARE_CAP = 16 << 20;

void rl_tally_add(struct rl_tally *t, const char *kind)
{
    t->total++;
    int i = 0;
    while (i < t->n_kinds && strcmp(t->kinds[i], kind) < 0)
        i++;
    if (i < t->n_kinds && strcmp(t->kinds[i], kind) == 0) {
        t->counts[i]++;
        return;
    }
    if (t->n_kinds == RL_TALLY_KINDS) {
        t->overflow = 1;
        return;
    }
    memmove(&t->kinds[i + 1], &t->kinds[i], (size_t)(t->n_kinds - i) * sizeof t->kinds[0]);
    memmove(&t->counts[i + 1], &t->counts[i], (size_t)(t->n_kinds - i) * sizeof t->counts[0]);
    rl_strlcpy(t->kinds[i], kind, sizeof t->kinds[i]);
    t->counts[i] = 1;
    t->n_kinds++;
}

void rl_tally_text(const struct rl_tally *t, char *out, size_t len)
{
    size_t used = (size_t)snprintf(out, len, "%d report%s", t->total, t->total == 1 ? "" : "s");
    for (int i = 0; i < t->n_kinds && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s x%d", i ? ", " : ": ", t->kinds[i],
                                 t->counts[i]);
    if (t->overflow && used < len)
        snprintf(out + used, len - used, ", and more kinds than racelab tallies");
}

int rl_tally_equal(const struct rl_tally *a, const struct rl_tally *b)
{
    if (a->total != b->total || a->n_kinds != b->n_kinds || a->overflow || b->overflow)
        return 0;
    for (int i = 0; i < a->n_kinds; i++)
        if (strcmp(a->kinds[i], b->kinds[i]) != 0 || a->counts[i] != b->counts[i])
            return 0;
    return 1;
}

static void tally_tsan_kind(void *ctx, const char *kind)
{
    rl_tally_add(ctx, kind);
}

/* Every valgrind.*.xml document in dir (one per process) must be complete; their <kind>s
 * are tallied. Returns 0, or -1 with why set. */
static int tally_valgrind_dir(const char *dir, struct rl_tally *t, char *why, size_t len)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(why, len, "cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    int docs = 0, rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "valgrind.", 9) != 0)
            continue;
        char path[PATH_MAX + 64];
        rl_xsnprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct rl_buf x = {0};
        struct rl_findings f;
        rl_read_file(path, 64 << 20, &x);
        /* the bare run has no token: racelab added nothing to it */
        if (rl_vgxml_parse(rl_buf_str(&x), x.len, NULL, "", NULL, &f, NULL) != 0) {
            snprintf(why, len, "bare run's %s: %s", e->d_name, f.error);
            rc = -1;
        }
        for (size_t i = 0; i < f.n; i++)
            rl_tally_add(t, f.v[i].tool_kind);
        rl_findings_free(&f);
        rl_buf_free(&x);
        docs++;
    }
    closedir(d);
    if (rc == 0 && docs == 0) {
        snprintf(why, len, "the bare Valgrind run wrote no XML document in %s", dir);
        rc = -1;
    }
    return rc;
}

/* The racelab side: what the cell's run printed (TSan) or wrote (Valgrind). */
static int tally_racelab(const struct rl_cell *cell, int tool, struct rl_tally *t, char *why,
                         size_t len)
{
    if (strcmp(cell->verdict.outcome, "hang") == 0) {
        snprintf(why, len, "the run through racelab did not finish (hang)");
        return -1;
    }
    if (rl_tools[tool].kind == RL_KIND_VALGRIND) {
        if (!cell->findings.ran) {
            snprintf(why, len, "the run through racelab has no complete Valgrind XML: %s",
                     cell->findings.error);
            return -1;
        }
        for (size_t i = 0; i < cell->findings.n; i++)
            rl_tally_add(t, cell->findings.v[i].tool_kind);
        return 0;
    }
    if (cell->output_capped) {
        snprintf(why, len, "the run through racelab outgrew its output cap: stderr is cut");
        return -1;
    }
    char path[PATH_MAX];
    rl_xsnprintf(path, sizeof path, "%s/stderr.txt", cell->run_path);
    struct rl_buf err = {0};
    int rc = rl_read_file(path, 0, &err);
    if (rc != 0)
        snprintf(why, len, "cannot read %s: %s", path, strerror(errno));
    else
        rl_tsan_text_reports(rl_buf_str(&err), tally_tsan_kind, t);
    rl_buf_free(&err);
    return rc;
}

/* The bare side: the same binary, without anything racelab adds. */
static int tally_bare(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                      int tool, const char *dir, struct rl_tally *t, char *why, size_t len)
{
    const struct rl_tool *tl = &rl_tools[tool];
    char bin[1024], vg_tool[64], xml_opt[PATH_MAX + 32];
    rl_cell_binary(s, c, variant, tool, bin, sizeof bin);
    if (rl_mkdirs(dir) != 0) {
        snprintf(why, len, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (strncmp(e->d_name, "valgrind.", 9) == 0) {
            char old[PATH_MAX + 64];
            rl_xsnprintf(old, sizeof old, "%s/%s", dir, e->d_name);
            unlink(old);
        }
    }
    if (d)
        closedir(d);
    snprintf(vg_tool, sizeof vg_tool, "--tool=%s", tl->vg_tool ? tl->vg_tool : "");
    rl_xsnprintf(xml_opt, sizeof xml_opt, "--xml-file=%s/valgrind.%%p.xml", dir);
    /* The case's suppression file is part of the program's setup, not racelab's: a user
     * runs the bare tool with it too, so the bare run gets the same file. */
    char supp[PATH_MAX] = "", supp_opt[PATH_MAX + 20], supp_env[PATH_MAX + 30];
    int has_supp = rl_case_suppressions(c, tl->kind, supp, sizeof supp, why, len);
    if (has_supp < 0)
        return -1;
    snprintf(supp_opt, sizeof supp_opt, "--suppressions=%s", supp);
    snprintf(supp_env, sizeof supp_env, "TSAN_OPTIONS=suppressions=%s", supp);
    char *tsan_argv[] = {bin, NULL};
    char *vg_argv[] = {"valgrind", vg_tool, "--xml=yes", xml_opt, bin, NULL, NULL};
    if (has_supp) {
        vg_argv[5] = bin;
        vg_argv[4] = supp_opt;
    }
    char *tsan_env[] = {has_supp ? supp_env : NULL, NULL};
    static const char *const drop[] = {"TSAN_OPTIONS", "RACELAB_*", NULL};
    struct rl_spawn_opts so = {
        .argv = tl->kind == RL_KIND_VALGRIND ? vg_argv : tsan_argv,
        .env_drop = drop,
        .env_add = tl->kind == RL_KIND_TSAN ? tsan_env : NULL,
        /* TSan's default atexit_sleep_ms=1000 is part of a bare run */
        .timeout_s = rl_cell_timeout(s, tool) + 2,
        .cap = BARE_CAP,
    };
    struct rl_spawn_result r;
    int rc = rl_spawn(&so, &r);
    if (rc != 0) {
        snprintf(why, len, "bare run: %s", r.error);
    } else if (r.timed_out) {
        snprintf(why, len, "the bare run did not finish in %.0f s", so.timeout_s);
        rc = -1;
    } else if (r.err_dropped) {
        snprintf(why, len, "the bare run's stderr outgrew %zu bytes", BARE_CAP);
        rc = -1;
    }
    char path[PATH_MAX];
    rl_xsnprintf(path, sizeof path, "%s/stderr.txt", dir);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(rl_buf_str(&r.err), 1, r.err.len, f);
        fclose(f);
    }
    if (rc == 0 && tl->kind == RL_KIND_VALGRIND)
        rc = tally_valgrind_dir(dir, t, why, len);
    else if (rc == 0)
        rl_tsan_text_reports(rl_buf_str(&r.err), tally_tsan_kind, t);
    rl_spawn_result_free(&r);
    return rc;
}

/* One pair of runs: through racelab, then bare. Returns 0, 1 (skipped) or -1 (error). */
static int run_pair(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                    int tool, const struct rl_expect_row *row, struct rl_fidelity *out)
{
    char *root = rl_path_join(s->run_dir, "fidelity", NULL);
    struct rl_settings fs = *s;
    fs.run_dir = root;
    struct rl_cell cell;
    rl_run_cell(&fs, c, variant, tool, row, &cell);
    free(root);
    rl_strlcpy(out->run_path, cell.run_path, sizeof out->run_path);
    struct rl_tally *bare = &out->bare[out->attempts], *through = &out->racelab[out->attempts];
    int rc = 0;
    if (cell.status == RL_CELL_SKIP) {
        rl_strlcpy(out->why, cell.skip_reason, sizeof out->why);
        rc = 1;
    } else if (cell.status == RL_CELL_CONFIG_ERROR) {
        rl_strlcpy(out->why, cell.error, sizeof out->why);
        rc = -1;
    } else {
        char bare_dir[PATH_MAX];
        rl_xsnprintf(bare_dir, sizeof bare_dir, "%s/bare", cell.run_path);
        if (tally_racelab(&cell, tool, through, out->why, sizeof out->why) != 0 ||
            tally_bare(s, c, variant, tool, bare_dir, bare, out->why, sizeof out->why) != 0)
            rc = -1;
    }
    rl_cell_free(&cell);
    out->attempts++;
    return rc;
}

/* The run through racelab that gave what some bare run gave, or -1. */
static int any_pair_equal(const struct rl_fidelity *f)
{
    for (int i = 0; i < f->attempts; i++)
        for (int j = 0; j < f->attempts; j++)
            if (rl_tally_equal(&f->racelab[i], &f->bare[j]))
                return i;
    return -1;
}

void rl_fidelity_cell(const struct rl_settings *s, const struct rl_case *c, const char *variant,
                      int tool, const struct rl_expect_row *row, struct rl_fidelity *out)
{
    memset(out, 0, sizeof *out);
    out->status = RL_FID_DIFFER;
    while (out->attempts < RL_FID_ATTEMPTS) {
        int rc = run_pair(s, c, variant, tool, row, out);
        if (rc != 0) {
            out->status = rc > 0 ? RL_FID_SKIP : RL_FID_ERROR;
            return;
        }
        if ((out->agreed = any_pair_equal(out)) >= 0) {
            out->status = RL_FID_AGREE;
            return;
        }
    }
}
