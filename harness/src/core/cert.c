/* cert: the SEI CERT C rule x detector table from cell observations (see cert.h). */
#include "cert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "util.h"

/* The outcomes that show a hazard: the program saw its invariant break or stopped making
 * progress. inconclusive matches nothing, so it shows nothing either. */
static const unsigned bad_outcomes = 1u << RL_OUT_STARVED | 1u << RL_OUT_WATCHDOG |
                                     1u << RL_OUT_LOST_UPDATE | 1u << RL_OUT_CRASH |
                                     1u << RL_OUT_HANG;

void rl_cert_obs_expected(struct rl_cert_obs *o, const struct rl_expect_row *row)
{
    o->seen = !row->no_detector && row->n_need > 0 ? RL_CERT_FLAGGED : RL_CERT_CLEAN;
    int some = (row->outcomes & bad_outcomes) != 0;
    o->outcome_shows = some && (row->outcomes & ~bad_outcomes) == 0 && row->n_exit_codes == 0 ? 2
                       : some                                                                 ? 1
                                                                                              : 0;
}

int rl_cert_outcome_bad(const char *outcome)
{
    int o = rl_outcome_parse(outcome);
    return o >= 0 && (bad_outcomes >> o & 1u);
}

static int cmp_rows(const void *a, const void *b)
{
    return strcmp(((const struct rl_cert_row *)a)->rule, ((const struct rl_cert_row *)b)->rule);
}

static struct rl_cert_row *row_of(struct rl_cert_table *t, size_t *cap, const char *rule)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].rule, rule) == 0)
            return &t->rows[i];
    rl_grow(&t->rows, cap, t->n, sizeof *t->rows, 16);
    struct rl_cert_row *r = &t->rows[t->n++];
    memset(r, 0, sizeof *r);
    rl_strlcpy(r->rule, rule, sizeof r->rule);
    return r;
}

static struct rl_cert_entry *entry_of(struct rl_cert_cell *c, const char *case_name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->e[i].case_name, case_name) == 0)
            return &c->e[i];
    c->e = realloc(c->e, (c->n + 1) * sizeof *c->e);
    if (c->e == NULL)
        abort();
    struct rl_cert_entry *e = &c->e[c->n++];
    memset(e, 0, sizeof *e);
    e->case_name = case_name;
    return e;
}

/* A case has at most RL_MAX_VARIANTS variants, so a list of one case's variants never
 * outgrows its array; a repeated observation of one cell is taken once. */
static void add(const char **list, int *n, const char *variant)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(list[i], variant) == 0)
            return;
    if (*n < RL_MAX_VARIANTS)
        list[(*n)++] = variant;
}

static void observe(struct rl_cert_entry *e, const struct rl_cert_obs *o)
{
    int unsafe = rl_variant_is_unsafe(o->variant);
    if (o->seen == RL_CERT_NO_VERDICT) {
        add(e->none, &e->n_none, o->variant);
        return;
    }
    if (!unsafe) {
        if (o->seen == RL_CERT_FLAGGED)
            add(e->alarm, &e->n_alarm, o->variant);
        return;
    }
    e->n_unsafe++;
    if (o->seen == RL_CERT_FLAGGED) {
        add(e->flagged, &e->n_flagged, o->variant);
        return;
    }
    add(e->missed, &e->n_missed, o->variant);
    if (o->outcome_shows == 2)
        add(e->shown, &e->n_shown, o->variant);
    e->n_maybe += o->outcome_shows == 1;
}

void rl_cert_table_make(const struct rl_cert_obs *obs, size_t n, struct rl_cert_table *t)
{
    memset(t, 0, sizeof *t);
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rl_cert_obs *o = &obs[i];
        if (o->tool < 0 || o->tool >= RL_TOOL_COUNT)
            continue;
        for (int r = 0; r < o->n_cert; r++) {
            struct rl_cert_row *row = row_of(t, &cap, o->cert[r]);
            observe(entry_of(&row->tool[o->tool], o->case_name), o);
            t->tools |= 1u << o->tool;
        }
    }
    if (t->n > 1)
        qsort(t->rows, t->n, sizeof *t->rows, cmp_rows);
}

