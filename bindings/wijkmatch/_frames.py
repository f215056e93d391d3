"""Building a model from pandas frames or numpy arrays.

Tables are turned into a format v1 document and parsed by the C++ loader, so they get every
check a model file gets; problems point at ``/<table>/<row>/<field>`` with 0-based row
positions in the order the rows were given.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any, Dict, List, Mapping, Optional

import numpy as np
import pandas as pd

from . import _core

__all__ = ["from_frames", "schedule_to_dict", "schedule_from_dict"]

_DAYS = list(_core.DAYS)
_PARTS = list(_core.DAY_PARTS)

# Integer fields: floats with an integral value (as pandas makes of an int column with
# gaps) are written as integers.
_INTEGER_FIELDS = {
    "severity", "rent_arrears_months", "seats", "occupancy", "min_group_size", "waiting_days",
    "severity_min", "severity_max", "caseload_cap", "caseload",
}
_LIST_FIELDS = {"languages", "attends", "domains", "specialisms", "work_area", "age_bands"}
_SCHEDULE_FIELDS = {"availability", "schedule"}
_ELIGIBILITY_FIELDS = ("age_bands", "severity_min", "severity_max", "referral_required")


def schedule_to_dict(bits: int) -> Dict[str, List[str]]:
    """A 21-bit schedule mask (bit = 3 x day + day part, Monday morning = bit 0) as the
    format's ``{day: [day parts]}`` object."""
    bits = int(bits)
    out: Dict[str, List[str]] = {}
    for d, day in enumerate(_DAYS):
        parts = [p for k, p in enumerate(_PARTS) if bits >> (d * 3 + k) & 1]
        if parts:
            out[day] = parts
    return out


def schedule_from_dict(schedule: Mapping[str, Any]) -> int:
    """The format's ``{day: [day parts]}`` object as a 21-bit mask (see schedule_to_dict)."""
    bits = 0
    for day, parts in schedule.items():
        d = _DAYS.index(day)
        for part in parts:
            bits |= 1 << (d * 3 + _PARTS.index(part))
    return bits


def _table(obj: Any) -> pd.DataFrame:
    if obj is None:
        return pd.DataFrame()
    if isinstance(obj, pd.DataFrame):
        return obj
    return pd.DataFrame(obj)


def _missing(v: Any) -> bool:
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, np.generic) and v.dtype.kind in "fcmM":
        return bool(np.isnat(v) if v.dtype.kind in "mM" else np.isnan(v))
    return False


