/* pool: the cells in forked workers, collected from their run folders (see pool.h). */
#include "pool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"
#include "tools.h"

/* The cell's run folder (its one owner is rl_run_folder, in cases.h): 0, or -1 with why. */
static int run_folder(const struct rl_settings *s, const struct rl_pool_cell *p, char *out,
                      size_t len, char *why, size_t whylen)
{
    s = p->settings ? p->settings : s;
    return rl_run_folder(out, len, s->run_dir, p->c->name, p->variant, p->tool, why, whylen);
}

/* An error cell with no verdict of its own; with a run folder (saved there, where
 * `racelab report` finds it) unless no worker was ever started for it. */
static void not_run(const struct rl_settings *s, struct rl_pool_cell *p, const char *why,
                    int folder)
{
    memset(&p->cell, 0, sizeof p->cell);
    p->cell.status = RL_CELL_CONFIG_ERROR;
    rl_strlcpy(p->cell.error, why, sizeof p->cell.error);
    char err[512];
    if (!folder ||
        run_folder(s, p, p->cell.run_path, sizeof p->cell.run_path, err, sizeof err) != 0) {
        p->cell.run_path[0] = '\0';
        return;
    }
    if (rl_mkdirs(p->cell.run_path) == 0)
        rl_cell_save(&p->cell);
}

static pid_t start_worker(const struct rl_settings *s, const struct rl_pool_cell *p)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* the caller killed outright (SIGKILL reaches no handler): the worker stops its run */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            rl_spawn_stop = SIGTERM;
        struct rl_cell cell;
        rl_run_cell(p->settings ? p->settings : s, p->c, p->variant, p->tool, p->row, &cell);
        _exit(rl_cell_save(&cell) == 0 ? 0 : 3);
    }
    return pid;
}

/* waitpid(-1) that notices SIGINT/SIGTERM: the running workers (pids > 0) get the signal
 * once, stop their runs and save what they saw; SIGKILL if they take over 10 s (kill_at:
 * 0 until then, when they were told plus 10 s after). */
static pid_t wait_worker(const pid_t *pids, size_t n, int *status, double *kill_at)
{
    for (;;) {
        if (rl_spawn_stop && *kill_at == 0) {
            *kill_at = rl_now_s() + 10;
            for (size_t i = 0; i < n; i++)
                if (pids[i] > 0)
                    kill(pids[i], rl_spawn_stop);
        }
        if (*kill_at > 0 && rl_now_s() > *kill_at)
            for (size_t i = 0; i < n; i++)
                if (pids[i] > 0)
                    kill(pids[i], SIGKILL);
        pid_t pid = waitpid(-1, status, WNOHANG);
        if (pid != 0 && !(pid < 0 && errno == EINTR))
            return pid;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* The verdict the worker of cells[i] saved, or an error cell saying how it died. */
static void finish_worker(const struct rl_settings *s, pid_t *pids, size_t n, size_t i, int status,
                          struct rl_pool_cell *p)
{
    pids[i] = -1;
    char path[RL_RUN_PATH_MAX], bad[512];
    if (run_folder(s, p, path, sizeof path, bad, sizeof bad) != 0) { /* no folder to load from */
        not_run(s, p, bad, 0);
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && rl_cell_load(path, &p->cell) == 0)
        return;
    int killed = rl_kill_children(pids, n);
    rl_cell_free(&p->cell);
    char why[1400];
    int len = WIFSIGNALED(status)
                  ? snprintf(why, sizeof why,
                             "the worker for this cell was killed by signal %d before saving a "
                             "verdict",
                             WTERMSIG(status))
                  : snprintf(why, sizeof why,
                             "the worker for this cell ended (exit status %d) with no verdict "
                             "saved in %s/ that racelab could read",
                             WEXITSTATUS(status), path);
    if (killed && len > 0 && (size_t)len < sizeof why)
        snprintf(why + len, sizeof why - (size_t)len,
                 "; racelab killed %d process%s it left running", killed, killed == 1 ? "" : "es");
    not_run(s, p, why, 1);
}

size_t rl_pool_run(const struct rl_settings *s, struct rl_pool_cell *cells, size_t n, int jobs,
                   void (*done)(void *arg, size_t i), void *arg)
{
    pid_t *pids = calloc(n + 1, sizeof *pids);
    size_t next = 0, running = 0;
    int fork_errno = 0;
    double kill_at = 0;
    for (;;) {
        while (!rl_spawn_stop && next < n && (running < (size_t)jobs || fork_errno)) {
            struct rl_pool_cell *p = &cells[next];
            char why[300];
            if (p->not_built || fork_errno) {
                if (p->not_built)
                    snprintf(why, sizeof why,
                             "%s.%s does not build for %s (the compiler's message is above)",
                             p->c->name, p->variant, rl_tools[p->tool].flavor);
                else
                    snprintf(why, sizeof why, "not run: racelab could not fork a worker (%s)",
                             strerror(fork_errno));
                not_run(s, p, why, p->not_built);
                pids[next] = -1;
                done(arg, next++);
                continue;
            }
            pid_t pid = start_worker(s, p);
            if (pid < 0) { /* a process limit: start nothing more; the running ones end */
                fork_errno = errno;
                fprintf(stderr, "racelab: fork: %s\n", strerror(fork_errno));
                continue;
            }
            pids[next++] = pid;
            running++;
        }
        if (running == 0)
            break; /* all ended, or interrupted with nothing running */
        int status;
        pid_t pid = wait_worker(pids, next, &status, &kill_at);
        if (pid < 0)
            break;
        for (size_t i = 0; i < next; i++)
            if (pids[i] == pid) {
                running--;
                finish_worker(s, pids, next, i, status, &cells[i]);
                done(arg, i);
            }
    }
    free(pids);
    return next;
}
