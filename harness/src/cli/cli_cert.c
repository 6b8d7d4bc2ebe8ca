/* cli_cert: `racelab explain --cert`, the SEI CERT C rule x detector table made from the
 * cases' expect files: what racelab has verified, cell by cell (core/cert.h). Three forms:
 * text for people (a grid of one-word cells, then each cell's cases by phrase), --markdown
 * (the README's section "CERT C rules x detectors" is this output, and a ctest check keeps
 * it so), and --json for scripts: {"cert": {"source": "expect", "rules": [{"rule", "family",
 * "tools": {TOOL: {"summary", "cases": [{"case", "phrase", "flagged", "missed",
 * "outcome_shows", "false_alarm", "no_verdict"}]}}}]}}. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "config.h"
#include "report_cert.h"
#include "tools.h"

enum { RULE_W = 9, WORD_W = 21 };

/* Every cell of the cases under the tool mask, as its expect row says. */
static size_t expected_obs(struct ctx *x, struct rl_expect *exps, struct rl_cert_obs **out,
                           int *bad)
{
    size_t n = 0, cap = 0;
    struct rl_cert_obs *obs = NULL;
    for (size_t i = 0; i < x->cases.n; i++) {
        const struct rl_case *c = &x->cases.v[i];
        if (cli_load_expect(c, &exps[i]) != 0) {
            *bad = 1;
            continue;
        }
        for (size_t v = 0; v < c->n_variants; v++)
            for (int t = 0; t < RL_TOOL_COUNT; t++) {
                const struct rl_expect_row *row = rl_expect_find(&exps[i], c->variants[v], t);
                if (!(x->tool_mask >> t & 1u) || row == NULL || exps[i].n_cert == 0)
                    continue;
                rl_grow(&obs, &cap, n, sizeof *obs, 64);
                obs[n] = (struct rl_cert_obs){.case_name = c->name,
                                              .variant = c->variants[v],
                                              .cert = exps[i].cert,
                                              .n_cert = exps[i].n_cert,
                                              .tool = t};
                rl_cert_obs_expected(&obs[n++], row);
            }
    }
    *out = obs;
    return n;
}

static void print_text(const struct rl_cert_table *t)
{
    int col[RL_TOOL_COUNT], n_col = rl_cert_columns(t->tools, col);
    printf("SEI CERT C rules x detectors, from the cases' expect files (what racelab verified)\n"
           "flagged: a finding on every unsafe variant; missed: none, and whether the outcome\n"
           "still shows the hazard; partly: some of each; false alarm: a finding on a fix\n\n");
    printf("%-*s", RULE_W, "rule");
    for (int k = 0; k < n_col; k++) /* the last column unpadded: no trailing blanks */
        printf("%-*s", k + 1 < n_col ? WORD_W : 0,
               col[k] == RL_NATIVE ? "native: outcome" : rl_tools[col[k]].name);
    printf("\n");
    for (size_t r = 0; r < t->n; r++) {
        printf("%-*s", RULE_W, t->rows[r].rule);
        for (int k = 0; k < n_col; k++) {
            char word[64];
            rl_cert_cell_word(&t->rows[r].tool[col[k]], col[k], word, sizeof word);
            printf("%-*s", k + 1 < n_col ? WORD_W : 0, word[0] ? word : "-");
        }
        printf("\n");
    }
    for (size_t r = 0; r < t->n; r++) {
        printf("\n%s\n", t->rows[r].rule);
        for (int k = 0; k < n_col; k++) {
            const struct rl_cert_cell *c = &t->rows[r].tool[col[k]];
            struct rl_cert_groups g;
            rl_cert_cell_groups(c, col[k], &g);
            for (size_t i = 0; i < g.count; i++) {
                printf("  %-12s %s: ", i ? "" : rl_tools[col[k]].name, g.phrase[i]);
                for (size_t j = 0; j < g.n[i]; j++)
                    printf("%s%s", j ? ", " : "", c->e[g.idx[i][j]].case_name);
                printf("\n");
            }
            rl_cert_groups_free(&g);
        }
    }
}

