/* Unit tests of cases.h: finding case folders (an `expect` file plus unsafe*.c / safe*.c
 * variants) in temporary trees made for each test. */
#include "unit.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases.h"

static void touch(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("/* test */\n", f);
    fclose(f);
}

static void make_dir(char *out, size_t len, const char *parent, const char *name)
{
    snprintf(out, len, "%s/%s", parent, name);
    assert_int_equal(mkdir(out, 0755), 0);
}

/* A case folder with an expect file and the given files. */
static void make_case(char *out, size_t len, const char *parent, const char *name,
                      const char *const *files)
{
    make_dir(out, len, parent, name);
    touch(out, "expect");
    for (; *files; files++)
        touch(out, *files);
}

/* mkdtemp root shared by one test, removed with everything in it afterwards. */
static int setup(void **state)
{
    char *root = malloc(64);
    snprintf(root, 64, "/tmp/racelab-cases-XXXXXX");
    if (mkdtemp(root) == NULL) {
        free(root);
        return -1;
    }
    *state = root;
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

static const char *const ALPHA_FILES[] = {
    "safe_mutex.c", "unsafe_forced.c", "README.md", "safe_atomic.c", "unsafe.c", "unsafe_b.c",
    "helper.h",     "notes.c",         NULL,
};

/* A folder of case folders: each case is found, by name, in name order; other folders and
 * files are ignored; variants come unsafe, unsafe_*, safe_*. */
static void test_scan_folder_of_cases(void **state)
{
    const char *root = *state;
    char dir[512], alpha[512], beta[512];
    make_case(alpha, sizeof alpha, root, "alpha", ALPHA_FILES);
    make_case(beta, sizeof beta, root, "beta", (const char *const[]){"unsafe.c", "safe.c", NULL});
    make_dir(dir, sizeof dir, root, "not_a_case"); /* no expect file */
    touch(dir, "unsafe.c");
    touch(root, "stray.c");

    struct rl_caselist l = {0};
    char err[512] = "";
    assert_int_equal(rl_cases_scan(&l, root, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].name, "alpha");
    assert_string_equal(l.v[0].dir, alpha);
    assert_string_equal(l.v[1].name, "beta");

    static const char *const order[] = {"unsafe", "unsafe_b", "unsafe_forced", "safe_atomic",
                                        "safe_mutex"};
    assert_int_equal(l.v[0].n_variants, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(l.v[0].variants[i], order[i]);
    assert_int_equal(l.v[1].n_variants, 2);
    assert_string_equal(l.v[1].variants[0], "unsafe");
    assert_string_equal(l.v[1].variants[1], "safe");

    assert_non_null(rl_cases_find(&l, "beta"));
    assert_ptr_equal(rl_cases_find(&l, "beta"), &l.v[1]);
    assert_null(rl_cases_find(&l, "not_a_case"));
    assert_null(rl_cases_find(&l, "alph"));
    rl_cases_free(&l);
}

/* A case folder itself can be named; with a trailing slash, the name is still its own. */
static void test_scan_one_case(void **state)
{
    const char *root = *state;
    char alpha[512], slash[600];
    make_case(alpha, sizeof alpha, root, "alpha", ALPHA_FILES);
    snprintf(slash, sizeof slash, "%s/", alpha);
    struct rl_caselist l = {0};
    char err[512] = "";
    assert_int_equal(rl_cases_scan(&l, slash, err, sizeof err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].name, "alpha");
    assert_string_equal(l.v[0].dir, alpha);
    assert_string_equal(l.v[0].variants[0], "unsafe");
    /* the same folder named again adds nothing */
    assert_int_equal(rl_cases_scan(&l, alpha, err, sizeof err), 0);
    assert_int_equal(l.n, 1);
    rl_cases_free(&l);
}

/* The same folder spelled differently ("dir", "dir/", "dir/./") is still the same folder:
 * scanning it again adds nothing and is no "defined twice" error. */
static void test_same_folder_other_spelling(void **state)
{
    const char *root = *state;
    char alpha[512], spelled[600];
    make_case(alpha, sizeof alpha, root, "alpha", ALPHA_FILES);
    struct rl_caselist l = {0};
    char err[1024] = "";
    assert_int_equal(rl_cases_scan(&l, root, err, sizeof err), 0);
    snprintf(spelled, sizeof spelled, "%s/", root);
    if (rl_cases_scan(&l, spelled, err, sizeof err) != 0)
        fail_msg("scanning %s after %s: %s", spelled, root, err);
    snprintf(spelled, sizeof spelled, "%s/./alpha", root);
    if (rl_cases_scan(&l, spelled, err, sizeof err) != 0)
        fail_msg("scanning %s after %s: %s", spelled, root, err);
    assert_int_equal(l.n, 1);
    rl_cases_free(&l);
}

/* A folder holding no case is an error that says so. */
static void test_no_case(void **state)
{
    const char *root = *state;
    char empty[512];
    make_dir(empty, sizeof empty, root, "empty");
    touch(empty, "unsafe.c");
    struct rl_caselist l = {0};
    char err[512] = "";
    assert_int_equal(rl_cases_scan(&l, empty, err, sizeof err), -1);
    assert_prefix(err, empty);
    assert_contains(err, "no case");
    assert_int_equal(l.n, 0);

    assert_int_equal(rl_cases_scan(&l, "/nonexistent/racelab/cases", err, sizeof err), -1);
    assert_contains(err, "/nonexistent/racelab/cases");
    rl_cases_free(&l);
}

/* An expect file without any variant source is not a usable case. */
static void test_case_without_variants(void **state)
{
    const char *root = *state;
    char dir[512];
    make_case(dir, sizeof dir, root, "hollow", (const char *const[]){"main.c", NULL});
    struct rl_caselist l = {0};
    char err[512] = "";
    assert_int_equal(rl_cases_scan(&l, dir, err, sizeof err), -1);
    assert_contains(err, "hollow");
    assert_contains(err, "variants");
    rl_cases_free(&l);
}

/* The same case name in two folders is ambiguous: an error naming both. */
static void test_duplicate_names(void **state)
{
    const char *root = *state;
    char one[512], two[512], a1[512], a2[512];
    make_dir(one, sizeof one, root, "one");
    make_dir(two, sizeof two, root, "two");
    make_case(a1, sizeof a1, one, "alpha", ALPHA_FILES);
    make_case(a2, sizeof a2, two, "alpha", ALPHA_FILES);
    struct rl_caselist l = {0};
    char err[1024] = "";
    assert_int_equal(rl_cases_scan(&l, one, err, sizeof err), 0);
    assert_int_equal(rl_cases_scan(&l, two, err, sizeof err), -1);
    assert_contains(err, "case 'alpha' is defined twice");
    assert_contains(err, a1);
    assert_contains(err, a2);
    assert_int_equal(l.n, 1);
    rl_cases_free(&l);
}

/* A name CASE.VARIANT.TOOL cannot say is refused by name; the other folders still count. */
static void test_bad_names_left_out(void **state)
{
    const char *root = *state;
    char top[512], a[512], b[512], c[512];
    make_dir(top, sizeof top, root, "mixed");
    make_case(a, sizeof a, top, "alpha", ALPHA_FILES);
    make_case(b, sizeof b, top, "my.case", ALPHA_FILES);
    make_case(c, sizeof c, top, "gamma", (const char *const[]){"unsafe.c", "safe.v2.c", NULL});
    struct rl_caselist l = {0};
    char err[1024] = "";
    assert_int_equal(rl_cases_scan(&l, top, err, sizeof err), -1);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].name, "alpha");
    const char *errors = rl_buf_str(&l.errors);
    assert_contains(errors, "case folder 'my.case'");
    assert_contains(errors, "variant file 'safe.v2.c'");
    assert_contains(errors, "[A-Za-z0-9_-]+");
    rl_cases_free(&l);
}

/* unsafe and unsafe_* are the hazard variants; safe_* the fixes. */
static void test_variant_is_unsafe(void **state)
{
    (void)state;
    assert_true(rl_variant_is_unsafe("unsafe"));
    assert_true(rl_variant_is_unsafe("unsafe_forced"));
    assert_false(rl_variant_is_unsafe("safe_mutex"));
    assert_false(rl_variant_is_unsafe("safe"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan_folder_of_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_one_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_folder_other_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_without_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names_left_out, setup, teardown),
        cmocka_unit_test(test_variant_is_unsafe),
    };
    return cmocka_run_group_tests_name("cases", tests, NULL, NULL);
}
