"""Summary, policy, ranking, plans, allocation in every mode, min-cost flow and the generator."""
from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest

import wijkmatch


# ---- summary and policy --------------------------------------------------------------------

def test_summary(example):
    s = wijkmatch.summary(example)
    assert s.residents == 229 and s.needs == 46
    d = s.to_dict()
    assert d["residents"] == 229
    assert sum(s.open_needs_by_domain.values()) == s.open_needs
    frame = s.to_pandas()
    assert len(frame) == 1 and frame.loc[0, "residents"] == 229
    assert "residents" in s.to_text().lower() or "229" in s.to_text()
    assert wijkmatch.summary(example) == s
    # Format v1.1: help offered, and the initiatives at risk by key.
    assert s.residents_offering_help == 11
    assert [f["offer"] for f in s.initiatives_at_risk] == ["koffieochtend-tigris", "repaircafe"]
    assert s.initiatives_at_risk[0]["risks"] == ["one_organiser", "overloaded_volunteers"]
    assert s.places_at_risk == 11


def test_policy():
    p = wijkmatch.Policy()
    assert p == wijkmatch.default_policy()
    assert p.ladder == wijkmatch.LADDER_LEVELS and set(p.weights) == set(wijkmatch.FEATURES)
    q = p.replace(acceptable_score=0.6)
    assert q.acceptable_score == 0.6 and p.acceptable_score == 0.45
    assert wijkmatch.Policy.from_json(q.to_json()) == q
    assert wijkmatch.Policy.from_dict(q.to_dict()) == q
    assert pickle.loads(pickle.dumps(q)) == q
    with pytest.raises(wijkmatch.InputError) as info:
        p.replace(acceptable_score=3)
    assert info.value.problems[0].pointer == "/acceptable_score"


def test_policy_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(wijkmatch.Policy().replace(provision_radius_m=5000.0).to_json())
    assert wijkmatch.load_policy(path).provision_radius_m == 5000.0


# ---- ranking -------------------------------------------------------------------------------

def test_rank_all(example):
    rankings = wijkmatch.rank(example)
    assert len(rankings) == sum(1 for s in example.frame("needs")["status"] if s != "closed")
    frame = rankings.to_pandas()
    assert list(frame.columns[:4]) == ["need", "position", "option", "level"]
    assert set(frame["level"]) <= set(wijkmatch.LADDER_LEVELS)
    assert frame.groupby("need")["position"].min().eq(0).all()
    # Points sum to the score (the contributions explain it).
    points = frame[[c for c in frame.columns if c.startswith("points_")]].fillna(0).sum(axis=1)
    assert np.allclose(points, frame["score"], atol=1e-4)
    doc = rankings.to_dict()
    assert len(doc["rankings"]) == len(rankings)
    assert rankings[0].to_dict() == doc["rankings"][0]
    proposals = rankings.proposals()
    assert len(proposals) == len(rankings)
    first = rankings[0]
    assert first.proposal == first.options[0]
    assert proposals.loc[0, "option"] == first.options[0]["option"]
    assert isinstance(rankings.rejections(), pd.DataFrame)
    assert set(rankings.rejections()["failed"]) <= set(wijkmatch.REJECT_REASONS)
    assert "N00" in rankings.to_text() or len(rankings.to_text()) > 0


def test_rank_selected_needs_and_ranker(example):
    keys = example.need_keys()[:3]
    one = wijkmatch.rank(example, keys[0])
    assert len(one) == 1 and one[0].need == keys[0]
    some = wijkmatch.rank(example, keys)
    assert [r.need for r in some] == keys
    assert wijkmatch.rank(example, 0)[0].need == example.need_keys()[0]
    ranker = wijkmatch.Ranker(example)
    assert ranker.rank(keys[1]).to_dict() == some[1].to_dict()
    assert len(ranker.rank_all(threads=2)) == len(wijkmatch.rank(example))
    assert [r.need for r in ranker.rank_many(keys)] == keys
    with pytest.raises(KeyError):
        ranker.rank("no-such-need")
    with pytest.raises(IndexError):
        wijkmatch.rank(example, 10_000)


def test_rank_top_options_and_rejection_counts(example):
    full = wijkmatch.rank(example, top=0, rejections=True)
    brief = wijkmatch.rank(example)
    three = wijkmatch.Ranker(example).rank_all(top=3)
    assert len(full) == len(brief) == len(three)
    assert any(len(r.options) > 5 for r in full)
    for f, b, t in zip(full, brief, three):
        assert b.options == f.options[:5] and t.options == f.options[:3]
        assert b.option_count == len(f.options)
        assert b.rejected == []
        counts = {reason: 0 for reason in wijkmatch.REJECT_REASONS}
        for x in f.rejected:
            counts[x["failed"]] += 1
        assert b.rejected_count == counts == f.rejected_count
    assert len(full.rejections()) == sum(sum(r.rejected_count.values()) for r in brief)


