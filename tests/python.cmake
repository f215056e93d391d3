# Python tests of the JSON Schemas: format v1 (schema/wijkmatch-model-v1.schema.json) against
# the loader, run by `wijkmatch validate`, and one event (schema/wijkmatch-events-v1.schema.json)
# against the live engine, run by `wijkmatch apply`. Included from tests/CMakeLists.txt. Uses
# Debian's /usr/bin/python3, which has pytest and python3-jsonschema; without it the test is left out.
# The cache provider and bytecode are off so that a run writes nothing into the source tree.
find_program(WIJKMATCH_SYSTEM_PYTHON /usr/bin/python3 NO_DEFAULT_PATH)
if(WIJKMATCH_SYSTEM_PYTHON)
  add_test(NAME python.schema
           COMMAND ${WIJKMATCH_SYSTEM_PYTHON} -m pytest -q -W error -p no:cacheprovider
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_schema.py ${CMAKE_CURRENT_SOURCE_DIR}/test_events_schema.py
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_hsds_schema.py
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(python.schema PROPERTIES
                       ENVIRONMENT "WIJKMATCH_CLI=$<TARGET_FILE:wijkmatch_exe>;PYTHONDONTWRITEBYTECODE=1"
                       LABELS python)
endif()
