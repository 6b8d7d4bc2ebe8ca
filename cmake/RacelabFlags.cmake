# The compile flags of each flavor; shared by the main project and the clang sub-project.
# -O1 keeps the racy loads and stores the source shows.
set(RACELAB_COMMON_FLAGS -std=c11 -D_GNU_SOURCE -O1 -g -pthread -Wall -Wextra)
# Valgrind 3.19 reads DWARF 4 cleanly; a non-PIE binary lets the harness name the global at
# an address DRD reports without paying --read-var-info=yes (~3.5 s per run).
set(RACELAB_NATIVE_FLAGS -gdwarf-4 -fno-pie -no-pie)
set(RACELAB_TSAN_FLAGS -fsanitize=thread)
# The runtime finds the channel's finalize hook with dlsym(), which sees only exported
# symbols (fixtures/src/tsan_report.c).
set(RACELAB_TSAN_LINK_FLAGS -Wl,--export-dynamic-symbol=__tsan_on_finalize)
