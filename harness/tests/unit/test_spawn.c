/* Unit tests of spawn.h: exit status, separate and capped output, timeouts that end even
 * stubborn process trees, descendants left behind, exec errors, and the extra environment. */
#include "unit.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run `sh -c script` with the given options; returns rl_spawn's result code. */
static int run_sh(const char *script, struct rl_spawn_opts *o, struct rl_spawn_result *r)
{
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    o->argv = argv;
    return rl_spawn(o, r);
}

/* The exit code and both streams arrive, each in its own buffer. */
static void test_exit_code_and_streams(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {0};
    struct rl_spawn_result r;
    assert_int_equal(run_sh("echo to-out; echo to-err >&2; echo more-out; exit 40", &o, &r), 0);
    assert_int_equal(r.started, 1);
    assert_int_equal(r.exited, 1);
    assert_int_equal(r.exit_code, 40);
    assert_int_equal(r.signal, 0);
    assert_int_equal(r.timed_out, 0);
    assert_string_equal(rl_buf_str(&r.out), "to-out\nmore-out\n");
    assert_string_equal(rl_buf_str(&r.err), "to-err\n");
    assert_int_equal(r.out_dropped, 0);
    assert_int_equal(r.err_dropped, 0);
    rl_spawn_result_free(&r);
}

/* A program killed by a signal has no exit code but the signal. */
static void test_killed_by_signal(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {0};
    struct rl_spawn_result r;
    assert_int_equal(run_sh("kill -SEGV $$", &o, &r), 0);
    assert_int_equal(r.exited, 0);
    assert_int_equal(r.signal, SIGSEGV);
    assert_int_equal(r.timed_out, 0);
    rl_spawn_result_free(&r);
}

/* A flood keeps exactly `cap` bytes per stream and counts the rest as dropped. */
static void test_output_cap(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.cap = 64 * 1024};
    struct rl_spawn_result r;
    double t0 = now_s();
    assert_int_equal(run_sh("head -c 5000000 /dev/zero | tr '\\0' x; "
                            "head -c 100000 /dev/zero | tr '\\0' y >&2",
                            &o, &r),
                     0);
    assert_true(now_s() - t0 < 20);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.out.len, 64 * 1024);
    assert_int_equal(r.out_dropped, 5000000 - 64 * 1024);
    assert_int_equal(r.err.len, 64 * 1024);
    assert_int_equal(r.err_dropped, 100000 - 64 * 1024);
    assert_int_equal(r.out.data[0], 'x');
    assert_int_equal(r.out.data[r.out.len - 1], 'x');
    assert_int_equal(r.out.data[r.out.len], '\0');
    rl_spawn_result_free(&r);
}

/* Without a cap of its own, a stream keeps the default 1 MiB. */
static void test_default_cap(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {0};
    struct rl_spawn_result r;
    assert_int_equal(run_sh("head -c 1100000 /dev/zero", &o, &r), 0);
    assert_int_equal(r.out.len, 1 << 20);
    assert_int_equal(r.out_dropped, 1100000 - (1 << 20));
    rl_spawn_result_free(&r);
}

/* A child that ignores SIGTERM is KILLed after the grace period. */
static void test_timeout_ignoring_term(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.timeout_s = 1, .grace_s = 0.5};
    struct rl_spawn_result r;
    double t0 = now_s();
    assert_int_equal(run_sh("trap '' TERM; echo started; sleep 30", &o, &r), 0);
    double wall = now_s() - t0;
    assert_true(wall >= 1.0);
    assert_true(wall < 1.0 + 0.5 + 1.0);
    assert_int_equal(r.timed_out, 1);
    assert_int_equal(r.exited, 0);
    assert_int_equal(r.signal, SIGKILL);
    assert_string_equal(rl_buf_str(&r.out), "started\n");
    rl_spawn_result_free(&r);
}

/* A child that obeys SIGTERM ends on it, before the grace period runs out. */
static void test_timeout_term_suffices(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.timeout_s = 0.5, .grace_s = 5};
    struct rl_spawn_result r;
    double t0 = now_s();
    assert_int_equal(run_sh("exec sleep 30", &o, &r), 0);
    assert_true(now_s() - t0 < 2.5);
    assert_int_equal(r.timed_out, 1);
    assert_int_equal(r.signal, SIGTERM);
    rl_spawn_result_free(&r);
}

/* A background grandchild still holding stdout must not keep spawn waiting for EOF. */
static void test_grandchild_holding_pipe(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.timeout_s = 20};
    struct rl_spawn_result r;
    double t0 = now_s();
    assert_int_equal(run_sh("sleep 30 & echo hi", &o, &r), 0);
    assert_true(now_s() - t0 < 3.0);
    assert_int_equal(r.timed_out, 0);
    assert_int_equal(r.exited, 1);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(rl_buf_str(&r.out), "hi\n");
    assert_int_equal(r.leftovers, 1); /* the sleep, killed and counted */
    rl_spawn_result_free(&r);
}

/* A descendant that let go of the pipes is found all the same: the run ends with the
 * program, and the descendant is killed and counted. */
static void test_leftover_without_pipes(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.timeout_s = 20};
    struct rl_spawn_result r;
    double t0 = now_s();
    assert_int_equal(run_sh("setsid sleep 30 >/dev/null 2>&1 & sleep 0.1; exit 0", &o, &r), 0);
    assert_true(now_s() - t0 < 2.0);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.leftovers, 1);
    rl_spawn_result_free(&r);
}

