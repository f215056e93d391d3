"""wijkmatch.plan_start_meetings: the same plan as the command line, keys in and out, errors,
and the GIL released while it runs."""
from __future__ import annotations

import datetime
import json
import os
import subprocess
import threading
import time

import pytest

import wijkmatch


def test_plan_matches_the_documented_json(example):
    plan = wijkmatch.plan_start_meetings(example, weeks=4, capacity=8)
    assert plan.coming == 32 and plan.optimal and plan.method == "exact"
    doc = plan.to_dict()
    assert doc == json.loads(plan.to_json())
    assert doc["coming"] == 32 and len(doc["meetings"]) == 4
    assert plan.meetings == doc["meetings"]
    keys = set(plan.invitees)
    for meeting in plan.meetings:
        assert len(meeting["invitees"]) <= 8
        assert set(meeting["invitees"]) <= keys
        assert len(meeting["presenters"]) <= 3
    assert {a["resident"] for a in plan.absent} | {r for m in plan.meetings for r in m["invitees"]} == keys
    assert plan.to_text().startswith("Start meetings: 32 of 42 invitees can come")
    assert "coming=32" in repr(plan)


def test_frame_has_one_row_per_invitee(example):
    plan = wijkmatch.plan_start_meetings(example, weeks=1, capacity=10, presenters=0)
    frame = plan.to_pandas()
    assert list(frame.columns) == ["resident", "week", "day", "day_part", "venue", "reason", "reachable"]
    assert len(frame) == len(plan.invitees)
    assert (frame["week"] > 0).sum() == plan.coming
    assert frame.loc[frame["week"] == 0, "reason"].notna().all()
    assert frame.loc[frame["week"] > 0, "reason"].isna().all()


def test_options_by_key_date_and_slots(example):
    plan = wijkmatch.plan_start_meetings(example, weeks=2, capacity=10, since=datetime.date(2026, 11, 1),
                                         residents=["R0001"], venues=["start-samen-welkom"],
                                         slots={"mon": ["afternoon", "evening"], "wed": ["morning"]})
    assert "R0001" in plan.invitees
    for meeting in plan.meetings:
        assert meeting["venue"] == "start-samen-welkom"
        assert (meeting["day"], meeting["day_part"]) in {("mon", "afternoon"), ("mon", "evening"), ("wed", "morning")}
    same = wijkmatch.plan_start_meetings(example, weeks=2, capacity=10, since="2026-11-01", residents=[0],
                                         venues=["start-samen-welkom"], slots=(1 << 1) | (1 << 2) | (1 << 6))
    assert same.to_dict() == plan.to_dict()


def test_same_plan_as_the_command_line(example, example_path):
    # The build tree holds the program next to the package's folder (build/wijkmatch, build/bindings).
    exe = os.path.join(os.path.dirname(wijkmatch.__file__), os.pardir, os.pardir, "wijkmatch")
    if not os.path.isfile(exe):
        pytest.skip("the wijkmatch program is not in the build tree")
    out = subprocess.run([exe, "plan-start-meetings", example_path, "--weeks", "3", "--capacity", "9",
                          "--per-week", "2", "--json"], check=True, capture_output=True, text=True).stdout
    plan = wijkmatch.plan_start_meetings(example, weeks=3, capacity=9, per_week=2)
    assert json.loads(out) == plan.to_dict()


def test_errors(example):
    with pytest.raises(ValueError):
        wijkmatch.plan_start_meetings(example, weeks=0)
    with pytest.raises(ValueError):
        wijkmatch.plan_start_meetings(example, since="2026-02-30")
    with pytest.raises(ValueError):
        wijkmatch.plan_start_meetings(example, method="best")
    with pytest.raises(KeyError):
        wijkmatch.plan_start_meetings(example, residents=["R9999"])
    with pytest.raises(IndexError):
        wijkmatch.plan_start_meetings(example, venues=[999])
    with pytest.raises(wijkmatch.Error):
        wijkmatch.plan_start_meetings(example, weeks=1, per_week=3, capacity=40, method="exact", exact_work_limit=1)


def test_releases_the_gil():
    # A quarter of a second of planning: another thread keeps ticking meanwhile only if the call
    # runs without the GIL.
    city = wijkmatch.generate(residents=20_000, seed=3)
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            stop.wait(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.01)
        start = time.perf_counter()
        plan = wijkmatch.plan_start_meetings(city, weeks=52, capacity=4, per_week=5, method="heuristic")
        end = time.perf_counter()
    finally:
        stop.set()
        counter.join()
    assert plan.coming > 0
    during = [t for t in ticks if start < t < end]
    assert len(during) >= 5
