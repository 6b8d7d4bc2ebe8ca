/* Unit tests of judge.h: one expectation row and one run's observations in, one verdict out.
 * Rows are written in the expect file format, so each table entry reads like the file. */
#include "unit.h"

#include "expect.h"
#include "judge.h"

/* A finding as a detector channel would deliver it. */
struct obs_finding {
    enum rl_kind kind;
    const char *tool_kind, *symbols, *functions, *file;
    int line;
};

/* One row, one run's observations, and the verdict they must give. */
struct judge_case {
    const char *what;
    const char *row;  /* "variant tools findings outcome reason", as in an expect file */
    const char *tool; /* the tool the run used */
    struct {
        int ran;           /* the detector's channel proved it ran */
        const char *error; /* why it did not, or NULL */
        enum rl_outcome outcome;
        int exit_code, signal;
        const char *result_line; /* or NULL */
        int n;
        struct obs_finding f[3];
    } obs;
    struct {
        int match;
        const char *findings, *outcome, *message_prefix;
    } want;
};

/* one entry per verdict reads better than clang-format's one field per line */
// clang-format off
#define RACE_COUNTER(tk) {RL_RACE, tk, "counter", "worker", "unsafe.c", 18}
#define RACE_TOTAL {RL_RACE, "data-race", "total", "worker", "unsafe.c", 20}

