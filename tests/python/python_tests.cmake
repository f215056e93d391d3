# Python tests of the wijkmatch package (bindings/): pytest on tests/python, importing the
# package from the build tree (${PROJECT_BINARY_DIR}/bindings, where bindings/CMakeLists.txt
# puts the compiled module next to a copy of the Python files). Included from
# tests/CMakeLists.txt. The interpreter is the one the module is built for: Python_EXECUTABLE
# when set, else Debian's /usr/bin/python3 (with numpy, pandas, pytest, dask, distributed).
# The cache provider and bytecode are off so that a run writes nothing into the source tree;
# the Dask test starts a 2-worker LocalCluster of worker processes.
if(WIJKMATCH_BUILD_PYTHON AND EXISTS ${PROJECT_SOURCE_DIR}/bindings/CMakeLists.txt)
  if(Python_EXECUTABLE)
    set(_wijkmatch_test_python ${Python_EXECUTABLE})
  else()
    set(_wijkmatch_test_python /usr/bin/python3)
  endif()
  add_test(NAME python.bindings
           COMMAND ${_wijkmatch_test_python} -m pytest -q -p no:cacheprovider
                   ${CMAKE_CURRENT_LIST_DIR}
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(python.bindings PROPERTIES
                       ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/bindings;PYTHONDONTWRITEBYTECODE=1;WIJKMATCH_EXE=$<TARGET_FILE:wijkmatch_exe>"
                       LABELS python
                       TIMEOUT 300)
endif()
