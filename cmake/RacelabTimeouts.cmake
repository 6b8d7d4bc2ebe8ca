# racelab's tools and their time limits, included by RacelabCases.cmake and by the fuzz
# build (which compiles core/tools.c, whose table reads them from the generated config.h).
# The time limits, in seconds: the only place they are set. RACELAB_TIMEOUT_<tool> is the
# harness's own limit for one run (the cases are small, well under a second natively; the
# limit only has to end a run that hangs: TSan slows code 5-15x and Valgrind serialises
# threads, hence the larger ones). The generated config.h carries it into racelab
# (harness/src/core/tools.c); `racelab list` shows it. A cell's ctest TIMEOUT is 60 s more,
# so a hanging variant is reported by racelab as `hang` rather than killed by ctest.
set(RACELAB_TOOLS native tsan-clang tsan-gcc helgrind drd explore)
set(RACELAB_TIMEOUT_native 20)
set(RACELAB_TIMEOUT_tsan-clang 60)
set(RACELAB_TIMEOUT_tsan-gcc 60)
set(RACELAB_TIMEOUT_helgrind 120)
set(RACELAB_TIMEOUT_drd 120)
# explore: the limit of each run of its search (a native run), not of the whole search, which
# its run budget bounds
set(RACELAB_TIMEOUT_explore 20)
foreach(tool IN LISTS RACELAB_TOOLS)
  math(EXPR RACELAB_CTEST_TIMEOUT_${tool} "${RACELAB_TIMEOUT_${tool}} + 60")
endforeach()