static const struct judge_case cases[] = {
    {"flagged as designed",
     "unsafe detectors race:counter may:lost-update r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_LOST_UPDATE, .exit_code = 40,
      .result_line = "counter=3911 expected=4000", .n = 1, .f = {RACE_COUNTER("data-race")}},
     {1, "race:counter", "lost-update",
      "flagged as designed: race on counter at unsafe.c:18 by tsan-gcc; "
      "outcome lost-update (counter=3911 expected=4000)"}},
    {"the same race reported twice is one cell entry",
     "unsafe helgrind race:counter ok r", "helgrind",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 2, .f = {RACE_COUNTER("Race"), RACE_COUNTER("Race")}},
     {1, "race:counter", "ok", "flagged as designed: race on counter at unsafe.c:18 by helgrind"}},
    {"a finding without a line (clang -O1) names the file alone",
     "unsafe tsan race:counter ok r", "tsan-clang",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1,
      .f = {{RL_RACE, "data-race", "counter", "worker", "unsafe.c", 0}}},
     {1, "race:counter", "ok", "flagged as designed: race on counter at unsafe.c by tsan-clang; "}},
    {"expected finding missing",
     "unsafe detectors race:counter may:lost-update r", "helgrind",
     {.ran = 1, .outcome = RL_OUT_OK},
     {0, "clean", "ok", "MISMATCH under helgrind: expected race:counter was not reported"}},
    {"unexpected extra finding",
     "safe_mutex detectors clean ok r", "drd",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1, .f = {RACE_COUNTER("ConflictingAccess")}},
     {0, "race:counter", "ok",
      "MISMATCH under drd: unexpected finding race on counter (ConflictingAccess)"}},
    {"one wanted and one extra finding",
     "unsafe tsan race:counter ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 2,
      .f = {RACE_COUNTER("data-race"), {RL_THREAD_LEAK, "thread-leak", "", "main", "unsafe.c", 30}}},
     {0, "race:counter,thread-leak:main", "ok",
      "MISMATCH under tsan-gcc: unexpected finding thread-leak on main (thread-leak)"}},
    {"right kind, wrong variable",
     "unsafe detectors race:counter ok r", "tsan-clang",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1,
      .f = {{RL_RACE, "data-race", "total", "worker", "unsafe.c", 20}}},
     {0, "race:total", "ok",
      "MISMATCH under tsan-clang: expected race:counter was not reported; "
      "unexpected finding race on total (data-race)"}},
    {"right name, wrong kind",
     "unsafe helgrind lock-order:lock_a ok r", "helgrind",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1,
      .f = {{RL_BAD_UNLOCK, "UnlockUnlocked", "lock_a", "ab", "unsafe.c", 13}}},
     {0, "bad-unlock:lock_a", "ok",
      "MISMATCH under helgrind: expected lock-order:lock_a was not reported"}},
    {"name matched via the function (DRD without symbols)",
     "unsafe drd race:worker ok r", "drd",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1,
      .f = {{RL_RACE, "ConflictingAccess", "", "worker", "unsafe.c", 18}}},
     {1, "race:worker", "ok", "flagged as designed: race on worker at unsafe.c:18 by drd"}},
    {"name matched via the second lock of a lock order",
     "unsafe tsan lock-order:lock_b ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1,
      .f = {{RL_LOCK_ORDER, "lock-order-inversion", "lock_a,lock_b", "ab,ba", "unsafe.c", 13}}},
     {1, "lock-order:lock_a", "ok", "flagged as designed: lock-order on lock_a at unsafe.c:13"}},
    {"clean as expected",
     "safe_mutex detectors clean ok r", "tsan-clang",
     {.ran = 1, .outcome = RL_OUT_OK, .result_line = "counter=4000 expected=4000"},
     {1, "clean", "ok",
      "clean as expected under tsan-clang: outcome ok (counter=4000 expected=4000)"}},
    {"no channel never matches, even where the row says clean",
     "safe_mutex detectors clean ok r", "helgrind",
     {.ran = 0, .error = "Valgrind XML never reached status FINISHED", .outcome = RL_OUT_OK},
     {0, "error", "ok",
      "MISMATCH under helgrind: no detector verdict: Valgrind XML never reached status FINISHED"}},
    {"no channel and no reason given",
     "unsafe tsan race:counter ok r", "tsan-gcc",
     {.ran = 0, .outcome = RL_OUT_OK},
     {0, "error", "ok",
      "MISMATCH under tsan-gcc: no detector verdict: the detector's output is missing"}},
    {"outcome mismatch",
     "safe_mutex detectors clean ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_LOST_UPDATE, .exit_code = 40,
      .result_line = "counter=3 expected=4"},
     {0, "clean", "lost-update",
      "MISMATCH under tsan-gcc: outcome: expected ok, got lost-update (counter=3 expected=4)"}},
    {"findings and outcome both wrong",
     "safe_mutex detectors clean ok r", "drd",
     {.ran = 1, .outcome = RL_OUT_STARVED, .exit_code = 10, .n = 1,
      .f = {RACE_COUNTER("ConflictingAccess")}},
     {0, "race:counter", "starved",
      "MISMATCH under drd: unexpected finding race on counter (ConflictingAccess); "
      "outcome: expected ok, got starved"}},
    {"may:lost-update accepts ok",
     "unsafe native - may:lost-update r", "native",
     {.outcome = RL_OUT_OK},
     {1, "-", "ok", "as expected under native (no detector): outcome ok"}},
    {"may:lost-update accepts lost-update",
     "unsafe native - may:lost-update r", "native",
     {.outcome = RL_OUT_LOST_UPDATE, .exit_code = 40, .result_line = "counter=2 expected=4"},
     {1, "-", "lost-update",
      "as expected under native (no detector): outcome lost-update (counter=2 expected=4)"}},
    {"may:lost-update rejects starved",
     "unsafe native - may:lost-update r", "native",
     {.outcome = RL_OUT_STARVED, .exit_code = 10},
     {0, "-", "starved", "MISMATCH under native: outcome: expected may:lost-update, got starved"}},
    {"a certain lost-update rejects ok",
     "unsafe_forced native - lost-update r", "native",
     {.outcome = RL_OUT_OK, .result_line = "counter=2 expected=2"},
     {0, "-", "ok",
      "MISMATCH under native: outcome: expected lost-update, got ok (counter=2 expected=2)"}},
    {"a crash where ok was expected",
     "safe_mutex native - ok r", "native",
     {.outcome = RL_OUT_CRASH, .signal = 11},
     {0, "-", "crash", "MISMATCH under native: outcome: expected ok, got crash (signal 11)"}},
    {"a crash that was expected",
     "unsafe_crash detectors clean crash r", "helgrind",
     {.ran = 1, .outcome = RL_OUT_CRASH, .signal = 9},
     {1, "clean", "crash", "clean as expected under helgrind: outcome crash"}},
    {"a hang where ok was expected",
     "safe_mutex native - ok r", "native",
     {.outcome = RL_OUT_HANG},
     {0, "-", "hang", "MISMATCH under native: outcome: expected ok, got hang"}},
    {"a hang row under a detector needs no channel",
     "unsafe_hang detectors - hang r", "tsan-clang",
     {.ran = 0, .error = "no TSan findings file", .outcome = RL_OUT_HANG},
     {1, "-", "hang", "as expected under tsan-clang (no detector): outcome hang"}},
    {"watchdog|hang alternatives",
     "unsafe detectors race:counter watchdog|hang r", "drd",
     {.ran = 1, .outcome = RL_OUT_WATCHDOG, .exit_code = 30, .n = 1,
      .f = {RACE_COUNTER("ConflictingAccess")}},
     {1, "race:counter", "watchdog",
      "flagged as designed: race on counter at unsafe.c:18 by drd; outcome watchdog"}},
    {"an exit status outside the contract matches nothing",
     "safe_exit native - ok r", "native",
     {.outcome = RL_OUT_ERROR, .exit_code = 3},
     {0, "-", "error",
      "MISMATCH under native: outcome: expected ok, got error (exit status 3 is outside the "
      "contract)"}},
    {"native rows ignore findings",
     "unsafe native - may:lost-update r", "native",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1, .f = {RACE_COUNTER("data-race")}},
     {1, "-", "ok", "as expected under native (no detector): outcome ok"}},
    /* counts: =N is exactly N reports naming it */
    {"race:counter=2 meets two reports",
     "unsafe tsan race:counter=2 ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 2,
      .f = {RACE_COUNTER("data-race"), RACE_COUNTER("data-race")}},
     {1, "race:counter", "ok", "flagged as designed: race on counter at unsafe.c:18 by tsan-gcc"}},
    {"race:counter=2 rejects one report",
     "unsafe tsan race:counter=2 ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1, .f = {RACE_COUNTER("data-race")}},
     {0, "race:counter", "ok",
      "MISMATCH under tsan-gcc: expected 2 reports of race:counter, got 1"}},
    {"race:counter=1 rejects two reports",
     "unsafe helgrind race:counter=1 ok r", "helgrind",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 2, .f = {RACE_COUNTER("Race"), RACE_COUNTER("Race")}},
     {0, "race:counter", "ok",
      "MISMATCH under helgrind: expected 1 report of race:counter, got 2"}},
    /* the wildcard: any name of its kind that no named item of the row takes */
    {"race:* meets a race on anything",
     "unsafe tsan race:* ok r", "tsan-clang",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 1, .f = {RACE_TOTAL}},
     {1, "race:total", "ok", "flagged as designed: race on total at unsafe.c:20 by tsan-clang"}},
    {"race:* needs at least one race",
     "unsafe tsan race:* ok r", "tsan-clang",
     {.ran = 1, .outcome = RL_OUT_OK},
     {0, "clean", "ok", "MISMATCH under tsan-clang: expected race:* was not reported"}},
    {"race:* takes no other kind",
     "unsafe tsan race:* ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 2,
      .f = {RACE_TOTAL, {RL_THREAD_LEAK, "thread-leak", "", "main", "unsafe.c", 30}}},
     {0, "race:total,thread-leak:main", "ok",
      "MISMATCH under tsan-gcc: unexpected finding thread-leak on main (thread-leak)"}},
    {"race:counter,race:*=1: counter and one other race",
     "unsafe tsan race:counter,race:*=1 ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 2, .f = {RACE_COUNTER("data-race"), RACE_TOTAL}},
     {1, "race:counter,race:total", "ok", "flagged as designed: race on counter"}},
    {"race:counter,race:*=1: the named race is not counted by the wildcard",
     "unsafe tsan race:counter,race:*=1 ok r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 2,
      .f = {RACE_COUNTER("data-race"), RACE_COUNTER("data-race")}},
     {0, "race:counter", "ok", "MISMATCH under tsan-gcc: expected 1 report of race:*, got 0"}},
    {"race:*=2 rejects three",
     "unsafe drd race:*=2 ok r", "drd",
     {.ran = 1, .outcome = RL_OUT_OK, .n = 3,
      .f = {RACE_TOTAL, RACE_COUNTER("ConflictingAccess"), RACE_TOTAL}},
     {0, "race:total,race:counter", "ok",
      "MISMATCH under drd: expected 2 reports of race:*, got 3"}},
    /* a program's own exit status */
    {"exit:57 accepts exit status 57",
     "unsafe native - exit:57 r", "native",
     {.outcome = RL_OUT_ERROR, .exit_code = 57},
     {1, "-", "exit:57", "as expected under native (no detector): outcome exit:57"}},
    {"exit:57 rejects exit status 0",
     "unsafe native - exit:57 r", "native",
     {.outcome = RL_OUT_OK},
     {0, "-", "ok", "MISMATCH under native: outcome: expected exit:57, got ok"}},
    {"exit:57 rejects another status",
     "unsafe native - exit:57 r", "native",
     {.outcome = RL_OUT_ERROR, .exit_code = 58},
     {0, "-", "error",
      "MISMATCH under native: outcome: expected exit:57, got error (exit status 58 is outside "
      "the contract)"}},
    {"exit:9 is not a kill by signal 9",
     "unsafe native - exit:9 r", "native",
     {.outcome = RL_OUT_CRASH, .signal = 9},
     {0, "-", "crash", "MISMATCH under native: outcome: expected exit:9, got crash (signal 9)"}},
    {"may:exit:57 accepts ok",
     "unsafe tsan clean may:exit:57 r", "tsan-gcc",
     {.ran = 1, .outcome = RL_OUT_OK},
     {1, "clean", "ok", "clean as expected under tsan-gcc: outcome ok"}},
};
// clang-format on