def _plain(v: Any) -> Any:
    """numpy scalars and arrays as plain Python values."""
    if isinstance(v, np.ndarray):
        return [_plain(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return v


def _field_value(field: str, v: Any) -> Any:
    v = _plain(v)
    if field in _SCHEDULE_FIELDS and isinstance(v, (int, float)) and not isinstance(v, bool):
        if float(v).is_integer():
            return schedule_to_dict(int(v))
    if field in _LIST_FIELDS and isinstance(v, str):
        return [x for x in v.replace(",", " ").split() if x]
    if field in _INTEGER_FIELDS and isinstance(v, float) and v.is_integer():
        return int(v)
    if field in ("since", "confirmed"):
        if isinstance(v, (pd.Timestamp, _dt.datetime)):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, _dt.date):
            return v.isoformat()
        if isinstance(v, int) and not isinstance(v, bool):  # numpy datetime64 .item() in ns
            return str(np.datetime64(v, "ns").astype("datetime64[D]"))
    return v


def _column_values(frame: pd.DataFrame, column: str) -> List[Any]:
    series = frame[column]
    if series.dtype.kind == "M":
        return [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in series]
    return series.tolist()


def _records(frame: pd.DataFrame, *, location: bool = False, fit: bool = False,
             eligibility: bool = False) -> List[Dict[str, Any]]:
    if frame.empty and len(frame.columns) == 0:
        return []
    columns = [str(c) for c in frame.columns]
    frame = frame.copy(deep=False)
    frame.columns = columns
    values = {c: _column_values(frame, c) for c in columns}
    fit_columns = [c for c in columns if fit and c.startswith("fit_")]
    eligibility_columns = [c for c in _ELIGIBILITY_FIELDS if eligibility and c in values]
    plain_columns = [c for c in columns if c not in fit_columns and c not in eligibility_columns
                     and not (location and c in ("x", "y"))]
    rows: List[Dict[str, Any]] = []
    for i in range(len(frame)):
        row: Dict[str, Any] = {}
        for c in plain_columns:
            v = values[c][i]
            if not _missing(v):
                row[c] = _field_value(c, v)
        if location and ("x" in values or "y" in values):
            loc = {}
            for axis in ("x", "y"):
                if axis in values and not _missing(values[axis][i]):
                    loc[axis] = _plain(values[axis][i])
            row["location"] = loc
        if fit_columns:
            domains = {}
            for c in fit_columns:
                v = _plain(values[c][i])
                if not _missing(v) and v != 0:
                    domains[c[4:]] = v
            row["domains"] = domains
        if eligibility_columns:
            el = {}
            for c in eligibility_columns:
                v = values[c][i]
                if not _missing(v):
                    el[c] = _field_value(c, v)
            row["eligibility"] = el
        rows.append(row)
    return rows


def _households_from_residents(residents: pd.DataFrame) -> List[Dict[str, Any]]:
    if residents.empty or "household" not in residents.columns:
        return []
    seen: Dict[Any, Any] = {}
    hood = residents["neighbourhood"].tolist() if "neighbourhood" in residents.columns else [None] * len(residents)
    for key, n in zip(residents["household"].tolist(), hood):
        if key not in seen:
            seen[key] = n
    return [{"key": k} if _missing(n) else {"key": k, "neighbourhood": n} for k, n in seen.items()]


def from_frames(households: Any = None, residents: Any = None, ties: Any = None, needs: Any = None,
                offers: Any = None, professionals: Any = None, *, max_problems: int = 100) -> "_core.Model":
    """Builds a model from tables: pandas DataFrames, dicts of numpy arrays or lists, or numpy
    structured arrays, one per entity kind, with the columns Model.frame() produces.

    Columns are the format v1 fields (docs/format.md), with these conveniences: ``x``/``y``
    for a location; ``fit_<domain>`` columns for an offer's domains (0 = not served);
    ``age_bands``/``severity_min``/``severity_max``/``referral_required`` for eligibility;
    schedules as 21-bit masks or ``{day: [parts]}`` dicts; lists as lists or comma/space
    separated strings; ``since`` (and an offer's ``confirmed``, NaT when never) as datetime64, date
    or ``YYYY-MM-DD``; the format v1.1 members
    (``organiser``, ``volunteers``, ``initiative``, ``hours_per_seat`` of offers, ``offers_help``
    of residents) as the document's values, dicts and lists of dicts. Missing values (None,
    NaN, NaT) leave a field out, so its default applies (or the loader reports it missing).
    ``households`` may be left out: they follow from the residents' household and
    neighbourhood. Unknown columns are reported like unknown fields.

    Raises InputError listing every problem, with pointers ``/<table>/<row>/<field>`` (row =
    0-based position in the table).
    """
    tables = {name: _table(t) for name, t in (
        ("households", households), ("residents", residents), ("ties", ties), ("needs", needs),
        ("offers", offers), ("professionals", professionals))}
    document = {
        "format": "wijkmatch-neighbourhood",
        "format_version": _core.model_format_version,
        "households": (_records(tables["households"]) if households is not None
                       else _households_from_residents(tables["residents"])),
        "residents": _records(tables["residents"], location=True),
        "ties": _records(tables["ties"]),
        "needs": _records(tables["needs"]),
        "offers": _records(tables["offers"], location=True, fit=True, eligibility=True),
        "professionals": _records(tables["professionals"]),
    }
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite_or_null(document))
    return _core.loads(text, max_problems=max_problems)


def _finite_or_null(v: Any) -> Any:
    """Infinite numbers as null, so that the loader names the field instead of failing to parse."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, list):
        return [_finite_or_null(x) for x in v]
    if isinstance(v, dict):
        return {k: _finite_or_null(x) for k, x in v.items()}
    return v
