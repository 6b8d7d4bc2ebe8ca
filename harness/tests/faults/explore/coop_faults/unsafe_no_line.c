/* coop_faults -- includes the loop's header but never starts a loop: no schedule line. */
#include "racelab/coop.h"
#include "racelab/fixtures.h"

int main(void)
{
    rl_result("loop=none");
    return RL_EXIT_OK;
}
