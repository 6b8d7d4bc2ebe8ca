# racelab_build_flavor(FLAVOR CASE_DIR...)
#
# Builds the fixtures and every variant (unsafe*.c, safe*.c) of every case folder for one
# flavor with the current project's C compiler. A variant lands at
#   ${RACELAB_BIN_DIR}/<flavor>/<case>/<variant>
# which is where the racelab harness looks for it.
function(racelab_build_flavor flavor)
  if(flavor STREQUAL "native")
    set(flags ${RACELAB_COMMON_FLAGS} ${RACELAB_NATIVE_FLAGS})
    set(link_flags -pthread -no-pie)
  else()
    set(flags ${RACELAB_COMMON_FLAGS} ${RACELAB_TSAN_FLAGS})
    set(link_flags -pthread -fsanitize=thread ${RACELAB_TSAN_LINK_FLAGS})
  endif()

  file(GLOB fixture_sources CONFIGURE_DEPENDS "${RACELAB_FIXTURES_DIR}/src/*.c")
  set(fixtures racelab_fixtures_${flavor})
  # An OBJECT library: every fixture object is linked in, including the TSan report hook,
  # which nothing references by name (the runtime finds it as a weak symbol).
  add_library(${fixtures} OBJECT ${fixture_sources})
  target_include_directories(${fixtures} PUBLIC "${RACELAB_FIXTURES_DIR}/include")
  target_compile_options(${fixtures} PRIVATE ${flags})

  foreach(case_dir IN LISTS ARGN)
    get_filename_component(case "${case_dir}" NAME)
    file(GLOB variants CONFIGURE_DEPENDS "${case_dir}/unsafe*.c" "${case_dir}/safe*.c")
    foreach(src IN LISTS variants)
      get_filename_component(variant "${src}" NAME_WE)
      set(target "${flavor}.${case}.${variant}")
      add_executable(${target} "${src}")
      target_compile_options(${target} PRIVATE ${flags})
      target_link_options(${target} PRIVATE ${link_flags})
      target_link_libraries(${target} PRIVATE ${fixtures})
      set_target_properties(${target} PROPERTIES
        OUTPUT_NAME "${variant}"
        RUNTIME_OUTPUT_DIRECTORY "${RACELAB_BIN_DIR}/${flavor}/${case}")
    endforeach()
  endforeach()
endfunction()
