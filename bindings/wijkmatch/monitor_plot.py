"""PNG plots of a wijkmatch monitor report (docs/monitoring.md).

Works on the report as JSON (``wijkmatch monitor --json`` or ``MonitorReport.to_dict()``), so
that the command line can run it through /usr/bin/python3 without the compiled module:

    python3 monitor_plot.py REPORT.json DIR

Only published cells are drawn; suppressed ones are left out (a gap), never filled in.
"""

import json
import os
import sys

LEVELS = ["own_network", "collective", "basic_care", "individual", "specialist"]


def _tables(report, figure, period=None):
    return [t for t in report["tables"] if t["figure"] == figure and (period is None or t["period"] == period)]


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _note(report):
    d = report["disclosure"]
    if d["raw"]:
        return "RAW figures (unsafe_raw)"
    return "counts rounded to %d, under %d suppressed; as of %s" % (d["rounding"], d["threshold"], report["as_of"])


def _save(fig, directory, name, written):
    path = os.path.join(directory, name)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    written.append(path)


def ladder_shares(report, directory, written):
    plt = _plt()
    (t,) = _tables(report, "support_by_level", "")
    rows = [i for i, r in enumerate(t["rows"]) if not r.startswith("BU")]
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 2))
    labels = [t["rows"][i] for i in rows]
    left = [0.0] * len(rows)
    for c, level in enumerate(LEVELS):
        shares = []
        for i in rows:
            total, v = t["values"][i][-1], t["values"][i][c]
            shares.append(v / total if (total and v is not None) else 0.0)
        ax.barh(labels, shares, left=left, label=level)
        left = [a + b for a, b in zip(left, shares)]
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of support (published cells only)")
    ax.set_title("Support by ladder level per district\n" + _note(report), fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    _save(fig, directory, "ladder_shares.png", written)
    plt.close(fig)


def _area_totals(report, figure, column):
    """Per period, the municipality values of `column` (None when suppressed)."""
    out = {}
    for t in _tables(report, figure):
        if not t["period"]:
            continue
        c = t["columns"].index(column)
        for i, r in enumerate(t["rows"]):
            if r.startswith("GM"):
                out.setdefault(r, {})[t["period"]] = t["values"][i][c]
    return out


def trends(report, directory, written):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4))
    periods = report["periods"]
    series = [("needs_opened", "total", "needs opened")]
    if report["with_journal"]:
        series += [("referral_steps", "started", "referrals started"), ("endings_by_reason", "total", "ended")]
    for figure, column, label in series:
        for area, by_period in _area_totals(report, figure, column).items():
            ys = [by_period.get(p) for p in periods]
            ax.plot(periods, [y if y is not None else float("nan") for y in ys], marker="o", label=f"{label} {area}")
    ax.set_ylabel("count per " + report["period"])
    ax.set_title("Trends\n" + _note(report), fontsize=9)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.legend(fontsize=7)
    _save(fig, directory, "trends.png", written)
    plt.close(fig)


def lead_times(report, directory, written):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4))
    periods = report["periods"]
    for column in ("need_to_proposal_median", "proposal_to_start_median", "need_to_start_median", "need_to_start_p90"):
        ys = []
        for p in periods:
            found = _tables(report, "lead_times", p)
            v = None
            if found:
                t = found[0]
                i = next((k for k, r in enumerate(t["rows"]) if r.startswith("GM")), None)
                v = t["values"][i][t["columns"].index(column)] if i is not None else None
            ys.append(v if v is not None else float("nan"))
        ax.plot(periods, ys, marker="o", label=column)
    ax.set_ylabel("days")
    title = "Lead times (municipality)" if report["with_journal"] else "Lead times need a journal (--journal)"
    ax.set_title(title + "\n" + _note(report), fontsize=9)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.legend(fontsize=7)
    _save(fig, directory, "lead_times.png", written)
    plt.close(fig)


def cost(report, directory, written):
    plt = _plt()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    (t,) = _tables(report, "cost_per_month_by_level", "")
    gm = [i for i, r in enumerate(t["rows"]) if r.startswith("GM")]
    for i in gm:
        vals = [v if v is not None else 0 for v in t["values"][i][: len(LEVELS)]]
        a1.bar(LEVELS, vals, label=t["rows"][i])
    a1.set_title("Cost per month by level (euro)", fontsize=9)
    a1.tick_params(axis="x", labelrotation=45, labelsize=7)
    medians = {level: [] for level in LEVELS}
    for tt in _tables(report, "cost_per_trajectory"):
        i = next((k for k, r in enumerate(tt["rows"]) if r.startswith("GM")), None)
        for level in LEVELS:
            v = tt["values"][i][tt["columns"].index(level + "_median")] if i is not None else None
            if v is not None:
                medians[level].append(v)
    a2.bar(LEVELS, [max(v) if v else 0 for v in medians.values()])
    a2.set_title(
        "Median cost per trajectory (euro, highest period)" if report["with_journal"] else "Cost per trajectory needs a journal",
        fontsize=9,
    )
    a2.tick_params(axis="x", labelrotation=45, labelsize=7)
    fig.suptitle(_note(report), fontsize=8)
    _save(fig, directory, "cost.png", written)
    plt.close(fig)


def equity(report, directory, written):
    plt = _plt()
    kinds = ["first_language", "age_band", "household_type"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    flagged = {(f["group_kind"], f["group"]) for f in report["equity_flags"] if f["figure"] == "share_served"}
    for ax, kind in zip(axes, kinds):
        (t,) = _tables(report, "needs_served_by_" + kind, "")
        labels, shares, colors = [], [], []
        for i, r in enumerate(t["rows"]):
            served, total = t["values"][i][0], t["values"][i][2]
            if served is None or not total:
                continue
            labels.append(r)
            shares.append(served / total)
            colors.append("tab:red" if (kind, r) in flagged else ("tab:grey" if r == "all" else "tab:blue"))
        ax.bar(labels, shares, color=colors)
        ax.set_ylim(0, 1)
        ax.set_title("share served by " + kind.replace("_", " "), fontsize=9)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    fig.suptitle("Equity (red: beyond the threshold against all)  " + _note(report), fontsize=8)
    _save(fig, directory, "equity.png", written)
    plt.close(fig)


def plot_report(report, directory):
    """Writes the PNGs for `report` (a dict) into `directory`; returns their paths."""
    os.makedirs(directory, exist_ok=True)
    written = []
    for draw in (ladder_shares, lead_times, cost, trends, equity):
        draw(report, directory, written)
    return written


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: monitor_plot.py REPORT.json DIR\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        report = json.load(f)
    for path in plot_report(report, argv[2]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
