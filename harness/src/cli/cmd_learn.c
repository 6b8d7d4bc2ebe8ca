/* The commands that read the cases: list, check, diff and explain (which names the case's SEI
 * CERT C rules, its expect file's cert: header; explain --cert, the rule x detector table of
 * every case, is cli_cert.c's). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawn.h"
#include "tools.h"

int cmd_list(struct ctx *x, int argc, char **argv)
{
    (void)argc, (void)argv;
    json_t *doc = x->json ? cli_json_list_tools(&x->settings) : NULL;
    if (doc == NULL)
        printf("tools:\n");
    for (int t = 0; doc == NULL && t < RL_TOOL_COUNT; t++) {
        char why[256];
        rl_tool_unavailable(t, why, sizeof why);
        printf("  %-11s %s; time limit %g s per run\n", rl_tools[t].name,
               why[0] ? why : "available", rl_cell_timeout(&x->settings, t));
    }
    if (doc == NULL)
        printf("cases:\n");
    int rc = EXIT_MATCH;
    for (size_t i = 0; i < x->cases.n; i++) {
        const struct rl_case *c = &x->cases.v[i];
        struct rl_expect e;
        if (cli_load_expect(c, &e) != 0) {
            rc = EXIT_USAGE;
            continue;
        }
        if (doc)
            cli_json_list_case(doc, x->tool_mask, c, &e);
        else
            printf("  %-24s [%s] %s\n", c->name, e.family, e.lesson);
        for (size_t v = 0; doc == NULL && v < c->n_variants; v++)
            printf("    %s\n", c->variants[v]);
        rl_expect_free(&e);
    }
    if (doc &&
        cli_json_print(x->json, "list", json_incref(json_object_get(doc, "cells")), doc, rc) != 0)
        return EXIT_USAGE;
    return rc;
}

int cmd_check(struct ctx *x, int argc, char **argv)
{
    (void)argc, (void)argv;
    int rc = EXIT_MATCH;
    for (size_t i = 0; i < x->cases.n; i++) {
        struct rl_expect e;
        if (cli_load_expect(&x->cases.v[i], &e) != 0)
            rc = EXIT_USAGE;
        else
            rl_expect_free(&e);
    }
    struct sel *sel;
    size_t n;
    if (rc == EXIT_MATCH && cli_select_cells(x, NULL, &sel, &n) == 0) {
        char *broken = calloc(n + 1, 1);
        if (cli_build_once(x, sel, n, broken) != 0)
            rc = EXIT_USAGE;
        free(broken);
        free(sel);
    }
    if (rc == EXIT_MATCH)
        printf("racelab: %zu case%s checked: expect files valid, every variant builds\n",
               x->cases.n, x->cases.n == 1 ? "" : "s");
    return rc;
}

int cmd_diff(struct ctx *x, int argc, char **argv)
{
    const char *name = argc > 0 ? argv[0] : NULL, *variant = argc > 1 ? argv[1] : NULL;
    const struct rl_case *c = cli_find_case(x, name);
    struct rl_expect e;
    if (c == NULL || cli_load_expect(c, &e) != 0)
        return EXIT_USAGE;
    int found = variant == NULL, rc = EXIT_MATCH;
    printf("%s: %s\n", c->name, e.lesson);
    for (size_t v = 0; v < c->n_variants; v++) {
        const char *name_v = c->variants[v];
        if (rl_variant_is_unsafe(name_v) && !(variant && strcmp(variant, name_v) == 0))
            continue;
        if (variant && strcmp(variant, name_v) != 0)
            continue;
        found = 1;
        char a[80], b[80];
        snprintf(a, sizeof a, "unsafe.c");
        snprintf(b, sizeof b, "%s.c", name_v);
        char *argv[] = {"diff", "-u", "--label", a, "--label", b, a, b, NULL};
        struct rl_spawn_opts so = {.argv = argv, .cwd = c->dir, .timeout_s = 30};
        struct rl_spawn_result r;
        if (rl_spawn(&so, &r) != 0 || !r.exited || r.exit_code > 1) {
            fprintf(stderr, "racelab: diff -u %s %s failed: %s%s\n", a, b, r.error,
                    rl_buf_str(&r.err));
            rc = EXIT_USAGE;
        } else {
            printf("\n%s", rl_buf_str(&r.out));
        }
        rl_spawn_result_free(&r);
    }
    if (!found) {
        fprintf(stderr, "racelab: case '%s' has no variant '%s'\n", c->name, variant);
        rc = EXIT_USAGE;
    }
    rl_expect_free(&e);
    return rc;
}

int cmd_explain(struct ctx *x, int argc, char **argv)
{
    if (x->cert)
        return cli_explain_cert(x, argc, argv);
    const char *name = argc > 0 ? argv[0] : NULL;
    const struct rl_case *c = cli_find_case(x, name);
    struct rl_expect e;
    if (c == NULL || cli_load_expect(c, &e) != 0)
        return EXIT_USAGE;
    printf("%s [%s]\n  %s\n", c->name, e.family, e.lesson);
    if (e.n_cert > 0) {
        printf("  SEI CERT C:");
        for (int i = 0; i < e.n_cert; i++)
            printf("%s %s", i ? "," : "", e.cert[i]);
        printf("\n");
    }
    printf("  read: %s/README.md; see the fix: racelab diff %s\n", c->dir, c->name);
    for (int t = 0; t < RL_TOOL_COUNT; t++) {
        printf("\n%s\n", rl_tools[t].name);
        for (size_t v = 0; v < c->n_variants; v++) {
            const struct rl_expect_row *row = rl_expect_cell_row(&e, c->variants[v], t);
            char want[256];
            rl_expect_findings_text(row, want, sizeof want);
            printf("  %-22s %s / %s\n  %-22s   %s\n", c->variants[v], want, row->outcome_spec, "",
                   row->reason);
        }
    }
    rl_expect_free(&e);
    return EXIT_MATCH;
}
