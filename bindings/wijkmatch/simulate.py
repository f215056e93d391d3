"""wijkmatch.simulate(): what-if simulation of policies on the live engine (docs/simulation.md)."""

from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _core

PolicyArg = Union[str, "os.PathLike[str]", Any, Tuple[str, Any]]


def _named_policy(p: Any) -> Tuple[str, str]:
    """(name, policy JSON) from a path, a Policy, or a (name, path-or-Policy) pair."""
    if isinstance(p, tuple):
        name, policy = p
        return str(name), _named_policy(policy)[1]
    if isinstance(p, _core.Policy):
        return "policy", p.to_json(-1)
    if isinstance(p, (str, _os.PathLike)):
        path = _os.fspath(p)
        return _os.path.splitext(_os.path.basename(path))[0], _core.Policy.load(path).to_json(-1)
    raise TypeError("a policy must be a path, a wijkmatch.Policy or a (name, policy) pair")


def _policies(policies: Optional[Sequence[PolicyArg]]) -> List[Tuple[str, str]]:
    if not policies:
        return [("collective-first", _core.Policy().to_json(-1))]
    out: List[Tuple[str, str]] = []
    for p in policies:
        name, text = _named_policy(p)
        names = [n for n, _ in out]
        if name in names:
            name = "%s-%d" % (name, len(out) + 1)
        out.append((name, text))
    return out


class SimulationResult:
    """Replications of each policy and their summary (mean, 95% confidence interval).

    ``to_dict()`` is the JSON of ``wijkmatch simulate --json``.
    """

    def __init__(self, result: Dict[str, Any]):
        self._result = result

    def to_dict(self) -> Dict[str, Any]:
        """The whole result as a dict (the documented JSON)."""
        return self._result

    @property
    def policies(self) -> List[str]:
        """The policy names, in the order given."""
        return list(self._result["policies"])

    @property
    def metrics(self) -> List[str]:
        """The metric names (docs/simulation.md defines each)."""
        return list(self._result["metrics"])

    def estimate(self, policy: str, metric: str) -> Dict[str, Any]:
        """Mean, low, high (95% CI) and n of one metric for one policy; None where no cases."""
        i = self.policies.index(policy)
        return self._result["summary"][i]["metrics"][metric]

    def to_frame(self):
        """The summary as a pandas DataFrame: one row per (policy, metric) with mean, low,
        high and n."""
        import pandas as pd

        rows = []
        for s in self._result["summary"]:
            for metric, e in s["metrics"].items():
                rows.append({"policy": s["policy"], "metric": metric, "mean": e["mean"], "low": e["low"],
                             "high": e["high"], "n": e["n"]})
        return pd.DataFrame(rows, columns=["policy", "metric", "mean", "low", "high", "n"])

    def replications_frame(self):
        """Every replication as a pandas DataFrame: policy, replication, events and one column per metric."""
        import pandas as pd

        rows = []
        for r in self._result["replications"]:
            row = {"policy": r["policy"], "replication": r["replication"], "events": r["events"]}
            row.update(dict(zip(self.metrics, r["values"])))
            rows.append(row)
        return pd.DataFrame(rows)

    def plot(self, path: Union[str, "os.PathLike[str]"]) -> List[str]:
        """Writes PNG plots (ladder shares, waiting time, cost per trajectory by severity band
        and groups-full weeks, share served) into the directory ``path``; returns the files."""
        from .simulate_plot import plot_result

        return plot_result(self._result, _os.fspath(path))

    def __repr__(self) -> str:
        return "SimulationResult(policies=%r, replications=%d)" % (self.policies, len(self._result["replications"]))


def simulate(model: Any, policies: Optional[Sequence[PolicyArg]] = None, *, weeks: int = 52,
             replications: int = 10, seed: int = 1, threads: int = 0, client: Any = None,
             workdir: Optional[str] = None, **options: Any) -> SimulationResult:
    """Simulates each policy for ``replications`` replications of ``weeks`` weeks.

    ``policies``: paths of policy files (named after the file), ``wijkmatch.Policy`` objects or
    ``(name, policy)`` pairs; default the built-in collective-first policy. Further options
    (``accept_probability`` and ``mean_duration_weeks`` and ``step_down_share`` as dicts by ladder
    level, ``mean_spell_weeks``, ``arrival_scale``, ``arrival_rates`` as a dict
    ``{(life_domain, severity): arrivals per week}`` instead of the model's stock, ``volunteer_leave_per_week``,
    ``volunteer_join_per_week``, ``groups_full_threshold``, ``check_invariants``) are those of
    docs/simulation.md. Replications run on ``threads`` threads, or, with a
    ``distributed.Client`` as ``client``, as Dask tasks (``wijkmatch.distributed.simulate_replications``);
    the result is the same either way.
    """
    named = _policies(policies)
    opts = dict(options, weeks=weeks, replications=replications, seed=seed, threads=threads)
    if client is None:
        return SimulationResult(_json.loads(_core._simulate_json(model, named, opts)))
    from .distributed import simulate_replications

    reps = simulate_replications(model, named, opts, client=client, workdir=workdir)
    return SimulationResult(_json.loads(_core._simulate_summary_json([n for n, _ in named], reps, weeks)))


def simulate_monitor(model: Any, policy: Optional[PolicyArg] = None, *, replication: int = 0, weeks: int = 52,
                     replications: Optional[int] = None, seed: int = 1, monitor: Optional[Dict[str, Any]] = None,
                     **options: Any):
    """The monitor report (wijkmatch.MonitorReport, disclosure control applied) of one
    replication of one policy: the figures a team lead would see of the simulated weeks.
    ``monitor`` holds wijkmatch.monitor's options (period, level, periods, threshold, rounding,
    min_cases, unsafe_raw, ...); the replication equals that of wijkmatch.simulate with the same
    seed and options."""
    from .monitor import MonitorReport

    named = _policies([policy] if policy is not None else None)
    opts = dict(options, weeks=weeks, replications=replications if replications is not None else replication + 1,
                seed=seed)
    mo = dict(monitor or {})
    if mo.get("unsafe_raw"):
        import warnings

        warnings.warn("unsafe_raw: raw figures without rounding or suppression; small counts can identify households",
                      UserWarning, stacklevel=2)
    return MonitorReport(_json.loads(_core._simulate_monitor_json(model, named, opts, 0, replication, mo)))
