"""wijkmatch.monitor(): monitoring figures with disclosure control (docs/monitoring.md)."""

from __future__ import annotations

import datetime as _dt
import json as _json
import warnings as _warnings
from typing import Any, Dict, List, Optional, Union

from . import _core


class MonitorReport:
    """A monitor report: tables of figures per area or group and period, after disclosure control.

    Suppressed cells are None. ``to_dict()`` is the JSON of ``wijkmatch monitor --json``.
    """

    def __init__(self, report: Dict[str, Any]):
        self._report = report

    def to_dict(self) -> Dict[str, Any]:
        """The whole report as a dict (the documented JSON)."""
        return self._report

    @property
    def raw(self) -> bool:
        """True when made with unsafe_raw: nothing rounded or suppressed."""
        return bool(self._report["disclosure"]["raw"])

    @property
    def tables(self) -> List[Dict[str, Any]]:
        """The tables as dicts: figure, period, row_kind, unit, has_total, rows, columns, values, status."""
        return self._report["tables"]

    @property
    def equity_flags(self) -> List[Dict[str, Any]]:
        """Groups and areas whose figure differs from the overall one beyond the threshold."""
        return self._report["equity_flags"]

    @property
    def trends(self) -> List[Dict[str, Any]]:
        """Published totals of districts and municipalities against the previous period."""
        return self._report["trends"]

    @property
    def needs_journal(self) -> List[Dict[str, Any]]:
        """Figures not computed because they need the engine's referrals (a journal)."""
        return self._report["needs_journal"]

    def table(self, figure: str, period: str = "") -> Dict[str, Any]:
        """One table by figure name and period ("" for the stocks as of the reference date)."""
        for t in self.tables:
            if t["figure"] == figure and t["period"] == period:
                return t
        raise KeyError((figure, period))

    def records(self) -> List[Dict[str, Any]]:
        """One dict per cell: figure, period, row_kind, row, column, unit, value (None when
        suppressed) and status."""
        out = []
        for t in self.tables:
            for i, row in enumerate(t["rows"]):
                for j, column in enumerate(t["columns"]):
                    out.append(
                        {
                            "figure": t["figure"],
                            "period": t["period"],
                            "row_kind": t["row_kind"],
                            "row": row,
                            "column": column,
                            "unit": t["unit"],
                            "value": t["values"][i][j],
                            "status": t["status"][i][j],
                        }
                    )
        return out

    def to_frame(self):
        """The cells as a pandas DataFrame (one row per cell, as records()); the list of
        dicts when pandas is not installed (Debian: python3-pandas)."""
        try:
            import pandas as pd
        except ImportError:
            return self.records()
        return pd.DataFrame.from_records(
            self.records(), columns=["figure", "period", "row_kind", "row", "column", "unit", "value", "status"]
        )

    def plot(self, directory: str) -> List[str]:
        """Writes PNG plots (ladder shares per district, lead times, cost, trends, equity) into
        `directory` with matplotlib (Debian: python3-matplotlib); returns their paths."""
        from .monitor_plot import plot_report

        return plot_report(self._report, str(directory))

    def __repr__(self) -> str:
        """A short description: reference date and number of tables."""
        return "<wijkmatch.MonitorReport as_of=%s tables=%d%s>" % (
            self._report["as_of"],
            len(self.tables),
            " RAW" if self.raw else "",
        )


def monitor(
    source: Any,
    *,
    period: str = "month",
    level: str = "bu",
    periods: int = 12,
    as_of: Optional[Union[_dt.date, str]] = None,
    threshold: int = 5,
    rounding: int = 5,
    min_cases: int = 10,
    unsafe_raw: bool = False,
    equity_share_gap: float = 0.10,
    equity_lead_time_gap: float = 0.25,
) -> MonitorReport:
    """Monitoring figures over a wijkmatch.Model, or a wijkmatch.Engine (its referrals add
    referral outcomes, lead times and cost per trajectory). Counts are rounded to multiples of
    `rounding`, counts under `threshold` suppressed with secondary suppression, statistics
    need `min_cases` cases; `unsafe_raw=True` gives raw figures and warns."""
    if isinstance(as_of, str):
        as_of = _dt.date.fromisoformat(as_of)
    options = dict(
        period=period,
        level=level,
        periods=periods,
        as_of=as_of,
        threshold=threshold,
        rounding=rounding,
        min_cases=min_cases,
        unsafe_raw=unsafe_raw,
        equity_share_gap=equity_share_gap,
        equity_lead_time_gap=equity_lead_time_gap,
    )
    if unsafe_raw:
        _warnings.warn(
            "unsafe_raw: raw figures without rounding or suppression; small counts can identify households",
            UserWarning,
            stacklevel=2,
        )
    if hasattr(source, "_monitor_json"):
        text = source._monitor_json(options)
    else:
        text = _core._monitor_json(source, options)
    return MonitorReport(_json.loads(text))
