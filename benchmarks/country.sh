#!/usr/bin/env bash
# The whole country, municipality by municipality: generate (17.9 million residents, 342
# municipalities, 8.2 open needs per 100 residents: about 1.5 million needs), rank every need,
# allocate every municipality. Each step runs under /usr/bin/time -v, which reports the wall
# time and the peak resident set (maximum RSS). See benchmarks/RESULTS.md.
#
#   benchmarks/country.sh [BUILD_DIR]          default BUILD_DIR: build
#
# Environment: WIJKMATCH_COUNTRY_DIR (default ${TMPDIR:-/tmp}/wijkmatch_country; about 3 GB),
# WIJKMATCH_COUNTRY_RESIDENTS (17900000), WIJKMATCH_COUNTRY_MUNICIPALITIES (342),
# WIJKMATCH_COUNTRY_NEEDS_PER_100 (8.2), WIJKMATCH_THREADS (2), WIJKMATCH_EXE (BUILD_DIR/wijkmatch),
# KEEP=1 keeps the files.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
dir=${WIJKMATCH_COUNTRY_DIR:-${TMPDIR:-/tmp}/wijkmatch_country}
residents=${WIJKMATCH_COUNTRY_RESIDENTS:-17900000}
municipalities=${WIJKMATCH_COUNTRY_MUNICIPALITIES:-342}
needs=${WIJKMATCH_COUNTRY_NEEDS_PER_100:-8.2}
threads=${WIJKMATCH_THREADS:-2}
exe=${WIJKMATCH_EXE:-$build/wijkmatch}  # the wijkmatch program

cmake --build "$build" -j2 --target wijkmatch_exe bench_ranking bench_allocation >/dev/null

# Runs a step under /usr/bin/time -v and prints its own output plus wall time and peak RSS.
step() {
  local name=$1
  shift
  local log
  log=$(mktemp)
  echo "== $name: $*"
  /usr/bin/time -v "$@" 2>"$log" || { cat "$log" >&2; rm -f "$log"; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {print "   wall time " $2} /Maximum resident set size/ {printf "   peak RSS %.0f MiB\n", $2 / 1024}' "$log"
  rm -f "$log"
}

rm -rf "$dir"
step generate "$exe" generate --residents "$residents" --seed 1 --municipalities "$municipalities" \
  --needs-per-100 "$needs" --format binary "$dir"
step rank "$build/benchmarks/bench_ranking" --country="$dir" --threads="$threads"
step allocate "$build/benchmarks/bench_allocation" --country="$dir" --threads="$threads"
if [[ ${KEEP:-0} != 1 ]]; then rm -rf "$dir"; fi
