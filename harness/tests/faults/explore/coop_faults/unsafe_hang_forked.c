/* coop_faults -- hangs under one order of three: b first spins for ever when a has not run.
 * Index 1 at the first choice point is not its last (c is ready too), so in fork mode the
 * hanging run is a forked child of a checkpoint, not the program racelab started. */
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
    while (!a_ran) /* HANG: only a can end this wait, and a step is never preempted */
        ;
    return COOP_DONE;
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[3];
    coop_init(&loop, 100, 0);
    coop_spawn(&loop, &tasks[0], "a", task_a, NULL);
    coop_spawn(&loop, &tasks[1], "b", task_b, NULL);
    coop_spawn(&loop, &tasks[2], "c", task_a, NULL);
    coop_run(&loop, 0);
    coop_result(&loop, "a_ran=%d", a_ran);
    return coop_outcome(&loop);
}
