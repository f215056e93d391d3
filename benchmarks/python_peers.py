#!/usr/bin/python3
"""Python peers on wijkmatch's allocation networks: networkx.network_simplex and
scipy.optimize.linear_sum_assignment (with every seat expanded into its own column).

    build/benchmarks/bench_allocation --export-dimacs=/tmp/wijkmatch_peers
    /usr/bin/python3 benchmarks/python_peers.py /tmp/wijkmatch_peers [--timeout 600] [--json OUT]

Each DIMACS file alloc_<N>.min carries, in its comment line, the optimal cost and our median
solve time (measured by the exporter, in the same way as bench_allocation's mcf benchmarks:
solve() only, the network built beforehand). Here every peer solves the same network in a child
process with a time limit; only the solver call is timed (graph or matrix construction is
reported apart), and its optimal cost must equal ours. A peer that runs out of time or would
need more than --max-gb of memory is reported as not finished.
Needs the Debian packages python3-networkx and python3-scipy (scripts/setup.sh).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import time


def read_dimacs(path):
    supply, arcs, comment = {}, [], ""
    nodes = 0
    with open(path) as f:
        for line in f:
            if line.startswith("c"):
                comment += line[1:].strip() + " "
            elif line.startswith("p"):
                nodes = int(line.split()[2])
            elif line.startswith("n"):
                _, v, b = line.split()
                supply[int(v)] = int(b)
            elif line.startswith("a"):
                _, u, v, lo, hi, c = line.split()
                arcs.append((int(u), int(v), int(lo), int(hi), int(c)))
    m = re.search(r"optimal cost (-?\d+); ours solve seconds ([0-9.e-]+)", comment)
    return nodes, supply, arcs, (int(m.group(1)), float(m.group(2))) if m else (None, None)


def solve_networkx(nodes, supply, arcs):
    import networkx as nx
    t0 = time.perf_counter()
    g = nx.MultiDiGraph()
    for v in range(1, nodes + 1):
        g.add_node(v, demand=-supply.get(v, 0))
    for (u, v, lo, hi, c) in arcs:
        if lo != 0:
            raise ValueError("lower bounds are not supported here")
        g.add_edge(u, v, capacity=hi, weight=c)
    t1 = time.perf_counter()
    cost, _ = nx.network_simplex(g)
    t2 = time.perf_counter()
    return cost, t2 - t1, t1 - t0


def solve_assignment(nodes, supply, arcs, max_gb):
    """Needs (supply 1) x columns: every seat of every resource node, and one private
    'unserved' column per need. Only for the allocation shape: supply-1 nodes whose arcs go to
    resource nodes or to the sink, resource nodes whose only arc goes to the sink."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    t0 = time.perf_counter()
    sink = [v for v, b in supply.items() if b < 0]
    if len(sink) != 1:
        raise ValueError("not an allocation network (one sink expected)")
    sink = sink[0]
    needs = sorted(v for v, b in supply.items() if b > 0)
    if any(supply[v] != 1 for v in needs):
        raise ValueError("not an allocation network (unit supplies expected)")
    need_row = {v: i for i, v in enumerate(needs)}
    seats, to_resource, unserved = {}, {}, {}
    for (u, v, lo, hi, c) in arcs:
        if lo != 0:
            raise ValueError("lower bounds are not supported here")
        if u in need_row and v == sink:
            unserved[u] = min(c, unserved.get(u, c))
        elif u in need_row:
            key = (u, v)
            to_resource[key] = min(c, to_resource.get(key, c))
        elif v == sink:
            if c != 0:
                raise ValueError("not an allocation network (costly resource arc)")
            seats[u] = seats.get(u, 0) + hi
        else:
            raise ValueError("not an allocation network")
    if len(unserved) != len(needs):
        raise ValueError("not an allocation network (a need without an unserved arc)")
    # A resource can use at most as many seats as it has candidate needs.
    wanting = {}
    for (u, v) in to_resource:
        wanting[v] = wanting.get(v, 0) + 1
    columns = {r: min(s, wanting.get(r, 0)) for r, s in seats.items()}
    n_cols = sum(columns.values()) + len(needs)
    gb = len(needs) * n_cols * 8 / 1e9
    if gb > max_gb:
        raise MemoryError("the %d x %d cost matrix would need %.1f GB" % (len(needs), n_cols, gb))
    big = 10 ** 9
    cost = np.full((len(needs), n_cols), big, dtype=np.float64)
    first, at = {}, 0
    for r in sorted(columns):
        first[r] = at
        at += columns[r]
    for (u, r), c in to_resource.items():
        if columns.get(r, 0) > 0:
            cost[need_row[u], first[r]:first[r] + columns[r]] = c
    for u, c in unserved.items():
        cost[need_row[u], at + need_row[u]] = c
    t1 = time.perf_counter()
    rows, cols = linear_sum_assignment(cost)
    t2 = time.perf_counter()
    total = cost[rows, cols].sum()
    if total >= big:
        raise ValueError("infeasible assignment")
    return int(round(total)), t2 - t1, t1 - t0