/* Parse one row in the expect format (the headers are fixed). */
static struct rl_expect parse_row(const char *row)
{
    char text[1024], err[512] = "";
    snprintf(text, sizeof text, "family: race\nlesson: l\n%s\n", row);
    struct rl_expect e;
    if (rl_expect_parse(text, "expect", &e, err, sizeof err) != 0)
        fail_msg("bad row in the test table: %s", err);
    return e;
}

static void test_judge_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct judge_case *c = &cases[i];
        print_message("%s\n", c->what);
        struct rl_expect e = parse_row(c->row);
        struct rl_observation obs;
        memset(&obs, 0, sizeof obs);
        obs.outcome = c->obs.outcome;
        obs.exit_code = c->obs.exit_code;
        obs.signal = c->obs.signal;
        rl_strlcpy(obs.result_line, c->obs.result_line ? c->obs.result_line : "",
                   sizeof obs.result_line);
        obs.findings.ran = c->obs.ran;
        rl_strlcpy(obs.findings.error, c->obs.error ? c->obs.error : "", sizeof obs.findings.error);
        for (int j = 0; j < c->obs.n; j++) {
            const struct obs_finding *o = &c->obs.f[j];
            struct rl_finding f;
            memset(&f, 0, sizeof f);
            f.kind = o->kind;
            rl_strlcpy(f.tool_kind, o->tool_kind, sizeof f.tool_kind);
            rl_strlcpy(f.symbols, o->symbols, sizeof f.symbols);
            rl_strlcpy(f.functions, o->functions, sizeof f.functions);
            rl_strlcpy(f.file, o->file, sizeof f.file);
            f.line = o->line;
            rl_findings_add(&obs.findings, &f);
        }
        struct rl_verdict v;
        rl_judge(&e.rows[0], c->tool, &obs, &v);
        assert_int_equal(v.match, c->want.match);
        assert_string_equal(v.findings, c->want.findings);
        assert_string_equal(v.outcome, c->want.outcome);
        assert_prefix(v.message, c->want.message_prefix);
        rl_findings_free(&obs.findings);
        rl_expect_free(&e);
    }
}