static json_t *names(const char *const *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *table_json(const struct rl_cert_table *t)
{
    json_t *rules = json_array();
    for (size_t r = 0; r < t->n; r++) {
        char family[8];
        rl_cert_family(t->rows[r].rule, family, sizeof family);
        json_t *tools = json_object();
        for (int k = 0; k < RL_TOOL_COUNT; k++) {
            const struct rl_cert_cell *c = &t->rows[r].tool[k];
            if (!(t->tools >> k & 1u))
                continue;
            char word[64];
            rl_cert_cell_word(c, k, word, sizeof word);
            json_t *cases = json_array();
            for (size_t i = 0; i < c->n; i++) {
                const struct rl_cert_entry *e = &c->e[i];
                char phrase[512];
                rl_cert_entry_phrase(e, k, phrase, sizeof phrase);
                json_array_append_new(cases, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
                                                       "case", e->case_name, "phrase", phrase,
                                                       "flagged", names(e->flagged, e->n_flagged),
                                                       "missed", names(e->missed, e->n_missed),
                                                       "outcome_shows", names(e->shown, e->n_shown),
                                                       "false_alarm", names(e->alarm, e->n_alarm),
                                                       "no_verdict", names(e->none, e->n_none)));
            }
            json_object_set_new(tools, rl_tools[k].name,
                                json_pack("{s:s, s:o}", "summary", word, "cases", cases));
        }
        json_array_append_new(rules, json_pack("{s:s, s:s, s:o}", "rule", t->rows[r].rule, "family",
                                               family, "tools", tools));
    }
    return json_pack("{s:{s:s, s:o}}", "cert", "source", "expect", "rules", rules);
}

/* A case's link in the Markdown table: its folder, relative to the repository when inside
 * it (the README's links), else absolute. */
static void case_link(const char *case_name, char *out, size_t len, void *arg)
{
    const struct ctx *x = arg;
    const struct rl_case *c = rl_cases_find(&x->cases, case_name);
    char root[PATH_MAX], dir[PATH_MAX];
    out[0] = '\0';
    if (c == NULL || realpath(c->dir, dir) == NULL)
        return;
    if (realpath(RACELAB_SOURCE_DIR, root) == NULL || strncmp(dir, root, strlen(root)) != 0 ||
        dir[strlen(root)] != '/' || rl_path_relative(root, dir, out, len) != 0)
        rl_strlcpy(out, dir, len);
    else if (strlen(out) + 2 <= len)
        strcat(out, "/");
}

int cli_explain_cert(struct ctx *x, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr,
                "racelab: explain --cert takes no case: its table covers every case "
                "('%s'; --cases DIR chooses the folders)\n",
                argv[0]);
        return EXIT_USAGE;
    }
    int bad = 0;
    struct rl_expect *exps = calloc(x->cases.n + 1, sizeof *exps);
    struct rl_cert_obs *obs;
    size_t n = expected_obs(x, exps, &obs, &bad);
    struct rl_cert_table t;
    rl_cert_table_make(obs, n, &t);
    int rc = bad ? EXIT_USAGE : EXIT_MATCH;
    if (t.n == 0)
        fprintf(stderr, "racelab: explain --cert: no case names a CERT C rule (an expect "
                        "file's cert: header)\n");
    if (x->json) {
        if (cli_json_print(x->json, "explain", json_array(), table_json(&t), rc) != 0)
            rc = EXIT_USAGE;
    } else if (x->markdown) {
        struct rl_buf b = {0};
        rl_report_cert_markdown(&b, &t, case_link, x);
        fputs(rl_buf_str(&b), stdout);
        rl_buf_free(&b);
    } else if (t.n > 0) {
        print_text(&t);
    }
    rl_cert_table_free(&t);
    free(obs);
    for (size_t i = 0; i < x->cases.n; i++)
        rl_expect_free(&exps[i]);
    free(exps);
    return rc;
}