def test_rank_policy_changes_result(example):
    strict = wijkmatch.rank(example, policy={**wijkmatch.Policy().to_dict(), "acceptable_score": 0.99})
    assert not strict.to_pandas()["acceptable"].any()


# ---- plan ----------------------------------------------------------------------------------

def test_plan(example):
    needs = example.frame("needs")
    residents = example.frame("residents").set_index("key")
    household = residents.loc[needs.loc[needs["status"] == "open", "resident"].iloc[0], "household"]
    p = wijkmatch.plan(example, household)
    assert p.household == household
    d = p.to_dict()
    assert d["household"] == household
    assert d["coordinator"] == p.coordinator
    assert len(p.rankings) >= 1
    cands = p.candidates
    assert len(cands) == example.counts["professionals"]
    # Best first: eligible candidates before the rest, by score within each.
    order = list(zip(~cands["eligible"], -cands["score"]))
    assert order == sorted(order)
    if p.coordinator is not None:
        assert cands.loc[0, "professional"] == p.coordinator
    assert isinstance(p.combined, list)
    assert len(p.to_pandas()) == len(p.rankings.to_pandas())
    assert household in p.to_text()
    with pytest.raises(KeyError):
        wijkmatch.plan(example, "no-such-household")


# ---- allocation ----------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["optimal", "stable", "online"])
def test_allocate_modes(example, mode):
    result = wijkmatch.allocate(example, mode=mode)
    assert result.mode == mode
    o = result.objective
    a = result.assignments
    assert len(a) == o["needs"] == sum(example.frame("needs")["status"] == "open")
    assert a["served"].sum() == o["served"]
    assert sum(o["served_by_level"].values()) == o["served"]
    assert a.loc[a["served"], "level"].value_counts().to_dict() == {k: v for k, v in o["served_by_level"].items() if v}
    assert len(result.waiting) == o["needs"] - o["served"]
    assert len(result.offers) == example.counts["offers"]
    assert len(result.professionals) == example.counts["professionals"]
    assert (result.offers["assigned"] <= result.offers["free_before"]).all()
    d = result.to_dict()
    assert d["mode"] == mode and d["objective"]["served"] == o["served"]
    assert len(d["assignments"]) == o["served"]
    assert set(result.frames()) == {"assignments", "waiting", "offers", "professionals"}
    assert result.to_pandas().equals(a)
    assert "Allocation" in result.to_text()
    if mode == "stable":
        assert result.blocking_pairs == 0
    if mode == "online":
        assert result.hindsight is not None and 0 < result.hindsight["needs"] <= o["needs"]
    else:
        assert result.hindsight is None


def test_group_minimum_options(small_country):
    _, country = small_country
    results = {g: wijkmatch.allocate(country, group_minimum=g).objective for g in ("heuristic", "exact", "ignore")}
    # Ignoring group minimums relaxes the problem: never worse in ladder steps.
    assert results["ignore"]["ladder_steps"] <= results["exact"]["ladder_steps"]
    assert results["exact"]["ladder_steps"] <= results["heuristic"]["ladder_steps"]
    with pytest.raises(ValueError):
        wijkmatch.allocate(country, group_minimum="sometimes")
    with pytest.raises(ValueError):
        wijkmatch.allocate(country, mode="fastest")


def test_allocation_candidates_and_network(example):
    c = wijkmatch.allocation_candidates(example)
    needs, resources, cands, first = c["needs"], c["resources"], c["candidates"], c["first"]
    assert len(first) == len(needs) + 1 and first[0] == 0 and first[-1] == len(cands)
    assert set(resources["kind"]) <= {"offer", "professional", "helper"}
    assert cands["resource"].between(0, len(resources) - 1).all()
    result = wijkmatch.allocate(example, group_minimum="ignore")
    a = result.assignments
    served = a[a["served"]]
    assert (served["candidate"] >= 0).all()
    assert served["candidate"].map(cands["steps"]).sum() + 6 * (len(a) - len(served)) == result.objective["ladder_steps"]
    net = wijkmatch.allocation_network(example, group_minimum="ignore")
    assert net.solve() == "optimal"
    assert net.optimal_cost == result.objective["ladder_steps"]
    arrays = net.arrays()
    again = wijkmatch.MinCostFlow.from_arrays(**arrays)
    assert again.solve("network_simplex") == "optimal" and again.optimal_cost == net.optimal_cost
    flows = again.flows()
    assert flows.shape == (again.arc_count,)
    assert ((flows >= arrays["lower"]) & (flows <= arrays["upper"])).all()


