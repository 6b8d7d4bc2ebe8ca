# cmake -DRACELAB=<racelab> -DCASES=<cases folder> -DREADME=<README.md> -P readme_cert.cmake
#
# Passes when README.md holds `racelab --cases CASES explain --cert --markdown` word for word:
# the section "CERT C rules x detectors" is that command's output, so it cannot go stale. When
# it fails, paste the output it prints into the README.
execute_process(COMMAND ${RACELAB} --cases ${CASES} explain --cert --markdown
                RESULT_VARIABLE rc OUTPUT_VARIABLE table)
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "racelab explain --cert --markdown: exit status ${rc}")
endif()
if(table STREQUAL "")
  message(FATAL_ERROR "racelab explain --cert --markdown printed no table")
endif()
file(READ "${README}" readme)
string(FIND "${readme}" "${table}" at)
if(at LESS 0)
  message(FATAL_ERROR "README.md does not hold racelab explain --cert --markdown's table; "
                      "the command's output now:\n${table}")
endif()
message("README.md holds racelab explain --cert --markdown's table")
