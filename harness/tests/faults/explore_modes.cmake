# The two explore runners must walk the same tree: run the explore cells matching PATTERN once
# with --explore-mode exec and once with fork, each in its own run folder, and require every
# cell's verdict file to say the same in both (status, findings, outcome, the search's runs,
# bound, budget and end, the schedule found, the message), all but the wall time.
# -DRACELAB= -DRUNS= -DPATTERN= [-DEXTRA=a;b] (options before the command, e.g. --cases DIR)
foreach(mode exec fork)
  file(REMOVE_RECURSE "${RUNS}/${mode}")
  execute_process(COMMAND "${RACELAB}" ${EXTRA} --explore-mode ${mode} --run-dir "${RUNS}/${mode}"
                          matrix "${PATTERN}"
                  OUTPUT_VARIABLE out_${mode} ERROR_VARIABLE err_${mode} RESULT_VARIABLE rc_${mode})
  if(rc_${mode} GREATER 1)
    message(FATAL_ERROR "racelab --explore-mode ${mode} matrix ${PATTERN} exited ${rc_${mode}}:\n"
                        "${out_${mode}}${err_${mode}}")
  endif()
endforeach()
file(GLOB cells RELATIVE "${RUNS}/exec" "${RUNS}/exec/*.explore")
list(LENGTH cells n)
if(n EQUAL 0)
  message(FATAL_ERROR "no explore cell matched ${PATTERN}:\n${out_exec}${err_exec}")
endif()
set(differ "")
foreach(cell IN LISTS cells)
  foreach(mode exec fork)
    if(NOT EXISTS "${RUNS}/${mode}/${cell}/verdict")
      message(FATAL_ERROR "${cell}: no verdict in ${mode} mode")
    endif()
    file(STRINGS "${RUNS}/${mode}/${cell}/verdict" v_${mode} REGEX "^(status|findings|outcome|explore|finding|message|error) ")
  endforeach()
  if(NOT v_exec STREQUAL v_fork)
    string(REPLACE ";" "\n    " e "${v_exec}")
    string(REPLACE ";" "\n    " f "${v_fork}")
    string(APPEND differ "${cell}:\n  exec:\n    ${e}\n  fork:\n    ${f}\n")
  endif()
endforeach()
if(differ)
  message(FATAL_ERROR "the exec and fork runners disagree:\n${differ}")
endif()
message(STATUS "${n} explore cells: the same verdict, runs and schedule in exec and fork mode")
