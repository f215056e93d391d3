#!/usr/bin/env bash
# Sets everything up and runs every test: a Release build with its full test suite, then the
# same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWIJKMATCH_SANITIZE=ON \
  -DWIJKMATCH_BUILD_BENCHMARKS=OFF -DWIJKMATCH_BUILD_PYTHON=OFF -DWIJKMATCH_INSTALL=OFF
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow
echo "all tests passed (Release and ASan+UBSan)"
