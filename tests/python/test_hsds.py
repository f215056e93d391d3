"""wijkmatch.import_hsds and wijkmatch.export_hsds (docs/hsds.md)."""
from __future__ import annotations

import os

import pytest

import wijkmatch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data", "hsds")
MAPPING = os.path.join(DATA, "mapping.json")
AMSTERDAM = os.path.join(ROOT, "..", "shared", "data", "offers", "amsterdam_armoede_aanbod.json")


def test_import_reports_offers_unmapped_and_warnings():
    r = wijkmatch.import_hsds(os.path.join(DATA, "tabular"), MAPPING,
                              label_points=os.path.join(DATA, "labelpoints.csv"))
    assert (r["records"], r["offers"], r["clean_offers"]) == (4, 2, 0)
    assert [u["record"] for u in r["unmapped"]] == ["sal-chat", "svc-yoga"]
    offers = r["model"].frame("offers")
    assert list(offers["key"]) == ["sal-eat-boog", "sal-debt-boog"]
    assert list(offers["seats"]) == [24, 12]
    assert any(w["file"] == "schedules.csv" and w["pointer"] == "/1/freq" for w in r["warnings"])


def test_wrong_records_raise_input_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"name": "x", "status": "active"}]', encoding="utf-8")
    with pytest.raises(wijkmatch.InputError) as info:
        wijkmatch.import_hsds(bad, MAPPING)
    assert info.value.problems[0].pointer == "bad.json#/0/id"


def test_export_then_import_gives_the_same_offers(example, tmp_path):
    services = wijkmatch.export_hsds(example, tmp_path / "out.json", as_of="2026-03-01")
    assert len(services) == example.counts["offers"]
    back = wijkmatch.import_hsds(tmp_path / "out.json", MAPPING)
    assert back["warnings"] == [] and back["unmapped"] == []
    a, b = example.frame("offers"), back["model"].frame("offers")
    for column in ["key", "kind", "level", "seats", "occupancy", "neighbourhood", "cost_per_month", "waiting_days"]:
        assert list(a[column]) == list(b[column]), column


def test_merge_into_a_model(example):
    r = wijkmatch.import_hsds(os.path.join(DATA, "directory.json"), MAPPING,
                              label_points=os.path.join(DATA, "labelpoints.csv"), into=example)
    assert len(r["model"].frame("offers")) == example.counts["offers"] + 2


@pytest.mark.skipif(not os.path.exists(AMSTERDAM), reason="shared data absent")
def test_amsterdam_counts():
    r = wijkmatch.import_hsds(AMSTERDAM, os.path.join(ROOT, "examples", "data", "hsds-mapping-amsterdam.json"),
                              source="amsterdam")
    assert (r["records"], r["offers"], len(r["unmapped"])) == (209, 128, 81)


def test_confirmed_dates_survive_frames():
    r = wijkmatch.import_hsds(os.path.join(DATA, "directory.json"), MAPPING,
                              label_points=os.path.join(DATA, "labelpoints.csv"))
    model = r["model"]
    confirmed = model.frame("offers")["confirmed"]
    assert [str(d.date()) for d in confirmed] == ["2026-01-10", "2025-06-01"]
    assert wijkmatch.from_frames(**model.to_pandas()) == model
