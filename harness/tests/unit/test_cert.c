/* Unit tests of cert.h: the CERT C rule x detector table from cell observations. The
 * observations stand for two cases sharing a rule (CON43-C) and one of them naming a second
 * (POS49-C), so a row gathers cases and a case feeds several rows. */
#include "unit.h"

#include "cert.h"
#include "tools.h"

static const char shared[][8] = {"CON43-C"};
static const char both[][8] = {"POS49-C", "CON43-C"};

#define OBS(case_, rules, variant, tool, seen, shows)                                              \
    {                                                                                              \
        case_, variant, rules, (int)(sizeof rules / sizeof rules[0]), tool, seen, shows            \
    }

// clang-format off
static const struct rl_cert_obs obs[] = {
    /* counter: unsafe flagged everywhere but drd; unsafe_forced missed by drd, its outcome
     * lost-update; the fix clean, except a false alarm under helgrind */
    OBS("counter", both, "unsafe", RL_TSAN_GCC, RL_CERT_FLAGGED, 0),
    OBS("counter", both, "unsafe_forced", RL_TSAN_GCC, RL_CERT_FLAGGED, 2),
    OBS("counter", both, "safe_mutex", RL_TSAN_GCC, RL_CERT_CLEAN, 0),
    OBS("counter", both, "unsafe", RL_HELGRIND, RL_CERT_FLAGGED, 0),
    OBS("counter", both, "unsafe_forced", RL_HELGRIND, RL_CERT_FLAGGED, 2),
    OBS("counter", both, "safe_mutex", RL_HELGRIND, RL_CERT_FLAGGED, 0),
    OBS("counter", both, "unsafe", RL_DRD, RL_CERT_CLEAN, 0),
    OBS("counter", both, "unsafe_forced", RL_DRD, RL_CERT_CLEAN, 2),
    OBS("counter", both, "safe_mutex", RL_DRD, RL_CERT_CLEAN, 0),
    OBS("counter", both, "unsafe", RL_NATIVE, RL_CERT_CLEAN, 0),
    OBS("counter", both, "unsafe_forced", RL_NATIVE, RL_CERT_CLEAN, 2),
    OBS("counter", both, "safe_mutex", RL_NATIVE, RL_CERT_CLEAN, 0),
    /* local: flagged by tsan-gcc, missed by drd with an outcome that may be ok, and the
     * helgrind cell had no verdict (an error) */
    OBS("local", shared, "unsafe", RL_TSAN_GCC, RL_CERT_FLAGGED, 0),
    OBS("local", shared, "safe_atomic", RL_TSAN_GCC, RL_CERT_CLEAN, 0),
    OBS("local", shared, "unsafe", RL_HELGRIND, RL_CERT_NO_VERDICT, 0),
    OBS("local", shared, "safe_atomic", RL_HELGRIND, RL_CERT_CLEAN, 0),
    OBS("local", shared, "unsafe", RL_DRD, RL_CERT_CLEAN, 1),
    OBS("local", shared, "safe_atomic", RL_DRD, RL_CERT_CLEAN, 0),
    OBS("local", shared, "unsafe", RL_NATIVE, RL_CERT_CLEAN, 0),
    OBS("local", shared, "safe_atomic", RL_NATIVE, RL_CERT_CLEAN, 0),
};
// clang-format on
#define N_OBS (sizeof obs / sizeof obs[0])

static const struct rl_cert_cell *cell(const struct rl_cert_table *t, const char *rule, int tool)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].rule, rule) == 0)
            return &t->rows[i].tool[tool];
    fail_msg("no row %s", rule);
    return NULL;
}

/* The cell's groups as one line: "phrase: case, case / phrase: case". */
static void groups_line(const struct rl_cert_cell *c, int tool, char *out, size_t len)
{
    struct rl_cert_groups g;
    struct rl_buf b = {0};
    rl_cert_cell_groups(c, tool, &g);
    for (size_t i = 0; i < g.count; i++) {
        rl_buf_printf(&b, "%s%s:", i ? " / " : "", g.phrase[i]);
        for (size_t j = 0; j < g.n[i]; j++)
            rl_buf_printf(&b, "%s%s", j ? ", " : " ", c->e[g.idx[i][j]].case_name);
    }
    rl_cert_groups_free(&g);
    rl_strlcpy(out, rl_buf_str(&b), len);
    rl_buf_free(&b);
}

static void test_rows_sorted_and_shared(void **state)
{
    (void)state;
    struct rl_cert_table t;
    rl_cert_table_make(obs, N_OBS, &t);
    assert_int_equal(t.n, 2);
    assert_string_equal(t.rows[0].rule, "CON43-C"); /* sorted, whatever the header's order */
    assert_string_equal(t.rows[1].rule, "POS49-C");
    assert_int_equal(t.tools,
                     1u << RL_NATIVE | 1u << RL_TSAN_GCC | 1u << RL_HELGRIND | 1u << RL_DRD);
    assert_int_equal(cell(&t, "CON43-C", RL_DRD)->n, 2); /* the rule both cases share */
    assert_int_equal(cell(&t, "POS49-C", RL_DRD)->n, 1);
    assert_int_equal(cell(&t, "CON43-C", RL_TSAN_CLANG)->n, 0);
    int col[RL_TOOL_COUNT];
    assert_int_equal(rl_cert_columns(t.tools, col), 4);
    assert_int_equal(col[0], RL_TSAN_GCC);
    assert_int_equal(col[3], RL_NATIVE); /* the outcome column last */
    rl_cert_table_free(&t);
}

