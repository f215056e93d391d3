"""PNG plots of a wijkmatch simulation (docs/simulation.md).

Works on the result as JSON (``wijkmatch simulate --json`` or ``SimulationResult.to_dict()``),
so that the command line can run it through /usr/bin/python3 without the compiled module:

    python3 simulate_plot.py RESULT.json DIR

Bars are means over the replications, whiskers their 95% confidence intervals.
"""

import json
import os
import sys

LEVELS = ["own_network", "collective", "basic_care", "individual", "specialist"]
BANDS = [("sev1_2", "severity 1-2"), ("sev3", "severity 3"), ("sev4_5", "severity 4-5")]


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _estimate(result, policy_index, metric):
    e = result["summary"][policy_index]["metrics"][metric]
    if e["mean"] is None:
        return float("nan"), 0.0, 0.0
    return e["mean"], e["mean"] - e["low"], e["high"] - e["mean"]


def _bars(ax, result, metrics, labels, title, ylabel):
    policies = result["policies"]
    width = 0.8 / max(1, len(policies))
    for p, name in enumerate(policies):
        means, lo, hi = zip(*[_estimate(result, p, m) for m in metrics])
        xs = [i + p * width for i in range(len(metrics))]
        ax.bar(xs, means, width, yerr=[lo, hi], capsize=3, label=name)
    ax.set_xticks([i + width * (len(policies) - 1) / 2 for i in range(len(metrics))])
    ax.set_xticklabels(labels, rotation=20, ha="right")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)


def plot_result(result, directory):
    """Writes the plots into ``directory`` (created); returns the paths written."""
    os.makedirs(directory, exist_ok=True)
    plt = _plt()
    written = []
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    _bars(axes[0][0], result, ["share_" + l for l in LEVELS], LEVELS, "Ladder level of the first support", "share")
    _bars(
        axes[0][1],
        result,
        ["wait_median_weeks", "wait_p90_weeks", "wait_mean_weeks"],
        ["median", "p90", "mean"],
        "Waiting time, arrival to start",
        "weeks",
    )
    _bars(
        axes[1][0],
        result,
        [b + "_cost_per_trajectory" for b, _ in BANDS] + ["groups_open_cost_per_trajectory", "groups_full_cost_per_trajectory"],
        [label for _, label in BANDS] + ["groups open", "groups full"],
        "Cost per trajectory (within the horizon)",
        "euro",
    )
    _bars(
        axes[1][1],
        result,
        ["served_share"] + [b + "_served_share" for b, _ in BANDS],
        ["all"] + [label for _, label in BANDS],
        "Share of arriving needs served",
        "share",
    )
    fig.suptitle("wijkmatch simulate: %d weeks, mean and 95%% CI over replications" % result["weeks"])
    fig.tight_layout()
    path = os.path.join(directory, "simulation.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    written.append(path)
    fig, ax = plt.subplots(figsize=(8, 5))
    _bars(ax, result, ["cost_per_month"], ["all simulated needs"], "Cost per month", "euro")
    fig.tight_layout()
    path = os.path.join(directory, "cost_per_month.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    written.append(path)
    return written


def main(argv):
    if len(argv) != 3:
        print("usage: simulate_plot.py RESULT.json DIR", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        result = json.load(f)
    for path in plot_result(result, argv[2]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
