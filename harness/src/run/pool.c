/* pool: the cells in forked workers, collected from their run folders (see pool.h). The
 * longest cells start first: each cell's cost is the wall time its run folder's last verdict
 * recorded, else its tool's slowdown (a Valgrind cell before a TSan one before a native one),
 * so the last cells to start are short ones and no worker idles while one long cell ends.
 * A cell whose last run kept a core busy less than RL_POOL_IDLE of its wall time (a deadlock
 * its watchdog ends, asleep in the kernel meanwhile) weighs that fraction, not a whole job,
 * so it runs beside the busy ones instead of taking a core it would not use. Only the start
 * order and the overlap change: every cell runs as it would in any order. */
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

/* The wall and CPU time the cell's last run recorded ("wall S" and "cpu S", the verdict file's
 * second and third lines, which rl_cell_save writes first thing): 0, or -1 when there is no
 * verdict or it records no time. *cpu stays -1 when the verdict has no CPU time. */
static int last_times(const struct rl_settings *s, const struct rl_pool_cell *p, double *wall,
                      double *cpu)
{
    char path[RL_RUN_PATH_MAX], why[512], head[256];
    *wall = *cpu = -1;
    if (run_folder(s, p, path, sizeof path, why, sizeof why) != 0 ||
        strlen(path) + sizeof "/verdict" > sizeof path)
        return -1;
    strcat(path, "/verdict");
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t got = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[got] = '\0';
    const char *w = strstr(head, "\nwall "), *c = strstr(head, "\ncpu ");
    /* a cell that did not run (skipped: its tool is missing) recorded no time worth a guess */
    if (w == NULL || atof(w + 6) <= 0)
        return -1;
    *wall = atof(w + 6);
    if (c)
        *cpu = atof(c + 5);
    return 0;
}

double rl_pool_weight(double wall, double cpu)
{
    if (wall <= 0 || cpu <= 0 || cpu >= RL_POOL_IDLE * wall)
        return 1;
    return cpu < 0.1 * wall ? 0.1 : cpu / wall;
}

int rl_pool_fits(double load, double weight, size_t running, int jobs)
{
    if (running == 0)
        return 1;
    if (jobs <= 1) /* one at a time, as asked */
        return 0;
    return running < 2 * (size_t)jobs && load + weight <= jobs + RL_POOL_SPARE + 1e-9;
}

struct order {
    double cost;
    size_t i;
};

static int longest_first(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The order to start cells in: by cost, longest first; equal costs in the caller's order.
 * A cell that will not run (not built) costs nothing. Each cell's weight goes to weight[i]. */
static size_t *start_order(const struct rl_settings *s, const struct rl_pool_cell *cells, size_t n,
                           double *weight)
{
    struct order *o = calloc(n + 1, sizeof *o);
    size_t *ord = calloc(n + 1, sizeof *ord);
    if (o == NULL || ord == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        double w = -1, cpu = -1;
        if (!cells[i].not_built)
            last_times(s, &cells[i], &w, &cpu);
        o[i] = (struct order){w >= 0 ? w : rl_tools[cells[i].tool].slowdown, i};
        weight[i] = rl_pool_weight(w, cpu);
    }
    qsort(o, n, sizeof *o, longest_first);
    for (size_t i = 0; i < n; i++)
        ord[i] = o[i].i;
    free(o);
    return ord;
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

/* The next cell to start: the first not started in `ord` that fits beside the running ones
 * (a cell that will not run always does: it takes no worker), or n when none does. */
static size_t next_cell(const struct rl_pool_cell *cells, const size_t *ord, const char *started,
                        size_t first, size_t n, const double *weight, double load,
                        size_t running, int jobs, int fork_errno)
{
    for (size_t k = first; k < n; k++) {
        size_t i = ord[k];
        if (started[k])
            continue;
        if (cells[i].not_built || fork_errno || rl_pool_fits(load, weight[i], running, jobs))
            return k;
    }
    return n;
}

size_t rl_pool_run(const struct rl_settings *s, struct rl_pool_cell *cells, size_t n, int jobs,
                   void (*done)(void *arg, size_t i), void *arg)
{
    pid_t *pids = calloc(n + 1, sizeof *pids); /* by cell: 0 not started, -1 ended */
    double *weight = calloc(n + 1, sizeof *weight);
    char *started = calloc(n + 1, 1); /* by position in ord */
    if (pids == NULL || weight == NULL || started == NULL)
        abort();
    size_t *ord = start_order(s, cells, n, weight);
    size_t first = 0, running = 0, ended = 0;
    double load = 0; /* the running cells' weights */
    int fork_errno = 0;
    double kill_at = 0;
    for (size_t i = 0; i < n; i++)
        cells[i].ran = 0;
    for (;;) {
        while (first < n && started[first])
            first++;
        size_t k;
        while (!rl_spawn_stop && (k = next_cell(cells, ord, started, first, n, weight, load,
                                                running, jobs, fork_errno)) < n) {
            size_t i = ord[k];
            struct rl_pool_cell *p = &cells[i];
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
                pids[i] = -1;
                started[k] = 1;
                p->ran = 1;
                ended++;
                done(arg, i);
                continue;
            }
            pid_t pid = start_worker(s, p);
            if (pid < 0) { /* a process limit: start nothing more; the running ones end */
                fork_errno = errno;
                fprintf(stderr, "racelab: fork: %s\n", strerror(fork_errno));
                continue;
            }
            pids[i] = pid;
            started[k] = 1;
            running++;
            load += weight[i];
        }
        if (running == 0)
            break; /* all ended, or interrupted with nothing running */
        int status;
        pid_t pid = wait_worker(pids, n, &status, &kill_at);
        if (pid < 0)
            break;
        for (size_t i = 0; i < n; i++)
            if (pids[i] == pid) {
                running--;
                load = running ? load - weight[i] : 0;
                finish_worker(s, pids, n, i, status, &cells[i]);
                cells[i].ran = 1;
                ended++;
                done(arg, i);
            }
    }
    free(ord);
    free(started);
    free(weight);
    free(pids);
    return ended;
}
