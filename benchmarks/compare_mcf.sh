#!/usr/bin/env bash
# Builds a Release tree, runs bench_min_cost_flow (MinCostFlow against LEMON and Boost on the
# same networks, in one run) and prints, per instance, the time ratio ours / peer: below 1 means
# ours is faster. Extra arguments go to the benchmark (e.g. --benchmark_filter=alloc).
# Environment: WIJKMATCH_BENCH_BUILD (build folder, default build-bench), JOBS (default 2),
# WIJKMATCH_BENCH_MAX_NEEDS (largest allocation network, default 100000; e.g. 1000000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WIJKMATCH_BENCH_BUILD:-$root/build-bench}"
jobs="${JOBS:-2}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWIJKMATCH_BUILD_BENCHMARKS=ON \
  -DWIJKMATCH_BUILD_TESTS=OFF -DWIJKMATCH_BUILD_PYTHON=OFF -DWIJKMATCH_BUILD_EXAMPLES=OFF \
  -DWIJKMATCH_INSTALL=OFF >/dev/null
cmake --build "$build" --target bench_min_cost_flow -j "$jobs"

out="$build/bench_min_cost_flow.json"
"$build/benchmarks/bench_min_cost_flow" --benchmark_out="$out" --benchmark_out_format=json "$@"

python3 - "$out" <<'PY'
import json, sys
from collections import OrderedDict

runs = json.load(open(sys.argv[1]))["benchmarks"]
table = OrderedDict()
errors = []
for r in runs:
    instance, solver = r["run_name"].split("/")[:2]
    if r.get("error_occurred"):
        errors.append(f'{instance}/{solver}: {r.get("error_message", "")}')
        continue
    table.setdefault(instance, {})[solver] = (r["real_time"], r["cpu_time"], r["time_unit"])

print()
print(f'{"instance":<22} {"peer":<24} {"ours ms":>10} {"peer ms":>10} {"ours/peer":>10}  (cpu time)')
for instance, solvers in table.items():
    if "ours" not in solvers:
        continue
    unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
    ours = solvers["ours"][1] * unit[solvers["ours"][2]]
    # ours_network_simplex / ours_cost_scaling are our algorithms forced, not peers
    peers = [(name, t[1] * unit[t[2]]) for name, t in solvers.items() if not name.startswith("ours")]
    for name, peer in sorted(peers, key=lambda p: p[1]):
        print(f"{instance:<22} {name:<24} {ours:>10.2f} {peer:>10.2f} {ours / peer:>10.3f}")
    if peers:
        best = min(peers, key=lambda p: p[1])
        print(f"{instance:<22} {'=> best peer: ' + best[0]:<24} {'':>10} {'':>10} {ours / best[1]:>10.3f}"
              f"  ({best[1] / ours:.1f}x)")
if errors:
    print("\nerrors (solvers disagree or failed):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
PY
