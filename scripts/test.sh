#!/usr/bin/env bash
# Sets everything up and runs every test: a Release build (GCC) with its full test suite, then
# the same tests under AddressSanitizer and UndefinedBehaviorSanitizer built by clang, which
# also builds the libFuzzer targets and runs each briefly on its seed corpus (docs/fuzzing.md).
# The Release stage also builds the benchmarks (no test runs them, but they must keep compiling:
# about 15 s on 2 cores); the sanitizer stage builds only what its tests run.
# A third stage runs the engine's concurrency tests under ThreadSanitizer.
# STAGE=release, STAGE=sanitize or STAGE=tsan runs one stage alone; each stage prints its time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
stage=${STAGE:-all}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

if [[ $stage == all || $stage == release ]]; then
  SECONDS=0
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" -DWIJKMATCH_BUILD_BENCHMARKS=ON
  cmake --build build -j"$jobs"
  ctest --test-dir build --output-on-failure -j"$jobs"
  echo "release stage: ${SECONDS}s"
fi

if [[ $stage == all || $stage == sanitize ]]; then
  SECONDS=0
  # A build directory configured by another compiler (older versions of this script used GCC)
  # cannot switch compilers in place.
  if [[ -f build-asan/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' build-asan/CMakeCache.txt; then
    rm -rf build-asan
  fi
  CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
    -DWIJKMATCH_SANITIZE=ON -DWIJKMATCH_BUILD_FUZZERS=ON \
    -DWIJKMATCH_BUILD_BENCHMARKS=OFF -DWIJKMATCH_BUILD_PYTHON=OFF -DWIJKMATCH_INSTALL=OFF
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow
  echo "sanitize stage: ${SECONDS}s"
fi
if [[ $stage == all || $stage == tsan ]]; then
  SECONDS=0
  # The live engine's contract (many threads rank while one applies events) under
  # ThreadSanitizer: only the test binary is built, and only the tests tagged [threads] run.
  CC=clang CXX=clang++ cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" -DWIJKMATCH_TSAN=ON \
    -DWIJKMATCH_BUILD_BENCHMARKS=OFF -DWIJKMATCH_BUILD_PYTHON=OFF -DWIJKMATCH_BUILD_EXAMPLES=OFF -DWIJKMATCH_INSTALL=OFF
  cmake --build build-tsan -j"$jobs" --target wijkmatch_tests
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build-tsan/tests/wijkmatch_tests "[threads]"
  echo "tsan stage: ${SECONDS}s"
fi
echo "all tests passed (Release, ASan+UBSan with the fuzz smoke, TSan on the engine's threads)"