/* A need is met by the same kind naming the need among its symbols or functions, whole
 * items only ("count" is not "counter"). */
static void test_need_matches(void **state)
{
    (void)state;
    static const struct {
        enum rl_kind need_kind;
        const char *need_name;
        enum rl_kind kind;
        const char *symbols, *functions;
        int match;
    } table[] = {
        {RL_RACE, "counter", RL_RACE, "counter", "worker", 1},
        {RL_RACE, "worker", RL_RACE, "counter", "worker", 1},
        {RL_RACE, "main", RL_RACE, "counter", "worker,main", 1},
        {RL_LOCK_ORDER, "lock_b", RL_LOCK_ORDER, "lock_a,lock_b", "ab,ba", 1},
        {RL_RACE, "count", RL_RACE, "counter", "worker", 0},
        {RL_RACE, "counter", RL_RACE, "counter_2", "", 0},
        {RL_RACE, "counter", RL_API_MISUSE, "counter", "worker", 0},
        {RL_THREAD_LEAK, "main", RL_RACE, "", "main", 0},
        {RL_RACE, "heap", RL_RACE, "heap", "worker", 1},
        {RL_RACE, "counter", RL_RACE, "", "", 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        struct rl_need n;
        memset(&n, 0, sizeof n);
        n.kind = table[i].need_kind;
        rl_strlcpy(n.name, table[i].need_name, sizeof n.name);
        struct rl_finding f;
        memset(&f, 0, sizeof f);
        f.kind = table[i].kind;
        rl_strlcpy(f.symbols, table[i].symbols, sizeof f.symbols);
        rl_strlcpy(f.functions, table[i].functions, sizeof f.functions);
        print_message("%zu: %s vs [%s] [%s]\n", i, table[i].need_name, table[i].symbols,
                      table[i].functions);
        assert_int_equal(rl_need_matches(&n, &f), table[i].match);
    }
}

/* Two needs in one row: both must be reported, and nothing else. */
static void test_two_needs(void **state)
{
    (void)state;
    struct rl_expect e = parse_row("unsafe tsan race:counter,thread-leak:main ok r");
    struct rl_observation obs;
    memset(&obs, 0, sizeof obs);
    obs.outcome = RL_OUT_OK;
    obs.findings.ran = 1;
    struct rl_finding race = {.kind = RL_RACE, .symbols = "counter", .functions = "worker"};
    struct rl_finding leak = {.kind = RL_THREAD_LEAK, .functions = "main"};
    struct rl_verdict v;

    rl_findings_add(&obs.findings, &race);
    rl_judge(&e.rows[0], "tsan-gcc", &obs, &v);
    assert_int_equal(v.match, 0);
    assert_contains(v.message, "expected thread-leak:main was not reported");

    rl_findings_add(&obs.findings, &leak);
    rl_judge(&e.rows[0], "tsan-gcc", &obs, &v);
    assert_int_equal(v.match, 1);
    assert_string_equal(v.findings, "race:counter,thread-leak:main");

    rl_findings_free(&obs.findings);
    rl_expect_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_judge_table),
        cmocka_unit_test(test_need_matches),
        cmocka_unit_test(test_two_needs),
    };
    return cmocka_run_group_tests_name("judge", tests, NULL, NULL);
}