def test_min_cost_flow_small():
    net = wijkmatch.MinCostFlow(3)
    net.set_supply(0, 2)
    net.set_supply(2, -2)
    a = net.add_arc(0, 1, 0, 5, 1)
    b = net.add_arc(1, 2, 0, 5, 1)
    c = net.add_arc(0, 2, 0, 1, 3)
    assert net.solve() == "optimal"
    assert net.optimal_cost == 4 and net.flow(a) == 2 and net.flow(b) == 2 and net.flow(c) == 0
    rc = [net.reduced_cost(i) for i in range(3)]
    assert rc[c] >= 0
    unbalanced = wijkmatch.MinCostFlow.from_arrays(supply=[1, 0], tail=[0], head=[1], lower=[0], upper=[1], cost=[1])
    assert unbalanced.solve() == "unbalanced"
    with pytest.raises(ValueError):
        net.add_arc(0, 7, 0, 1, 1)


def test_allocate_many_with_progress(small_country):
    _, country = small_country
    parts = wijkmatch.split_model(country, [[c] for c in country.municipalities()])
    calls = []
    results = wijkmatch.allocate_many(parts, progress=lambda done, total: calls.append((done, total)))
    assert [r.objective == wijkmatch.allocate(p).objective for r, p in zip(results, parts)] == [True] * len(parts)
    assert calls == [(i, len(parts)) for i in range(len(parts) + 1)]


def test_allocate_progress_callback(example):
    calls = []
    wijkmatch.allocate(example, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 1000) and calls[-1] == (1000, 1000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# ---- generator, split and merge ------------------------------------------------------------

def test_generate_is_deterministic_and_valid(small_country):
    options, country = small_country
    assert wijkmatch.generate(**options) == country
    small = wijkmatch.generate(residents=3000, seed=4, municipalities=2)
    assert wijkmatch.loads(small.to_json(-1)) == small
    assert country.municipalities() == [f"GM{i:04d}" for i in range(1, options["municipalities"] + 1)]
    with pytest.raises(ValueError):
        wijkmatch.generate(residents=0)


def test_split_and_merge(small_country):
    _, country = small_country
    codes = country.municipalities()
    parts = wijkmatch.split_model(country, [[c] for c in codes])
    assert sum(p.counts["residents"] for p in parts) == country.counts["residents"]
    assert [p.municipalities() for p in parts] == [[c] for c in codes]
    assert wijkmatch.merge_models(parts) == country
    with pytest.raises(wijkmatch.InputError):
        wijkmatch.merge_models([parts[0], parts[0]])


def test_footprint_and_couple(small_country):
    _, country = small_country
    fp = wijkmatch._core.footprint(country)
    assert fp["municipalities"] == country.municipalities()
    assert len(fp["need_x"]) == sum(1 for s in country.frame("needs")["status"] if s != "closed")
    c = wijkmatch._core.couple([fp, fp])
    assert c["municipalities"] == fp["municipalities"]
    assert c["of_footprint"] == [list(range(len(fp["municipalities"])))] * 2
    assert c["links"].ndim == 2 and c["links"].shape[1] == 2
    with pytest.raises(ValueError, match="need arrays differ in length"):
        wijkmatch._core.couple([dict(fp, need_x=fp["need_x"][:-1])])
    with pytest.raises(wijkmatch.Error, match="out of range"):
        wijkmatch._core.couple([dict(fp, need_municipality=np.full_like(fp["need_municipality"], 99))])
    with pytest.raises(wijkmatch.Error, match="not finite"):
        wijkmatch._core.couple([dict(fp, offer_x=np.full_like(fp["offer_x"], np.nan))])


def test_generate_municipality_equals_its_part(small_country):
    options, country = small_country
    assert wijkmatch.municipality_count(**options) == options["municipalities"]
    parts = wijkmatch.split_model(country, [[c] for c in country.municipalities()])
    for i, part in enumerate(parts):
        assert wijkmatch.municipality_residents(i, **options) == part.counts["residents"]
        assert wijkmatch.generate_municipality(i, **options) == part


def test_generate_to_directory(tmp_path):
    report = wijkmatch.generate_to_directory(tmp_path, format="json", residents=3000, seed=2, municipalities=2)
    models = sorted(f for f in report["files"] if not f.endswith("manifest.json"))
    assert report["municipalities"] == 2 and len(models) == 2
    merged = wijkmatch.merge_models([wijkmatch.load(f) for f in models])
    assert merged == wijkmatch.generate(residents=3000, seed=2, municipalities=2)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest
