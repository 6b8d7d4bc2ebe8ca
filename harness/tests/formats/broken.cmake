# cmake -DFROM_FILE=f -DTO_FILE=f -DFROM=text -DTO=text -DRC=n -DMATCH=regex -P broken.cmake -- CHECKER [ARG]
# A broken copy of a report file: FROM_FILE with FROM replaced by TO, written to TO_FILE, must
# make the checker exit RC with MATCH in its output. FROM must be in the file, so a report
# that changed shape fails here instead of leaving a copy that proves nothing.
set(cmd "")
set(seen_dashes FALSE)
foreach(i RANGE ${CMAKE_ARGC})
  if(seen_dashes AND DEFINED CMAKE_ARGV${i})
    list(APPEND cmd "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(seen_dashes TRUE)
  endif()
endforeach()
file(READ "${FROM_FILE}" text)
string(FIND "${text}" "${FROM}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "'${FROM}' is not in ${FROM_FILE}: update this broken copy")
endif()
string(REPLACE "${FROM}" "${TO}" text "${text}")
file(WRITE "${TO_FILE}" "${text}")
execute_process(COMMAND ${cmd} "${TO_FILE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc STREQUAL "${RC}")
  message(FATAL_ERROR "exit status ${rc}, expected ${RC}")
endif()
if(NOT "${out}${err}" MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match: ${MATCH}")
endif()
