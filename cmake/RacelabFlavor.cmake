# racelab_case_flags(CASE_DIR CFLAGS_VAR LDFLAGS_VAR)
#
# The case's own `cflags:` and `ldflags:` expect headers as lists, words split at spaces as
# racelab's builder (harness/src/run/build.c) splits them; racelab check rejects malformed ones.
# Relative -I/-L paths are taken from the case folder, where racelab runs the compiler.
function(racelab_case_flags case_dir cvar lvar)
  file(STRINGS "${case_dir}/expect" lines REGEX "^[ \t]*(c|ld)flags:[ \t]")
  set(cflags "")
  set(ldflags "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*((c|ld)flags):[ \t]+(.*)$" "\\1;\\3" kv "${line}")
    list(GET kv 0 key)
    list(GET kv 1 value)
    string(STRIP "${value}" value)
    separate_arguments(words UNIX_COMMAND "${value}")
    set(out "")
    foreach(w IN LISTS words)
      if(w MATCHES "^-([IL])([^/].*)$")
        set(w "-${CMAKE_MATCH_1}${case_dir}/${CMAKE_MATCH_2}")
      endif()
      list(APPEND out "${w}")
    endforeach()
    set(${key} "${out}")
  endforeach()
  set(${cvar} "${cflags}" PARENT_SCOPE)
  set(${lvar} "${ldflags}" PARENT_SCOPE)
endfunction()

# racelab_build_flavor(FLAVOR CASE_DIR...)
#
# Builds the fixtures and every variant (unsafe*.c, safe*.c) of every case folder for one
# flavor with the current project's C compiler, with the case's cflags/ldflags headers after
# the common flags. A variant lands at
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
    racelab_case_flags("${case_dir}" case_cflags case_ldflags)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${case_dir}/expect")
    file(GLOB variants CONFIGURE_DEPENDS "${case_dir}/unsafe*.c" "${case_dir}/safe*.c")
    foreach(src IN LISTS variants)
      get_filename_component(variant "${src}" NAME_WE)
      set(target "${flavor}.${case}.${variant}")
      add_executable(${target} "${src}")
      target_compile_options(${target} PRIVATE ${flags} ${case_cflags})
      target_link_options(${target} PRIVATE ${link_flags})
      # link_libraries, not link_options: -lm must come after the objects that need it
      target_link_libraries(${target} PRIVATE ${fixtures} ${case_ldflags})
      set_target_properties(${target} PROPERTIES
        OUTPUT_NAME "${variant}"
        RUNTIME_OUTPUT_DIRECTORY "${RACELAB_BIN_DIR}/${flavor}/${case}")
    endforeach()
  endforeach()
endfunction()