static void test_phrases(void **state)
{
    (void)state;
    struct rl_cert_table t;
    rl_cert_table_make(obs, N_OBS, &t);
    char line[1024], word[64];
    groups_line(cell(&t, "CON43-C", RL_TSAN_GCC), RL_TSAN_GCC, line, sizeof line);
    assert_string_equal(line, "flagged: counter, local");
    rl_cert_cell_word(cell(&t, "CON43-C", RL_TSAN_GCC), RL_TSAN_GCC, word, sizeof word);
    assert_string_equal(word, "flagged");

    groups_line(cell(&t, "CON43-C", RL_HELGRIND), RL_HELGRIND, line, sizeof line);
    assert_string_equal(line, "flagged; false alarm on safe_mutex: counter / no verdict on "
                              "unsafe: local");
    rl_cert_cell_word(cell(&t, "CON43-C", RL_HELGRIND), RL_HELGRIND, word, sizeof word);
    assert_string_equal(word, "flagged; false alarm");

    /* a miss says whether the outcome still shows it, and on which variant */
    groups_line(cell(&t, "CON43-C", RL_DRD), RL_DRD, line, sizeof line);
    assert_string_equal(line, "missed; the outcome shows it on unsafe_forced: counter / "
                              "missed; the outcome may show it, not always: local");
    rl_cert_cell_word(cell(&t, "CON43-C", RL_DRD), RL_DRD, word, sizeof word);
    assert_string_equal(word, "missed");

    groups_line(cell(&t, "CON43-C", RL_NATIVE), RL_NATIVE, line, sizeof line);
    assert_string_equal(line, "the outcome shows it on unsafe_forced: counter / the outcome "
                              "does not show it: local");
    rl_cert_cell_word(cell(&t, "CON43-C", RL_NATIVE), RL_NATIVE, word, sizeof word);
    assert_string_equal(word, "partly");
    rl_cert_table_free(&t);
}

static void test_partly_flagged(void **state)
{
    (void)state;
    static const char r[][8] = {"CON35-C"};
    const struct rl_cert_obs o[] = {
        OBS("order", r, "unsafe", RL_TSAN_CLANG, RL_CERT_FLAGGED, 0),
        OBS("order", r, "unsafe_forced", RL_TSAN_CLANG, RL_CERT_CLEAN, 2),
        OBS("order", r, "safe_global", RL_TSAN_CLANG, RL_CERT_CLEAN, 0),
        OBS("order", r, "safe_global", RL_TSAN_CLANG, RL_CERT_CLEAN, 0), /* seen twice: once */
    };
    struct rl_cert_table t;
    rl_cert_table_make(o, sizeof o / sizeof o[0], &t);
    char p[512], word[64];
    const struct rl_cert_cell *c = cell(&t, "CON35-C", RL_TSAN_CLANG);
    rl_cert_entry_phrase(&c->e[0], RL_TSAN_CLANG, p, sizeof p);
    assert_string_equal(p, "flagged on unsafe, missed on unsafe_forced (the outcome shows it)");
    rl_cert_cell_word(c, RL_TSAN_CLANG, word, sizeof word);
    assert_string_equal(word, "partly");
    rl_cert_table_free(&t);
}

static void test_expected_rows(void **state)
{
    (void)state;
    struct rl_expect e;
    char err[512];
    const char *text = "family: race\nlesson: l\ncert: CON43-C\n"
                       "unsafe native - may:lost-update r\n"
                       "unsafe detectors race:counter may:lost-update r\n"
                       "unsafe_forced native - lost-update r\n"
                       "unsafe_forced detectors clean lost-update|watchdog r\n"
                       "safe native - ok r\n"
                       "safe detectors clean ok r\n";
    assert_int_equal(rl_expect_parse(text, "expect", &e, err, sizeof err), 0);
    struct rl_cert_obs o = {0};
    rl_cert_obs_expected(&o, rl_expect_find(&e, "unsafe", RL_DRD));
    assert_int_equal(o.seen, RL_CERT_FLAGGED);
    assert_int_equal(o.outcome_shows, 1); /* may: allows ok */
    rl_cert_obs_expected(&o, rl_expect_find(&e, "unsafe_forced", RL_DRD));
    assert_int_equal(o.seen, RL_CERT_CLEAN);
    assert_int_equal(o.outcome_shows, 2);
    rl_cert_obs_expected(&o, rl_expect_find(&e, "unsafe_forced", RL_NATIVE));
    assert_int_equal(o.seen, RL_CERT_CLEAN);
    assert_int_equal(o.outcome_shows, 2);
    rl_cert_obs_expected(&o, rl_expect_find(&e, "safe", RL_HELGRIND));
    assert_int_equal(o.seen, RL_CERT_CLEAN);
    assert_int_equal(o.outcome_shows, 0);
    rl_expect_free(&e);
    assert_int_equal(rl_cert_outcome_bad("lost-update"), 1);
    assert_int_equal(rl_cert_outcome_bad("watchdog"), 1);
    assert_int_equal(rl_cert_outcome_bad("ok"), 0);
    assert_int_equal(rl_cert_outcome_bad("inconclusive"), 0);
    assert_int_equal(rl_cert_outcome_bad("error"), 0);
    char fam[8];
    rl_cert_family("POS49-C", fam, sizeof fam);
    assert_string_equal(fam, "POS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_sorted_and_shared),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_partly_flagged),
        cmocka_unit_test(test_expected_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
