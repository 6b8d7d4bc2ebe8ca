# Case discovery and test registration.
#
# A case is a folder with an `expect` file and unsafe*.c / safe*.c variants. Adding a case
# is adding a folder: the glob below finds it (re-globbed on every build).

# racelab_discover_cases(OUT DIR...): each DIR is a case folder or a folder of case folders.
function(racelab_discover_cases out)
  set(found "")
  foreach(dir IN LISTS ARGN)
    get_filename_component(dir "${dir}" ABSOLUTE)
    if(EXISTS "${dir}/expect")
      list(APPEND found "${dir}")
    else()
      file(GLOB expects CONFIGURE_DEPENDS "${dir}/*/expect")
      if(NOT expects)
        message(FATAL_ERROR "racelab: ${dir} holds no case (a folder with an 'expect' file)")
      endif()
      foreach(e IN LISTS expects)
        get_filename_component(d "${e}" DIRECTORY)
        list(APPEND found "${d}")
      endforeach()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES found)
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

include(RacelabTimeouts) # RACELAB_TOOLS, RACELAB_TIMEOUT_<tool>, RACELAB_CTEST_TIMEOUT_<tool>

# racelab_add_case_tests(CASE_DIR): one test per variant x tool, named case.variant.tool
# (explore only for the variants on the cooperative loop),
# labelled with the tool, the case, unsafe/safe and the case's family; and per detector cell
# a fidelity test, fidelity.case.variant.tool (labels fidelity, fidelity-TOOL and the case):
# the cell run bare and through racelab must give the same number and kinds of reports.
function(racelab_add_case_tests case_dir)
  get_filename_component(case "${case_dir}" NAME)
  file(STRINGS "${case_dir}/expect" family_line REGEX "^family:")
  string(REGEX REPLACE "^family:[ \t]*([a-z]+).*" "\\1" family "${family_line}")
  if(NOT family MATCHES "^(race|starvation)$")
    message(FATAL_ERROR "${case_dir}/expect: missing header 'family: race|starvation'")
  endif()
  file(GLOB variants CONFIGURE_DEPENDS "${case_dir}/unsafe*.c" "${case_dir}/safe*.c")
  foreach(src IN LISTS variants)
    get_filename_component(variant "${src}" NAME_WE)
    if(variant MATCHES "^unsafe")
      set(side unsafe)
    else()
      set(side safe)
    endif()
    # explore applies only to the variants on the cooperative loop, by racelab's own rule
    # (rl_source_on_loop): the source includes racelab/coop.h
    file(STRINGS "${src}" on_loop REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]racelab/coop\\.h[\">]")
    foreach(tool IN LISTS RACELAB_TOOLS)
      if(tool STREQUAL "explore" AND NOT on_loop)
        continue()
      endif()
      set(name "${case}.${variant}.${tool}")
      if(RACELAB_DEMO)
        # demo: the unsafe variants raw, failing by design with the detector's report
        if(NOT side STREQUAL "unsafe")
          continue()
        endif()
        add_test(NAME "demo.${name}"
                 COMMAND racelab --cases "${case_dir}" --raw run "${name}")
        set(name "demo.${name}")
        set(labels demo ${tool} ${case} ${side} ${family})
      else()
        add_test(NAME "${name}" COMMAND racelab --cases "${case_dir}" run "${name}")
        set(labels ${tool} ${case} ${side} ${family})
        if(NOT tool MATCHES "^(native|explore)$")
          add_test(NAME "fidelity.${name}"
                   COMMAND racelab --cases "${case_dir}" fidelity "${name}")
          math(EXPR twice "2 * ${RACELAB_CTEST_TIMEOUT_${tool}}")
          set_tests_properties("fidelity.${name}" PROPERTIES
            LABELS "fidelity;fidelity-${tool};${case}"
            SKIP_RETURN_CODE 77
            TIMEOUT ${twice})
        endif()
      endif()
      set_tests_properties("${name}" PROPERTIES
        LABELS "${labels}"
        SKIP_RETURN_CODE 77
        TIMEOUT ${RACELAB_CTEST_TIMEOUT_${tool}})
    endforeach()
  endforeach()
endfunction()
