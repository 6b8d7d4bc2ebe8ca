/* coop_faults -- crashes under one order only: b dereferences what a sets up, if a ran. */
#include <signal.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"

static volatile int a_ran;

static coop_status task_a(coop_loop *loop, void *arg)
{
    (void)arg;
    coop_work(loop, 1);
    a_ran = 1;
    return COOP_DONE;
}

static coop_status task_b(coop_loop *loop, void *arg)
{
    (void)arg;
    coop_work(loop, 1);
    if (!a_ran) /* CRASH: b before a dies by a signal */
        raise(SIGSEGV);
    return COOP_DONE;
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[2];
    coop_init(&loop, 100, 0);
    coop_spawn(&loop, &tasks[0], "a", task_a, NULL);
    coop_spawn(&loop, &tasks[1], "b", task_b, NULL);
    coop_run(&loop, 0);
    coop_result(&loop, "a_ran=%d", a_ran);
    return coop_outcome(&loop);
}
