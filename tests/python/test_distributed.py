"""Country-wide runs on a 2-worker LocalCluster (worker processes) give the totals of one
single-process run on the whole country."""
from __future__ import annotations

import pandas as pd
import pytest

import wijkmatch
from wijkmatch import distributed


@pytest.fixture(scope="module")
def client():
    with distributed.local_client(n_workers=2, threads_per_worker=1, processes=True) as c:
        yield c


def _coupled_country():
    """A country where municipality GM0002's care provisions stand next to GM0001's
    residents and a tie links GM0003 to GM0001: three municipalities coupled, GM0004 alone."""
    country = wijkmatch.generate(residents=24_000, seed=11, municipalities=4)
    frames = country.to_pandas()
    residents, offers, ties = frames["residents"], frames["offers"].copy(), frames["ties"].copy()
    home = residents[residents["neighbourhood"].str.startswith("BU0001")].iloc[0]
    moved = offers["neighbourhood"].str.startswith("BU0002") & (offers["level"] != "collective")
    offers.loc[moved, "x"] = home["x"] + 50.0
    offers.loc[moved, "y"] = home["y"]
    r3 = residents[residents["neighbourhood"].str.startswith("BU0003")].iloc[0]
    ties = pd.concat([ties, pd.DataFrame([{"helper": r3["key"], "helped": home["key"], "kind": "family",
                                           "strength": 0.8, "domains": ["social_network"],
                                           "hours_per_week": 4.0, "hours_used": 0.0}])], ignore_index=True)
    frames.update(offers=offers, ties=ties)
    return wijkmatch.from_frames(**frames)


def test_model_source_equals_single_run(client, small_country):
    _, country = small_country
    calls = []
    # The exact group minimum is a lexicographic optimum, which decomposes over independent
    # parts exactly (the heuristic usually agrees, but may break ties differently).
    result = distributed.allocate_country(country, client=client, group_minimum="exact",
                                          progress=lambda d, t: calls.append((d, t)))
    assert result.totals == wijkmatch.allocate(country, group_minimum="exact").objective
    assert len(result.assignments) == result.totals["needs"]
    assert result.municipalities["needs"].sum() == result.totals["needs"]
    assert result.municipalities["served"].sum() == result.totals["served"]
    assert result.municipalities["score_milli"].sum() == result.totals["score_milli"]
    assert sorted(result.municipalities["municipality"]) == country.municipalities()
    assert calls[0] == (0, len(result.groups)) and calls[-1] == (len(result.groups), len(result.groups))
    d = result.to_dict()
    assert d["totals"] == result.totals and len(d["municipalities"]) == len(country.municipalities())


def test_shared_offers_couple_municipalities(client):
    country = _coupled_country()
    whole = wijkmatch.allocate(country, group_minimum="ignore").objective
    coupled = distributed.allocate_country(country, client=client, group_minimum="ignore")
    groups = sorted(sorted(g) for g in coupled.partition.municipalities)
    assert groups == [["GM0001", "GM0002", "GM0003"], ["GM0004"]]
    assert ("GM0001", "GM0002") in coupled.partition.links
    assert coupled.totals == whole
    # Every municipality alone: GM0001 loses the provisions next door.
    split = distributed.allocate_country(country, client=client, shared="split", group_minimum="ignore")
    assert len(split.groups) == 4
    assert split.totals != whole
    # Ranking: with coupling every need gets the proposal of the single run.
    ranked = distributed.rank_country(country, client=client)
    single = wijkmatch.rank(country).proposals()
    merged = ranked.proposals.set_index("need").loc[single["need"]]
    assert list(merged["option"].fillna("-")) == list(single["option"].fillna("-"))


def test_generated_and_directory_sources(client, small_country, tmp_path):
    options, country = small_country
    whole = wijkmatch.allocate(country, mode="stable").objective
    generated = distributed.allocate_country(distributed.Generated(**options), client=client, mode="stable")
    assert generated.partition.kind == "generated"
    assert generated.totals == whole
    wijkmatch.generate_to_directory(tmp_path, **options)
    from_files = distributed.allocate_country(tmp_path, client=client, mode="stable")
    assert from_files.partition.kind == "files"
    assert from_files.totals == whole