/* The caller's own children from before the run are not the program's: left alone. */
static void test_callers_children_kept(void **state)
{
    (void)state;
    pid_t mine = fork();
    if (mine == 0) {
        sleep(30);
        _exit(0);
    }
    struct rl_spawn_opts o = {0};
    struct rl_spawn_result r;
    assert_int_equal(run_sh("exit 0", &o, &r), 0);
    assert_int_equal(r.leftovers, 0);
    assert_int_equal(waitpid(mine, NULL, WNOHANG), 0); /* still running */
    kill(mine, SIGKILL);
    waitpid(mine, NULL, 0);
    rl_spawn_result_free(&r);
}

/* The timeout bounds the run even when a descendant left the process group (setsid) and
 * keeps the pipes open: no group signal reaches it, but spawn is its subreaper, so it is
 * killed and counted. */
static void test_timeout_bounds_escaped_descendant(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.timeout_s = 1, .grace_s = 0.5};
    struct rl_spawn_result r;
    double t0 = now_s();
    assert_int_equal(run_sh("setsid sleep 6 & echo hi", &o, &r), 0);
    double wall = now_s() - t0;
    assert_string_equal(rl_buf_str(&r.out), "hi\n");
    if (wall >= 1.0 + 0.5 + 1.0)
        fail_msg("rl_spawn took %.1f s with a 1 s timeout", wall);
    assert_int_equal(r.leftovers, 1);
    rl_spawn_result_free(&r);
}

/* A program that cannot be executed is an error naming it, not a run. */
static void test_missing_program(void **state)
{
    (void)state;
    char *argv[] = {"racelab-no-such-program-xyz", NULL};
    struct rl_spawn_opts o = {.argv = argv};
    struct rl_spawn_result r;
    assert_int_equal(rl_spawn(&o, &r), -1);
    assert_int_equal(r.started, 0);
    assert_contains(r.error, "racelab-no-such-program-xyz");
    assert_contains(r.error, "No such file");
    rl_spawn_result_free(&r);

    char *abs_argv[] = {"/nonexistent/dir/prog", NULL};
    o.argv = abs_argv;
    assert_int_equal(rl_spawn(&o, &r), -1);
    assert_contains(r.error, "/nonexistent/dir/prog");
    rl_spawn_result_free(&r);
}

/* env_add reaches the child, next to the inherited environment. */
static void test_env_add(void **state)
{
    (void)state;
    char *env[] = {"RL_UNIT_A=hello world", "RL_UNIT_B=42", NULL};
    struct rl_spawn_opts o = {.env_add = env};
    struct rl_spawn_result r;
    setenv("RL_UNIT_INHERITED", "yes", 1);
    assert_int_equal(run_sh("echo \"$RL_UNIT_A|$RL_UNIT_B|$RL_UNIT_INHERITED\"", &o, &r), 0);
    assert_string_equal(rl_buf_str(&r.out), "hello world|42|yes\n");
    rl_spawn_result_free(&r);
    assert_null(getenv("RL_UNIT_A")); /* the parent's environment is untouched */
}

/* env_drop removes names (and with '*' whole prefixes) before env_add adds its own. */
static void test_env_drop(void **state)
{
    (void)state;
    const char *drop[] = {"RL_UNIT_ONE", "RL_UNIT_P_*", NULL};
    char *env[] = {"RL_UNIT_P_ADDED=new", NULL};
    struct rl_spawn_opts o = {.env_drop = drop, .env_add = env};
    struct rl_spawn_result r;
    setenv("RL_UNIT_ONE", "1", 1);
    setenv("RL_UNIT_ONE_MORE", "kept", 1); /* longer name: only '*' drops it */
    setenv("RL_UNIT_P_X", "x", 1);
    setenv("RL_UNIT_P_Y", "y", 1);
    assert_int_equal(run_sh("echo \"${RL_UNIT_ONE-unset}|$RL_UNIT_ONE_MORE|${RL_UNIT_P_X-unset}|"
                            "${RL_UNIT_P_Y-unset}|$RL_UNIT_P_ADDED\"",
                            &o, &r),
                     0);
    assert_string_equal(rl_buf_str(&r.out), "unset|kept|unset|unset|new\n");
    rl_spawn_result_free(&r);
    assert_string_equal(getenv("RL_UNIT_P_X"), "x"); /* the parent's environment is untouched */
}

/* cwd sets the child's working directory. */
static void test_cwd(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.cwd = "/"};
    struct rl_spawn_result r;
    assert_int_equal(run_sh("pwd", &o, &r), 0);
    assert_string_equal(rl_buf_str(&r.out), "/\n");
    rl_spawn_result_free(&r);
}

/* A working directory that does not exist is an error that names the directory, not the
 * program (which exists). */
static void test_missing_cwd(void **state)
{
    (void)state;
    struct rl_spawn_opts o = {.cwd = "/nonexistent-racelab-dir"};
    struct rl_spawn_result r;
    assert_int_equal(run_sh("true", &o, &r), -1);
    assert_int_equal(r.started, 0);
    assert_contains(r.error, "/nonexistent-racelab-dir");
    rl_spawn_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_code_and_streams),
        cmocka_unit_test(test_killed_by_signal),
        cmocka_unit_test(test_output_cap),
        cmocka_unit_test(test_default_cap),
        cmocka_unit_test(test_timeout_ignoring_term),
        cmocka_unit_test(test_timeout_term_suffices),
        cmocka_unit_test(test_grandchild_holding_pipe),
        cmocka_unit_test(test_timeout_bounds_escaped_descendant),
        cmocka_unit_test(test_leftover_without_pipes),
        cmocka_unit_test(test_callers_children_kept),
        cmocka_unit_test(test_missing_program),
        cmocka_unit_test(test_env_add),
        cmocka_unit_test(test_env_drop),
        cmocka_unit_test(test_cwd),
        cmocka_unit_test(test_missing_cwd),
    };
    return cmocka_run_group_tests_name("spawn", tests, NULL, NULL);
}
