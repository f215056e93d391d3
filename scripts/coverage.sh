#!/usr/bin/env bash
# Line and branch coverage of src/ by the C++ tests and the command-line tests (docs/testing.md).
# Builds with GCC's --coverage in its own directory (default build-coverage), runs the tests that
# exercise the library and the program (not the Python ones, which load another build of it),
# then reports with gcovr: a per-file table, the totals, and every error site (a throw or a
# reported problem) that no test reached. Usage: scripts/coverage.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-coverage}
jobs=$(nproc 2>/dev/null || echo 2)
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

# -O0 keeps line counts exact (inlining would credit lines to their callers); atomic counter
# updates keep them exact under the threads of rank_all and allocate (racing updates once gave
# gcov negative branch counts, which gcovr cannot parse).
CXX=g++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="--coverage -O0 -fprofile-update=atomic" -DCMAKE_EXE_LINKER_FLAGS=--coverage \
  -DWIJKMATCH_BUILD_BENCHMARKS=OFF -DWIJKMATCH_BUILD_PYTHON=OFF -DWIJKMATCH_BUILD_EXAMPLES=OFF \
  -DWIJKMATCH_INSTALL=OFF -DWIJKMATCH_BUILD_FUZZERS=OFF
cmake --build "$build" -j"$jobs" --target wijkmatch_tests wijkmatch_exe wijkmatch_c test_c_api
find "$build" -name '*.gcda' -delete
# A failing test still leaves its counts: report them, then exit with the tests' status.
status=0
ctest --test-dir "$build" --output-on-failure -j"$jobs" -LE 'slow|python' -E '^package\.' || status=$?

# Branches the compiler adds for exception unwinding are not decisions of ours: left out.
gcovr --root . --object-directory "$build" --filter 'src/' --exclude-throw-branches \
  --json "$build/coverage.json" --txt "$build/coverage.txt" --print-summary | tee "$build/summary.txt"
gcovr --root . --object-directory "$build" --filter 'src/' --exclude-throw-branches --branches \
  --txt "$build/coverage-branches.txt" >/dev/null
echo
echo "lines per file ($build/coverage.txt):"
cat "$build/coverage.txt"
echo
python3 scripts/unreached_errors.py "$build/coverage.json"
exit "$status"
