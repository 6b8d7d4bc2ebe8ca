# cmake -DMODULES=<cmake dir> -DCASE=<case folder> -DCFLAGS=<list> -DLDFLAGS=<list>
#       -P case_flags.cmake
#
# The CMake build reads a case's cflags:/ldflags: headers as racelab's own builder does:
# racelab_case_flags() must give exactly CFLAGS and LDFLAGS (';'-separated lists).
list(APPEND CMAKE_MODULE_PATH "${MODULES}")
include(RacelabFlavor)
racelab_case_flags("${CASE}" got_c got_l)
if(NOT got_c STREQUAL CFLAGS OR NOT got_l STREQUAL LDFLAGS)
  message(FATAL_ERROR "cflags '${got_c}' (want '${CFLAGS}'), ldflags '${got_l}' "
                      "(want '${LDFLAGS}')")
endif()
message("cflags ${got_c}; ldflags ${got_l}")
