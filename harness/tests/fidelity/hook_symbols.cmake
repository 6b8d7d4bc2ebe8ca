# cmake -DCC=compiler -DSOURCE=fixtures/src/tsan_report.c -DOBJECT=out.o -DFLAGS="a;b" -P ...
#
# The TSan hook must call nothing TSan intercepts and carry no instrumentation: every call
# it makes is an event that can change which races the runtime sees. Compile it as the
# flavors do and list what it needs from outside: only raw syscall(), environ, the
# compiler's module constructor's __tsan_init, and the runtime's report and symbolizer
# interface may appear.
set(allowed "^(syscall|environ|__tsan_init|__tsan_get_report_[a-z]+|__sanitizer_symbolize_[a-z]+)$")
execute_process(COMMAND "${CC}" ${FLAGS} -c "${SOURCE}" -o "${OBJECT}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CC} cannot compile ${SOURCE}: ${err}")
endif()
execute_process(COMMAND nm -u "${OBJECT}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -u ${OBJECT} failed")
endif()
string(REGEX MATCHALL "[^ \n]+\n" lines "${out}")
set(bad "")
set(seen "")
foreach(line IN LISTS lines)
  string(STRIP "${line}" sym)
  string(REGEX REPLACE "@.*" "" sym "${sym}")
  list(APPEND seen "${sym}")
  if(NOT sym MATCHES "${allowed}")
    list(APPEND bad "${sym}")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "the TSan hook (${CC}) calls or uses: ${bad}; only ${allowed} may appear")
endif()
list(JOIN seen " " seen)
message(STATUS "the TSan hook (${CC}) needs only: ${seen}")