def run_one(path, solver, max_gb):
    nodes, supply, arcs, _ = read_dimacs(path)
    if solver == "networkx_network_simplex":
        cost, seconds, build = solve_networkx(nodes, supply, arcs)
    else:
        cost, seconds, build = solve_assignment(nodes, supply, arcs, max_gb)
    print(json.dumps({"cost": cost, "seconds": seconds, "build_seconds": build}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--max-gb", type=float, default=6.0)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--one", nargs=2, metavar=("FILE", "SOLVER"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        run_one(args.one[0], args.one[1], args.max_gb)
        return
    files = sorted(glob.glob(os.path.join(args.dir, "alloc_*.min")),
                   key=lambda p: int(re.search(r"alloc_(\d+)", p).group(1)))
    if not files:
        sys.exit("no alloc_*.min in %s (run bench_allocation --export-dimacs=%s)" % (args.dir, args.dir))
    import networkx
    import scipy
    print("networkx %s, scipy %s, Python %s" % (networkx.__version__, scipy.__version__, sys.version.split()[0]))
    print("%-8s %7s %8s %10s %10s | %-26s %10s %8s %s" % ("needs", "nodes", "arcs", "cost", "ours ms", "peer", "peer ms",
                                                          "ratio", "status"))
    results = []
    for path in files:
        region = int(re.search(r"alloc_(\d+)", path).group(1))
        nodes, supply, arcs, (our_cost, our_seconds) = read_dimacs(path)
        needs = sum(1 for b in supply.values() if b > 0)  # open needs (unit supplies)
        for solver in ("networkx_network_simplex", "scipy_linear_sum_assignment"):
            entry = {"region": region, "needs": needs, "nodes": nodes, "arcs": len(arcs), "solver": solver, "ours_seconds": our_seconds,
                     "ours_cost": our_cost}
            try:
                out = subprocess.run([sys.executable, os.path.abspath(__file__), args.dir, "--max-gb", str(args.max_gb),
                                      "--one", path, solver], capture_output=True, text=True, timeout=args.timeout)
                if out.returncode != 0:
                    last = (out.stderr.strip().splitlines() or ["failed"])[-1]
                    entry["status"] = "not finished: " + last[:80]
                else:
                    r = json.loads(out.stdout)
                    entry.update(r)
                    entry["status"] = "same optimal cost" if r["cost"] == our_cost else "COST DIFFERS: %s" % r["cost"]
                    entry["ratio"] = r["seconds"] / our_seconds
            except subprocess.TimeoutExpired:
                entry["status"] = "not finished in %.0f s" % args.timeout
            results.append(entry)
            print("%-8d %7d %8d %10s %10.2f | %-26s %10s %8s %s" % (
                needs, nodes, len(arcs), our_cost, our_seconds * 1e3, solver,
                "%.1f" % (entry["seconds"] * 1e3) if "seconds" in entry else "-",
                "%.0fx" % entry["ratio"] if "ratio" in entry else "-", entry["status"]), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
