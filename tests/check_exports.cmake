# Checks that a shared library exports exactly the functions a C header declares with WM_API:
# every declared function is there, and no other symbol (C++ internals, Boost, nlohmann_json,
# libstdc++ template instances) leaks out of it.
#   cmake -DNM=<nm> -DLIBRARY=<libwijkmatch_c.so> -DHEADER=<wijkmatch.h> -P check_exports.cmake
foreach(var NM LIBRARY HEADER)
  if(NOT ${var})
    message(FATAL_ERROR "check_exports: -D${var}= is required")
  endif()
endforeach()

file(READ ${HEADER} header)
string(REGEX MATCHALL "WM_API[^;(]*[ *](wm_[A-Za-z0-9_]+)\\(" declarations "${header}")
set(declared)
foreach(d IN LISTS declarations)
  string(REGEX REPLACE ".*[ *](wm_[A-Za-z0-9_]+)\\($" "\\1" name "${d}")
  list(APPEND declared ${name})
endforeach()
list(SORT declared)
list(LENGTH declared count)
if(count LESS 10)
  message(FATAL_ERROR "check_exports: only ${count} declarations found in ${HEADER}: ${declared}")
endif()

execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
                OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check_exports: ${NM} failed on ${LIBRARY}: ${err}")
endif()
string(REPLACE "\n" ";" lines "${symbols}")
set(exported)
foreach(line IN LISTS lines)
  # "0000000000012340 T wm_version" (the address is absent for some kinds)
  if(line MATCHES "([^ ]+)$")
    list(APPEND exported ${CMAKE_MATCH_1})
  endif()
endforeach()
list(SORT exported)

set(extra ${exported})
list(REMOVE_ITEM extra ${declared})
set(missing ${declared})
list(REMOVE_ITEM missing ${exported})
if(extra OR missing)
  message(FATAL_ERROR "check_exports: ${LIBRARY}\n  exported but not declared: ${extra}\n"
                      "  declared but not exported: ${missing}")
endif()
message(STATUS "check_exports: ${count} wm_ functions exported, nothing else")
