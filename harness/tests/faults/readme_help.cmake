# cmake -DRACELAB=<racelab> -DREADME=<README.md> -P readme_help.cmake
#
# Passes when README.md holds the command list of `racelab --help` word for word: the lines
# from "commands:" up to the first blank line.
execute_process(COMMAND ${RACELAB} --help RESULT_VARIABLE rc OUTPUT_VARIABLE help)
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "racelab --help: exit status ${rc}")
endif()
string(FIND "${help}" "commands:\n" start)
if(start LESS 0)
  message(FATAL_ERROR "racelab --help has no 'commands:' section:\n${help}")
endif()
string(SUBSTRING "${help}" ${start} -1 commands)
string(FIND "${commands}" "\n\n" end)
string(SUBSTRING "${commands}" 0 ${end} commands)
file(READ "${README}" readme)
string(FIND "${readme}" "${commands}\n" at)
if(at LESS 0)
  message(FATAL_ERROR "README.md does not hold racelab --help's command list:\n${commands}")
endif()
message("README.md holds racelab --help's command list")
