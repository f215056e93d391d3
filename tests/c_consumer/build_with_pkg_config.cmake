# Builds tests/c_consumer/main.c the way a C project without CMake would: the compiler and
# `pkg-config --cflags --libs wijkmatch` against an installed prefix, strict C11; then runs it.
#   cmake -DCC=<cc> -DPKG_CONFIG=<pkg-config> -DPREFIX=<install prefix> -DLIBDIR=<lib dir under it>
#         -DSOURCE=<main.c> -DBINARY_DIR=<dir> -DMODEL=<model.json> -P build_with_pkg_config.cmake
foreach(var CC PKG_CONFIG PREFIX LIBDIR SOURCE BINARY_DIR MODEL)
  if(NOT ${var})
    message(FATAL_ERROR "build_with_pkg_config: -D${var}= is required")
  endif()
endforeach()

# Only the scratch prefix: a wijkmatch.pc elsewhere on the machine must not be found instead.
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
set(ENV{PKG_CONFIG_LIBDIR} "${PREFIX}/${LIBDIR}/pkgconfig")

function(pkg_config out)
  execute_process(COMMAND ${PKG_CONFIG} ${ARGN} wijkmatch OUTPUT_VARIABLE text
                  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} wijkmatch failed: ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
pkg_config(flags --cflags --libs)
pkg_config(version --modversion)
pkg_config(libdir --variable=libdir)
separate_arguments(flags UNIX_COMMAND "${flags}")
message(STATUS "pkg-config --cflags --libs wijkmatch: ${flags}")

file(MAKE_DIRECTORY ${BINARY_DIR})
set(program ${BINARY_DIR}/c_consumer)
# An rpath, as the installed library has none and the prefix is not on the loader's path.
execute_process(COMMAND ${CC} -std=c11 -Wall -Wextra -Wpedantic -Werror ${SOURCE} ${flags}
                        -Wl,-rpath,${libdir} -o ${program}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build_with_pkg_config: compiling ${SOURCE} failed")
endif()
execute_process(COMMAND ${program} ${MODEL} ${version} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build_with_pkg_config: ${program} exited with ${rc}")
endif()
