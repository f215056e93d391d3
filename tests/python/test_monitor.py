"""wijkmatch.monitor(): figures with disclosure control, frames and PNG plots."""
from __future__ import annotations

import os
import warnings

import pytest

import wijkmatch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DAY = os.path.join(ROOT, "examples", "data", "front_desk_day.jsonl")


def _day_engine(example):
    engine = wijkmatch.Engine(example)
    with open(DAY, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                engine.apply(line)
    return engine


def test_protected_report_rounds_and_suppresses(example):
    report = wijkmatch.monitor(example)
    assert not report.raw
    t = report.table("open_needs_by_severity")
    for row_values, row_status in zip(t["values"], t["status"]):
        for v, s in zip(row_values, row_status):
            if s == "published":
                assert v % 5 == 0
            else:
                assert v is None
    raw_t = None
    with pytest.warns(UserWarning, match="unsafe_raw"):
        raw_t = wijkmatch.monitor(example, unsafe_raw=True).table("open_needs_by_severity")
    # Every small raw count is hidden in the protected report.
    for i, row in enumerate(raw_t["values"]):
        for j, v in enumerate(row):
            if 0 < v < 5:
                assert t["status"][i][j] != "published"
    # Referral figures are named, not invented, without the engine.
    assert any(n["figure"] == "lead_times" for n in report.needs_journal)


def test_engine_report_has_referral_figures(example):
    engine = _day_engine(example)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = wijkmatch.monitor(engine, unsafe_raw=True)
    steps = raw.table("referral_steps", "2026-11")
    gm = steps["rows"].index("GM0344")
    started = steps["values"][gm][steps["columns"].index("started")]
    assert started >= 1
    assert raw.needs_journal == []
    endings = raw.table("endings_by_reason", "2026-11")
    assert endings["values"][gm][endings["columns"].index("32_step_down_to_collective")] >= 1
    protected = wijkmatch.monitor(engine, period="week", level="wk")
    assert protected.to_dict()["period"] == "week"
    assert all(not r.startswith("BU") for r in protected.table("needs_served")["rows"])


def test_to_frame_and_records(example):
    report = wijkmatch.monitor(example, threshold=3, rounding=1)
    frame = report.to_frame()
    records = report.records()
    assert len(frame) == len(records)
    assert list(frame.columns) == ["figure", "period", "row_kind", "row", "column", "unit", "value", "status"]
    assert set(frame["status"]) <= {"published", "primary", "secondary", "too_few_cases", "not_available"}
    with pytest.raises(TypeError):
        wijkmatch.monitor(example, colour="red")
    with pytest.raises(ValueError):
        wijkmatch.monitor(example, period="year")


def test_plot_writes_pngs(example, tmp_path):
    pytest.importorskip("matplotlib")
    engine = _day_engine(example)
    paths = wijkmatch.monitor(engine).plot(tmp_path)
    names = sorted(os.path.basename(p) for p in paths)
    assert names == ["cost.png", "equity.png", "ladder_shares.png", "lead_times.png", "trends.png"]
    for p in paths:
        with open(p, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
