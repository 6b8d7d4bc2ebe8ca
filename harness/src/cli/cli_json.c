/* cli_json: --json, racelab's output for scripts. A command that takes --json (list, run,
 * matrix) prints exactly one JSON document on stdout and nothing else there: main() points
 * stdout at stderr for the command, so what people read (progress, the table, messages)
 * goes to stderr, and the document goes to the real stdout (ctx.json). The exit status is
 * the same as without --json. The document:
 *   {"racelab": VERSION, "command": NAME, "exit_status": N,
 *    "cells": [{"name": "CASE.VARIANT.TOOL", "case", "variant", "tool",
 *               "verdict": "match" | "mismatch" | "skip" | "error",
 *               "findings", "outcome",            (what was seen; "" when not run)
 *               "expected": {"findings", "outcome", "reason"},
 *               "message", "seconds", "run_folder"}],
 *    "totals": {"match", "mismatch", "skip", "error"}}
 * list has no verdicts: its cells carry "available" (and "why" when not) instead, and it
 * adds "cases" (name, folder, family, lesson, variants) and "tools" (name, available, why). */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tools.h"

int cli_json_begin(struct ctx *x)
{
    fflush(stdout);
    int fd = dup(1);
    if (fd < 0 || (x->json = fdopen(fd, "w")) == NULL || dup2(2, 1) < 0) {
        fprintf(stderr, "racelab: --json: cannot set stdout aside: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static json_t *cell_base(const char *case_name, const char *variant, int tool)
{
    char id[512];
    snprintf(id, sizeof id, "%s.%s.%s", case_name, variant, rl_tools[tool].name);
    return json_pack("{s:s, s:s, s:s, s:s}", "name", id, "case", case_name, "variant", variant,
                     "tool", rl_tools[tool].name);
}

void cli_json_add_cells(json_t *arr, const struct rl_report_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct rl_report_cell *rc = &cells[i];
        const struct rl_cell *c = &rc->cell;
        json_t *o = cell_base(rc->case_name, rc->variant, rc->tool);
        int judged = c->status == RL_CELL_MATCH || c->status == RL_CELL_MISMATCH;
        const char *message = c->status == RL_CELL_SKIP ? c->skip_reason
                              : judged                  ? c->verdict.message
                                                        : c->error;
        json_object_set_new(o, "verdict", json_string(rl_cell_status_name(c->status)));
        json_object_set_new(o, "findings", json_string(judged ? c->verdict.findings : ""));
        json_object_set_new(o, "outcome", json_string(judged ? c->verdict.outcome : ""));
        if (rc->row) {
            char want[256];
            rl_expect_findings_text(rc->row, want, sizeof want);
            json_object_set_new(o, "expected",
                                json_pack("{s:s, s:s, s:s}", "findings", want, "outcome",
                                          rc->row->outcome_spec, "reason", rc->row->reason));
        }
        json_object_set_new(o, "message", json_string(message));
        if (c->explore.on) /* what a clean explore cell claims: exhausted or budget */
            json_object_set_new(o, "explore",
                                json_pack("{s:I, s:i, s:I, s:s, s:s}", "schedules",
                                          (json_int_t)c->explore.runs, "delay_bound",
                                          (int)c->explore.bound, "budget",
                                          (json_int_t)c->explore.budget, "end", c->explore.end,
                                          "schedule", c->explore.schedule));
        json_object_set_new(o, "seconds", json_real(c->wall_s));
        json_object_set_new(o, "run_folder", json_string(c->run_path));
        json_array_append_new(arr, o);
    }
}

int cli_json_print(FILE *out, const char *command, json_t *cells, json_t *extra, int exit_status)
{
    json_t *doc = extra ? extra : json_object();
    json_object_set_new(doc, "racelab", json_string(RACELAB_VERSION));
    json_object_set_new(doc, "command", json_string(command));
    json_object_set_new(doc, "exit_status", json_integer(exit_status));
    struct rl_report_totals t = {0};
    size_t i;
    json_t *cell;
    json_array_foreach(cells, i, cell)
    {
        const char *v = json_string_value(json_object_get(cell, "verdict"));
        if (v == NULL)
            continue;
        t.match += strcmp(v, "match") == 0;
        t.mismatch += strcmp(v, "mismatch") == 0;
        t.skip += strcmp(v, "skip") == 0;
        t.errors += strcmp(v, "error") == 0;
    }
    if (strcmp(command, "list") != 0)
        json_object_set_new(doc, "totals",
                            json_pack("{s:I, s:I, s:I, s:I}", "match", (json_int_t)t.match,
                                      "mismatch", (json_int_t)t.mismatch, "skip",
                                      (json_int_t)t.skip, "error", (json_int_t)t.errors));
    json_object_set(doc, "cells", cells);
    json_decref(cells);
    int rc = json_dumpf(doc, out, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    json_decref(doc);
    if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0) {
        fprintf(stderr, "racelab: --json: cannot write the document to stdout\n");
        return -1;
    }
    return 0;
}

/* racelab list --json: the tools, the cases and every cell, with whether it can run here.
 * The document is built in three steps: the tools, each case (and its cells), the print. */
json_t *cli_json_list_tools(const struct rl_settings *s)
{
    json_t *doc = json_object(), *tools = json_array();
    for (int t = 0; t < RL_TOOL_COUNT; t++) {
        char why[256];
        rl_tool_unavailable(t, why, sizeof why);
        json_t *o = json_pack("{s:s, s:b, s:f}", "name", rl_tools[t].name, "available", !why[0],
                              "time_limit", rl_cell_timeout(s, t));
        if (why[0])
            json_object_set_new(o, "why", json_string(why));
        json_array_append_new(tools, o);
    }
    json_object_set_new(doc, "tools", tools);
    json_object_set_new(doc, "cases", json_array());
    json_object_set_new(doc, "cells", json_array());
    return doc;
}

void cli_json_list_case(json_t *doc, unsigned tool_mask, const struct rl_case *c,
                        const struct rl_expect *e)
{
    json_t *variants = json_array(), *tools = json_object_get(doc, "tools");
    for (size_t v = 0; v < c->n_variants; v++) {
        json_array_append_new(variants, json_string(c->variants[v]));
        for (int t = 0; t < RL_TOOL_COUNT; t++) {
            if (!(tool_mask >> t & 1u))
                continue;
            json_t *o = cell_base(c->name, c->variants[v], t);
            json_t *tool = json_array_get(tools, (size_t)t);
            json_object_set(o, "available", json_object_get(tool, "available"));
            if (json_object_get(tool, "why"))
                json_object_set(o, "why", json_object_get(tool, "why"));
            json_array_append_new(json_object_get(doc, "cells"), o);
        }
    }
    json_array_append_new(json_object_get(doc, "cases"),
                          json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", c->name, "folder", c->dir,
                                    "family", e->family, "lesson", e->lesson, "variants",
                                    variants));
}
