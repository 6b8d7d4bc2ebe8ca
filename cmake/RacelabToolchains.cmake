# Which compiler builds which flavor of a variant, and why a flavor may be unavailable.
#
#   native      gcc -O1 -g, linked -no-pie   run directly, and under Helgrind and DRD
#   tsan-gcc    gcc -fsanitize=thread        ThreadSanitizer, gcc's runtime
#   tsan-clang  clang -fsanitize=thread      ThreadSanitizer, clang's runtime
#
# One CMake project has one C compiler, so the project's compiler (gcc) builds native and
# tsan-gcc, and an ExternalProject configures the same case list a second time with clang
# (cases/CMakeLists.txt). A single `cmake --build` therefore builds all three flavors and a
# single `ctest` covers all five detectors.

if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
  message(WARNING "racelab: the native and tsan-gcc flavors are meant to be built with gcc; "
                  "configure with -DCMAKE_C_COMPILER=gcc (the presets do)")
endif()

include(RacelabFlags)
set(RACELAB_FIXTURES_DIR "${PROJECT_SOURCE_DIR}/fixtures")

# A flavor is available only when its compiler can build AND run a TSan program here.
function(_racelab_probe_tsan compiler out_reason)
  set(dir "${CMAKE_BINARY_DIR}/CMakeFiles/racelab-probe")
  get_filename_component(name "${compiler}" NAME)
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/probe.c" "#include <pthread.h>\nstatic void *f(void *a){return a;}\n"
       "int main(void){pthread_t t; pthread_create(&t,0,f,0); return pthread_join(t,0);}\n")
  execute_process(COMMAND "${compiler}" -fsanitize=thread -pthread "${dir}/probe.c"
                          -o "${dir}/probe-${name}"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REGEX REPLACE "\n.*" "" err "${err}")
    set(${out_reason} "${name} cannot link a ThreadSanitizer program here: ${err}" PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND "${dir}/probe-${name}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REGEX MATCH "[^\n]*ThreadSanitizer[^\n]*" err "${err}")
    set(${out_reason} "a ${name} ThreadSanitizer program does not run here: ${err}" PARENT_SCOPE)
    return()
  endif()
  set(${out_reason} "" PARENT_SCOPE)
endfunction()

_racelab_probe_tsan("${CMAKE_C_COMPILER}" RACELAB_TSAN_GCC_REASON)

# -DRACELAB_CLANG=..., else the environment's RACELAB_CLANG (which ci/install-deps.sh also
# reads), else the first clang found.
if(DEFINED ENV{RACELAB_CLANG} AND NOT "$ENV{RACELAB_CLANG}" STREQUAL "")
  set(_clang_names "$ENV{RACELAB_CLANG}")
else()
  set(_clang_names clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14)
endif()
find_program(RACELAB_CLANG NAMES ${_clang_names} DOC "clang, for the tsan-clang flavor")
if(RACELAB_CLANG)
  _racelab_probe_tsan("${RACELAB_CLANG}" RACELAB_TSAN_CLANG_REASON)
else()
  set(RACELAB_TSAN_CLANG_REASON "clang was not found when racelab was configured")
endif()
if(RACELAB_TSAN_CLANG_REASON)
  message(STATUS "racelab: tsan-clang unavailable: ${RACELAB_TSAN_CLANG_REASON}")
  set(RACELAB_CLANG_FOR_BUILD "")
else()
  set(RACELAB_CLANG_FOR_BUILD "${RACELAB_CLANG}")
endif()
# clang's TSan runtime names globals and frames with llvm-symbolizer, which Debian ships in
# llvm-N, not with clang: without it a report names nothing ("<null>"). Take the one that
# belongs to this clang (beside its real path, else llvm-symbolizer-N) and hand it to the
# runtime (external_symbolizer_path). When there is none, every tsan-clang cell is an error
# that says what to install; racelab never reads an unsymbolized report as a finding.
set(RACELAB_TSAN_CLANG_SYMBOLIZER "")
if(RACELAB_CLANG_FOR_BUILD)
  get_filename_component(_real "${RACELAB_CLANG}" REALPATH)
  get_filename_component(_dir "${_real}" DIRECTORY)
  execute_process(COMMAND "${RACELAB_CLANG}" -dumpversion OUTPUT_VARIABLE _ver
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  string(REGEX MATCH "^[0-9]+" RACELAB_CLANG_MAJOR "${_ver}")
  find_program(RACELAB_LLVM_SYMBOLIZER NAMES llvm-symbolizer HINTS "${_dir}" NO_DEFAULT_PATH
               DOC "llvm-symbolizer for RACELAB_CLANG's ThreadSanitizer runtime")
  if(NOT RACELAB_LLVM_SYMBOLIZER)
    unset(RACELAB_LLVM_SYMBOLIZER CACHE)
    find_program(RACELAB_LLVM_SYMBOLIZER NAMES llvm-symbolizer-${RACELAB_CLANG_MAJOR}
                 DOC "llvm-symbolizer for RACELAB_CLANG's ThreadSanitizer runtime")
  endif()
  if(RACELAB_LLVM_SYMBOLIZER)
    set(RACELAB_TSAN_CLANG_SYMBOLIZER "${RACELAB_LLVM_SYMBOLIZER}")
    message(STATUS "racelab: tsan-clang symbolizer: ${RACELAB_LLVM_SYMBOLIZER}")
  else()
    message(WARNING "racelab: no llvm-symbolizer for ${RACELAB_CLANG} (clang "
                    "${RACELAB_CLANG_MAJOR}): every tsan-clang cell will be an error until "
                    "it is installed (Debian: apt-get install llvm-${RACELAB_CLANG_MAJOR}) "
                    "and racelab is configured again")
  endif()
endif()
if(RACELAB_TSAN_GCC_REASON)
  message(STATUS "racelab: tsan-gcc unavailable: ${RACELAB_TSAN_GCC_REASON}")
endif()

set(RACELAB_BIN_DIR "${CMAKE_BINARY_DIR}/bin")
set(RACELAB_RUN_DIR "${CMAKE_BINARY_DIR}/runs")
