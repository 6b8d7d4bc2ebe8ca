/* coop_faults -- tells the runners apart: loses the update only when the loop is in fork
 * mode, so racelab's run by exec of the schedule fork mode found must disagree. */
#include <stdlib.h>

#include "racelab/coop.h"
#include "racelab/fixtures.h"
#include "racelab/protocol.h"

static coop_status task(coop_loop *loop, void *arg)
{
    (void)arg;
    coop_work(loop, 1);
    return COOP_DONE;
}

int main(void)
{
    coop_loop loop;
    coop_task tasks[2];
    coop_init(&loop, 100, 0);
    coop_spawn(&loop, &tasks[0], "a", task, NULL);
    coop_spawn(&loop, &tasks[1], "b", task, NULL);
    coop_run(&loop, 0);
    int forked = getenv(RL_PROTO_SCHEDULE_FD_ENV) != NULL; /* FORGED: the mode decides */
    coop_result(&loop, "forked=%d", forked);
    return forked ? RL_EXIT_LOST_UPDATE : coop_outcome(&loop);
}
