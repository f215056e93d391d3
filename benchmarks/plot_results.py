#!/usr/bin/python3
"""Plots time against size from the benchmark outputs (benchmarks/RESULTS.md):

    /usr/bin/python3 benchmarks/plot_results.py RESULTS_DIR [OUT.png]

RESULTS_DIR holds bench_allocation.json, bench_ranking.json, bench_generate_io.json (Google
Benchmark --benchmark_out files) and python_peers.json (benchmarks/python_peers.py --json); any
of them may be missing. OUT defaults to benchmarks/results_time_vs_size.png.
Left: min-cost flow on identical allocation networks, every solver. Right: the wijkmatch steps
on generated cities and regions.
"""
import json
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def seconds(b):
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
    return b["real_time"] * scale


def runs(doc):
    return [b for b in (doc or {}).get("benchmarks", []) if b.get("run_type", "iteration") == "iteration"]


def log_log(ax, xlabel, ylabel, title):
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)


def main():
    res = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "results_time_vs_size.png")
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))

    series = {}
    for b in runs(load(os.path.join(res, "bench_allocation.json"))):
        m = re.match(r"mcf/(\d+)/([a-z_]+)", b["name"])
        if m:
            series.setdefault(m.group(2), []).append((b["needs"], seconds(b)))
    for r in load(os.path.join(res, "python_peers.json")) or []:
        if "seconds" in r:
            series.setdefault(r["solver"], []).append((r["needs"], r["seconds"]))
    style = {"ours": dict(color="black", marker="o", linewidth=2.5)}
    for name, pts in sorted(series.items(), key=lambda kv: kv[0] != "ours"):
        pts.sort()
        left.plot([p[0] for p in pts], [p[1] for p in pts], label=name.replace("_", " "),
                  **style.get(name, dict(marker=".")))
    log_log(left, "open needs in the region (allocation network)", "solve time (s)",
            "Min-cost flow on identical allocation networks")

    steps = {}
    for b in runs(load(os.path.join(res, "bench_generate_io.json"))):
        name, _, n = b["name"].partition("/")
        if name in ("generate", "load_binary", "load_json", "compact_graph"):
            steps.setdefault(name.replace("_", " ") + " (residents)", []).append((b["residents"], seconds(b)))
    for b in runs(load(os.path.join(res, "bench_ranking.json"))):
        if b["name"].startswith("rank_all/") and "threads:1" in b["name"]:
            steps.setdefault("rank all needs, 1 thread (residents)", []).append(
                (int(b["name"].split("/")[1]), seconds(b)))
    for b in runs(load(os.path.join(res, "bench_allocation.json"))):
        if b["name"].startswith("allocate/"):
            steps.setdefault("allocate (needs)", []).append((b["needs"], seconds(b)))
    for name, pts in sorted(steps.items()):
        pts.sort()
        right.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=name)
    log_log(right, "size (residents, or open needs for allocate)", "time (s)",
            "wijkmatch on generated cities and regions")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print("wrote", out)


if __name__ == "__main__":
    main()
