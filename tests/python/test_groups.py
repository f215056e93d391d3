"""New groups where needs recur (wijkmatch.propose_groups): the JSON shape, its agreement with
the command line, the GIL released during the work, and options out of range."""
from __future__ import annotations

import json
import subprocess
import threading
import time

import pytest

import wijkmatch


def test_propose_groups_on_generated_city():
    model = wijkmatch.generate(residents=20_000, seed=7, needs_per_100=8.0, offers_per_1000=1.0)
    proposals = wijkmatch.propose_groups(model)
    d = proposals.to_dict()
    assert d["open_needs"] == proposals.open_needs > 0
    assert d["unanswered_needs"] == proposals.unanswered_needs
    assert len(proposals) == len(d["groups"]) > 0
    assert proposals.saved_ladder_steps == d["ladder_steps_before"] - d["ladder_steps_after"]
    for g in proposals.groups:
        assert 6 <= g["size"] == len(g["needs"]) <= 15
        assert g["domain"] in wijkmatch.LIFE_DOMAINS
        assert g["day_part"] in wijkmatch.DAY_PARTS
        assert len(g["language"]) == 2
    assert json.loads(proposals.to_json()) == d
    assert "new group" in proposals.to_text()
    # Deterministic, and the same for any thread count.
    assert wijkmatch.propose_groups(model, threads=1).to_dict() == d


def test_unmeasured_and_bigger_minimum(example):
    # With the defaults the example's six newcomers with questions about money are one group;
    # with a minimum of 2 and a wider radius, a pair with a mental-health question is another.
    p = wijkmatch.propose_groups(example, measure=False)
    assert p.saved_ladder_steps is None
    assert len(p) == 1 and p.groups[0]["domain"] == "finances" and p.groups[0]["size"] >= 6
    assert {"N041", "N042", "N043", "N044", "N045", "N046"} <= set(p.groups[0]["needs"])
    p = wijkmatch.propose_groups(example, min_size=2, radius_m=3000, measure=False)
    assert len(p) == 2 and sorted(g["size"] for g in p.groups)[0] == 2
    assert "saved_ladder_steps" not in p.to_dict()


def test_same_as_command_line(example, example_path, tmp_path):
    import os

    exe = os.environ.get("WIJKMATCH_EXE")
    if not exe:
        pytest.skip("WIJKMATCH_EXE not set")
    out = subprocess.run([exe, "propose-groups", example_path, "--min-size", "2", "--radius", "3000", "--json"], check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out) == wijkmatch.propose_groups(example, min_size=2, radius_m=3000).to_dict()


def test_gil_released_while_proposing():
    model = wijkmatch.generate(residents=40_000, seed=3, needs_per_100=8.0, offers_per_1000=1.0)
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        wijkmatch.propose_groups(model)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 5


@pytest.mark.parametrize("kwargs", [dict(min_size=1), dict(min_size=8, max_size=7), dict(radius_m=0.0),
                                    dict(max_helpers=-1)])
def test_options_out_of_range(example, kwargs):
    with pytest.raises(ValueError):
        wijkmatch.propose_groups(example, **kwargs)
