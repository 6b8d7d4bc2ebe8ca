/* Unit tests of elfsym.h: naming globals of a non-PIE binary by address, checked against the
 * addresses a tiny program (elfsym_target.c) prints about itself, and against the saved
 * binary Valgrind ran for data/drd-unsafe.xml. */
#include "unit.h"

#include <stdlib.h>

#include "elfsym.h"

#ifndef RL_ELFSYM_TARGET
#error "RL_ELFSYM_TARGET must name the elfsym_target program"
#endif

struct global {
    char name[64];
    unsigned long addr;
    size_t size;
};

/* Run the target and read its "name address size" lines. */
static size_t target_globals(struct global *g, size_t max)
{
    FILE *p = popen(RL_ELFSYM_TARGET, "r");
    assert_non_null(p);
    size_t n = 0;
    while (n < max && fscanf(p, "%63s %lx %zu", g[n].name, &g[n].addr, &g[n].size) == 3)
        n++;
    assert_int_equal(pclose(p), 0);
    return n;
}

/* Every byte of each global is named after it; the byte past it is not; a function's address
 * is not named at all. */
static void test_target_globals(void **state)
{
    (void)state;
    struct global g[8];
    assert_int_equal(target_globals(g, 8), 5);
    struct rl_elfsym *s = rl_elfsym_open(RL_ELFSYM_TARGET);
    assert_non_null(s);
    for (size_t i = 0; i < 5; i++) {
        print_message("%s at %#lx\n", g[i].name, g[i].addr);
        if (g[i].size == 0) {
            assert_null(rl_elfsym_lookup(s, g[i].addr));
            continue;
        }
        assert_non_null(rl_elfsym_lookup(s, g[i].addr));
        assert_string_equal(rl_elfsym_lookup(s, g[i].addr), g[i].name);
        assert_string_equal(rl_elfsym_lookup(s, g[i].addr + g[i].size / 2), g[i].name);
        assert_string_equal(rl_elfsym_lookup(s, g[i].addr + g[i].size - 1), g[i].name);
        const char *past = rl_elfsym_lookup(s, g[i].addr + g[i].size);
        assert_true(past == NULL || strcmp(past, g[i].name) != 0);
        const char *before = rl_elfsym_lookup(s, g[i].addr - 1);
        assert_true(before == NULL || strcmp(before, g[i].name) != 0);
    }
    rl_elfsym_close(s);
}

/* TLS offsets (tls_counter's st_value is 0) and unmapped addresses name nothing. */
static void test_not_objects(void **state)
{
    (void)state;
    struct rl_elfsym *s = rl_elfsym_open(RL_ELFSYM_TARGET);
    assert_non_null(s);
    assert_null(rl_elfsym_lookup(s, 0));
    assert_null(rl_elfsym_lookup(s, 1));
    assert_null(rl_elfsym_lookup(s, ~0ul));
    rl_elfsym_close(s);
    assert_null(rl_elfsym_lookup(NULL, 0x404000));
}

/* The binary behind data/drd-unsafe.xml: `nm` puts counter (8 bytes) at 0x4040c0 and the
 * start gate right after it, at 0x4040e0. */
static void test_saved_binary(void **state)
{
    (void)state;
    char path[1024];
    struct rl_elfsym *s = rl_elfsym_open(data_path("unsafe-native.bin", path, sizeof path));
    assert_non_null(s);
    assert_string_equal(rl_elfsym_lookup(s, 0x4040c0), "counter");
    assert_string_equal(rl_elfsym_lookup(s, 0x4040c7), "counter");
    assert_null(rl_elfsym_lookup(s, 0x4040c8));
    assert_string_equal(rl_elfsym_lookup(s, 0x4040e0), "gate");
    rl_elfsym_close(s);

    s = rl_elfsym_open(data_path("lock_order-native.bin", path, sizeof path));
    assert_non_null(s);
    assert_string_equal(rl_elfsym_lookup(s, 0x4040c0), "lock_a");
    assert_string_equal(rl_elfsym_lookup(s, 0x404080), "lock_b");
    assert_string_equal(rl_elfsym_lookup(s, 0x4040a7), "lock_b"); /* a mutex is 40 bytes */
    rl_elfsym_close(s);
}

/* A file that is missing gives NULL; one that is not ELF names nothing. */
static void test_unreadable(void **state)
{
    (void)state;
    assert_null(rl_elfsym_open("/nonexistent/racelab/binary"));
    char path[1024];
    struct rl_elfsym *s = rl_elfsym_open(data_path("tsan-gcc-unsafe.stderr", path, sizeof path));
    assert_null(rl_elfsym_lookup(s, 0x4040c0));
    rl_elfsym_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_globals),
        cmocka_unit_test(test_not_objects),
        cmocka_unit_test(test_saved_binary),
        cmocka_unit_test(test_unreadable),
    };
    return cmocka_run_group_tests_name("elfsym", tests, NULL, NULL);
}
