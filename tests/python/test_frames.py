"""Models to and from pandas frames and numpy arrays."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wijkmatch

ENTITIES = ("households", "residents", "ties", "needs", "offers", "professionals")


def test_frames_have_every_entity(example):
    frames = example.to_pandas()
    assert set(frames) == set(ENTITIES)
    for name in ENTITIES:
        assert len(frames[name]) == example.counts[name]
        assert frames[name].equals(example.frame(name))
    residents = frames["residents"]
    assert residents["x"].dtype == np.float64 and residents["availability"].dtype == np.uint32
    assert residents["group_averse"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(frames["needs"]["since"])
    offers = frames["offers"]
    assert [c for c in offers.columns if c.startswith("fit_")] == [f"fit_{d}" for d in wijkmatch.LIFE_DOMAINS]


def test_pandas_round_trip(example):
    assert wijkmatch.from_frames(**example.to_pandas()) == example
    country = wijkmatch.generate(residents=4000, seed=3, municipalities=2)
    assert wijkmatch.from_frames(**country.to_pandas()) == country


def test_numpy_round_trip(example):
    arrays = {}
    for name in ENTITIES:
        columns = example.columns(name)
        arrays[name] = {k: (np.asarray(v) if not isinstance(v, list) else v) for k, v in columns.items()}
    # Lists of strings as numpy object arrays, numbers as numpy arrays.
    assert isinstance(arrays["residents"]["x"], np.ndarray)
    assert wijkmatch.from_frames(**arrays) == example


def test_households_follow_from_residents(example):
    frames = example.to_pandas()
    del frames["households"]
    assert wijkmatch.from_frames(**frames) == example


def test_friendly_column_forms(example):
    frames = example.to_pandas()
    residents = frames["residents"].copy()
    residents["languages"] = [",".join(x) for x in residents["languages"]]
    residents["availability"] = [wijkmatch.schedule_to_dict(b) for b in residents["availability"]]
    needs = frames["needs"].copy()
    needs["since"] = needs["since"].dt.strftime("%Y-%m-%d")
    frames.update(residents=residents, needs=needs)
    assert wijkmatch.from_frames(**frames) == example


def test_schedule_helpers():
    d = {"mon": ["morning"], "sun": ["afternoon", "evening"]}
    bits = wijkmatch.schedule_from_dict(d)
    assert bits == 1 | (1 << 19) | (1 << 20)
    assert wijkmatch.schedule_to_dict(bits) == d


def test_errors_point_at_rows(example):
    frames = example.to_pandas()
    residents = frames["residents"].copy()
    residents.loc[3, "age_band"] = "ancient"
    residents.loc[5, "max_travel_m"] = np.nan  # missing required field
    offers = frames["offers"].copy()
    offers.loc[2, "occupancy"] = offers.loc[2, "seats"] + 1
    frames.update(residents=residents, offers=offers)
    with pytest.raises(wijkmatch.InputError) as info:
        wijkmatch.from_frames(**frames)
    pointers = [p.pointer for p in info.value.problems]
    assert "/residents/3/age_band" in pointers
    assert any(p.startswith("/residents/5") for p in pointers)
    assert any(p.startswith("/offers/2") for p in pointers)


def test_unknown_column_is_reported(example):
    frames = example.to_pandas()
    frames["needs"] = frames["needs"].assign(note="x")
    with pytest.raises(wijkmatch.InputError) as info:
        wijkmatch.from_frames(**frames)
    assert any(p.pointer == "/needs/0/note" for p in info.value.problems)


def test_build_from_scratch():
    residents = pd.DataFrame({
        "key": ["R1", "R2"], "household": ["H1", "H1"], "neighbourhood": ["BU03440341"] * 2,
        "x": [136000.0, 136010.0], "y": [459000.0, 459000.0], "age_band": ["25-44", "65-79"],
        "languages": [["nl"], ["nl", "ar"]], "availability": [0, 0b111], "max_travel_m": [2500.0, 1200.0],
    })
    needs = {"key": np.array(["N1"]), "resident": np.array(["R2"]), "domain": np.array(["social_network"]),
             "severity": np.array([3]), "since": np.array(["2024-05-01"], dtype="datetime64[D]"),
             "status": np.array(["open"])}
    offers = pd.DataFrame({
        "key": ["O1"], "kind": ["coffee_morning"], "level": ["collective"], "fit_social_network": [0.8],
        "seats": [10], "occupancy": [2], "schedule": [1], "x": [136100.0], "y": [459000.0],
        "neighbourhood": ["BU03440341"], "languages": ["nl"], "cost_per_month": [0.0],
    })
    model = wijkmatch.from_frames(residents=residents, needs=needs, offers=offers)
    assert model.counts == {"households": 1, "residents": 2, "ties": 0, "needs": 1, "offers": 1, "professionals": 0}
    assert model.frame("needs")["since"][0] == pd.Timestamp("2024-05-01")
    ranking = wijkmatch.rank(model, "N1")[0]
    assert ranking.proposal is not None and ranking.proposal["offer"] == "O1"


def test_v1_1_columns(example):
    offers = example.frame("offers").set_index("key")
    club = offers.loc["eetclub-zambesi"]
    assert club["organiser"]["kind"] == "residents" and len(club["organiser"]["residents"]) == 2
    assert [v["hours_per_week"] for v in club["volunteers"]] == [4.0, 3.0, 2.0, 2.0]
    assert club["initiative"] == {"status": "running", "budget_euro": 1500.0}
    assert club["hours_per_seat"] == 0.5
    assert offers.loc["start-samen-welkom", "organiser"] is None
    residents = example.frame("residents")
    assert residents["offers_help"].notna().sum() == 11
    # A frame edited in pandas: the volunteers stop, so the club's seats no longer count.
    frames = example.to_pandas()
    frames["offers"].at[int(frames["offers"].index[frames["offers"]["key"] == "eetclub-zambesi"][0]), "volunteers"] = []
    edited = wijkmatch.from_frames(**frames)
    assert edited != example
    assert wijkmatch.summary(edited).by_level["collective"]["seats"] == \
        wijkmatch.summary(example).by_level["collective"]["seats"] - 22
