/* util: rl_write_atomic writes a file whole or leaves the old one, and never leaves its
 * temporary file behind; the small helpers that replaced repeated code. */
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/racelab-test-util-XXXXXX";

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/racelab-test-util-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* How many entries the test folder holds (a temporary file left behind shows here). */
static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int write_half_then_fail(FILE *f, void *arg)
{
    (void)arg;
    fputs("half of a new", f);
    return -1;
}

static int write_line(FILE *f, void *arg)
{
    fprintf(f, "%s\n", (const char *)arg);
    return 0;
}

static void assert_file(const char *path, const char *text)
{
    struct rl_buf b = {0};
    assert_int_equal(rl_read_file(path, 0, &b), 0);
    assert_string_equal(rl_buf_str(&b), text);
    rl_buf_free(&b);
}

static void test_whole_or_old(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/verdict", dir);
    assert_int_equal(rl_write_atomic(path, write_line, "status match"), 0);
    assert_file(path, "status match\n");
    /* a writer that fails: the old file stays, and no temporary file is left */
    assert_int_equal(rl_write_atomic(path, write_half_then_fail, NULL), -1);
    assert_file(path, "status match\n");
    assert_int_equal(entries(), 1);
    assert_int_equal(rl_write_atomic_bytes(path, "new\n", 4), 0);
    assert_file(path, "new\n");
    assert_int_equal(entries(), 1);
}

static void test_cannot_write(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/no-such-folder/verdict", dir);
    assert_int_equal(rl_write_atomic_bytes(path, "x", 1), -1);
    assert_int_equal(errno, ENOENT);
    /* renaming onto a folder fails: the temporary file goes */
    snprintf(path, sizeof path, "%s/a-folder", dir);
    assert_int_equal(rl_mkdirs(path), 0);
    assert_int_equal(rl_write_atomic_bytes(path, "x", 1), -1);
    assert_int_equal(entries(), 1);
}

static void test_small_helpers(void **state)
{
    (void)state;
    char out[6];
    rl_strlcpyn(out, sizeof out, "counter,stats", 7); /* cut to fit */
    assert_string_equal(out, "count");
    rl_strlcpyn(out, sizeof out, "ab,cd", 2);
    assert_string_equal(out, "ab");
    static const char *const names[] = {"ok", "hang"};
    assert_int_equal(rl_name_index(names, 2, "hang"), 1);
    assert_int_equal(rl_name_index(names, 2, "han"), -1);
    int *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 100; i++) {
        rl_grow(&v, &cap, n, sizeof *v, 4);
        v[n++] = i;
    }
    assert_true(cap >= 100);
    assert_int_equal(v[99], 99);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whole_or_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cannot_write, setup, teardown),
        cmocka_unit_test(test_small_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