void rl_cert_table_free(struct rl_cert_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        for (int k = 0; k < RL_TOOL_COUNT; k++)
            free(t->rows[i].tool[k].e);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

static void list_text(struct rl_buf *b, const char *const *v, int n)
{
    for (int i = 0; i < n; i++)
        rl_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
}

/* What the outcome says of the missed variants: all, some (named) or none shown. */
static void shown_text(struct rl_buf *b, const struct rl_cert_entry *e, const char *lead)
{
    if (e->n_shown == 0) {
        rl_buf_printf(b, "%sthe outcome %s", lead,
                      e->n_maybe ? "may show it, not always" : "does not show it");
        return;
    }
    rl_buf_printf(b, "%sthe outcome shows it", lead);
    if (e->n_shown < e->n_missed) {
        rl_buf_puts(b, " on ");
        list_text(b, e->shown, e->n_shown);
    }
}

void rl_cert_entry_phrase(const struct rl_cert_entry *e, int tool, char *out, size_t len)
{
    struct rl_buf b = {0};
    if (rl_tools[tool].kind == RL_KIND_NATIVE) { /* native: the outcome alone */
        if (e->n_missed)
            shown_text(&b, e, "");
    } else if (e->n_flagged && e->n_missed) {
        rl_buf_puts(&b, "flagged on ");
        list_text(&b, e->flagged, e->n_flagged);
        rl_buf_puts(&b, ", missed on ");
        list_text(&b, e->missed, e->n_missed);
        shown_text(&b, e, " (");
        rl_buf_puts(&b, ")");
    } else if (e->n_flagged) {
        rl_buf_puts(&b, "flagged");
    } else if (e->n_missed) {
        shown_text(&b, e, "missed; ");
    }
    if (e->n_alarm) {
        rl_buf_printf(&b, "%sfalse alarm on ", b.len ? "; " : "");
        list_text(&b, e->alarm, e->n_alarm);
    }
    if (e->n_none) {
        rl_buf_printf(&b, "%sno verdict on ", b.len ? "; " : "");
        list_text(&b, e->none, e->n_none);
    }
    if (b.len == 0)
        rl_buf_puts(&b, e->n_unsafe ? "" : "no unsafe variant; the fix is clean");
    rl_strlcpy(out, rl_buf_str(&b), len);
    rl_buf_free(&b);
}

size_t rl_cert_cell_groups(const struct rl_cert_cell *c, int tool, struct rl_cert_groups *g)
{
    memset(g, 0, sizeof *g);
    if (c->n == 0)
        return 0;
    g->phrase = calloc(c->n, sizeof *g->phrase);
    g->idx = calloc(c->n, sizeof *g->idx);
    g->n = calloc(c->n, sizeof *g->n);
    if (g->phrase == NULL || g->idx == NULL || g->n == NULL)
        abort();
    for (size_t i = 0; i < c->n; i++) {
        char p[512];
        rl_cert_entry_phrase(&c->e[i], tool, p, sizeof p);
        size_t k = 0;
        while (k < g->count && strcmp(g->phrase[k], p) != 0)
            k++;
        if (k == g->count) {
            rl_strlcpy(g->phrase[g->count], p, sizeof g->phrase[0]);
            if ((g->idx[g->count++] = calloc(c->n, sizeof **g->idx)) == NULL)
                abort();
        }
        g->idx[k][g->n[k]++] = i;
    }
    return g->count;
}

void rl_cert_groups_free(struct rl_cert_groups *g)
{
    for (size_t k = 0; k < g->count; k++)
        free(g->idx[k]);
    free(g->idx);
    free(g->n);
    free(g->phrase);
    memset(g, 0, sizeof *g);
}

void rl_cert_cell_word(const struct rl_cert_cell *c, int tool, char *out, size_t len)
{
    int flagged = 0, missed = 0, shown = 0, alarm = 0, judged = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct rl_cert_entry *e = &c->e[i];
        flagged += e->n_flagged;
        missed += e->n_missed;
        shown += e->n_shown;
        alarm += e->n_alarm;
        judged += e->n_unsafe;
    }
    const char *w = "";
    if (rl_tools[tool].kind == RL_KIND_NATIVE)
        w = missed == 0 ? "" : shown == missed ? "shows it" : shown ? "partly" : "does not";
    else if (judged)
        w = missed == 0 ? "flagged" : flagged == 0 ? "missed" : "partly";
    else if (c->n)
        w = "no verdict";
    snprintf(out, len, "%s%s", w, alarm ? (w[0] ? "; false alarm" : "false alarm") : "");
}

int rl_cert_columns(unsigned tools, int *col)
{
    int k = 0;
    for (int t = 1; t <= RL_TOOL_COUNT; t++) /* native (0) comes last */
        if (tools >> (t % RL_TOOL_COUNT) & 1u)
            col[k++] = t % RL_TOOL_COUNT;
    return k;
}

void rl_cert_family(const char *rule, char *out, size_t len)
{
    size_t k = strspn(rule, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    rl_strlcpyn(out, len, rule, k);
}
