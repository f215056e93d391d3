"""wijkmatch.simulate(): policies compared with intervals, frames, plots, Dask tasks, and the
README's simulation example run as written."""
from __future__ import annotations

import math
import os
import re

import pytest

import wijkmatch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLICIES = [os.path.join(ROOT, "examples", "data", "policies", f + ".json")
            for f in ("collective-first", "individual-first", "severity-stratified")]


@pytest.fixture(scope="module")
def city():
    return wijkmatch.generate(residents=400, seed=11, needs_per_100=10, offers_per_1000=25)


def test_three_policies_with_intervals(city):
    r = wijkmatch.simulate(city, policies=POLICIES, weeks=10, replications=3, seed=3)
    assert r.policies == ["collective-first", "individual-first", "severity-stratified"]
    frame = r.to_frame()
    assert set(frame["policy"]) == set(r.policies)
    assert len(frame) == 3 * len(r.metrics)
    for row in frame.itertuples():
        if row.n:
            assert row.low <= row.mean <= row.high
    # The same arrivals under every policy (common random numbers).
    arrived = {p: r.estimate(p, "arrived")["mean"] for p in r.policies}
    assert len(set(arrived.values())) == 1 and arrived["collective-first"] > 0
    assert len(r.replications_frame()) == 9


def test_threads_and_dask_give_the_same_result(city):
    distributed = pytest.importorskip("distributed")
    one = wijkmatch.simulate(city, policies=POLICIES[:2], weeks=6, replications=2, seed=5, threads=1)
    many = wijkmatch.simulate(city, policies=POLICIES[:2], weeks=6, replications=2, seed=5, threads=3)
    assert one.to_dict()["replications"] == many.to_dict()["replications"]
    with distributed.Client(distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                                     dashboard_address=None)) as client:
        dask = wijkmatch.simulate(city, policies=POLICIES[:2], weeks=6, replications=2, seed=5, client=client)
        client.cluster.close()
    assert dask.to_dict()["replications"] == one.to_dict()["replications"]
    assert dask.to_dict()["summary"] == one.to_dict()["summary"]


def test_options_and_errors(city):
    r = wijkmatch.simulate(city, weeks=4, replications=1,
                           accept_probability={"own_network": 1, "collective": 1, "basic_care": 1,
                                               "individual": 1, "specialist": 1})
    assert r.policies == ["collective-first"]
    assert r.estimate("collective-first", "declines")["mean"] == 0
    with pytest.raises(ValueError, match="weeks"):
        wijkmatch.simulate(city, weeks=0)
    with pytest.raises(TypeError, match="colour"):
        wijkmatch.simulate(city, weeks=2, colour="red")
    with pytest.raises(ValueError, match="every ladder level"):
        wijkmatch.simulate(city, weeks=2, accept_probability={"collective": 0.5})


def test_readme_simulation_example_runs_as_written(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "wijkmatch.simulate(" in b]
    assert len(blocks) == 1
    monkeypatch.chdir(ROOT)
    code = blocks[0].replace('"simulation-plots"', repr(str(tmp_path / "simulation-plots")))
    exec(compile(code, "README.md", "exec"), {})
    written = sorted(os.listdir(tmp_path / "simulation-plots"))
    assert written == ["cost_per_month.png", "simulation.png"]
    assert all(os.path.getsize(tmp_path / "simulation-plots" / f) > 1000 for f in written)


def test_simulate_monitor_reports_the_simulated_weeks(city):
    report = wijkmatch.simulate_monitor(city, POLICIES[0], replication=1, weeks=8, seed=2,
                                        monitor={"period": "week", "periods": 8})
    assert isinstance(report, wijkmatch.MonitorReport)
    assert not report.raw
    assert any(t["figure"] == "referral_steps" for t in report.tables)
    with pytest.warns(UserWarning, match="unsafe_raw"):
        raw = wijkmatch.simulate_monitor(city, POLICIES[0], replication=1, weeks=8, seed=2,
                                         monitor={"period": "week", "periods": 8, "unsafe_raw": True})
    assert raw.raw


def test_arrival_rates_replace_the_stock(city):
    r = wijkmatch.simulate(city, weeks=10, replications=2, seed=4, arrival_rates={("finances", 3): 2.0})
    assert r.estimate("collective-first", "arrived")["mean"] > 5
    none = wijkmatch.simulate(city, weeks=10, replications=1, seed=4, arrival_rates={("finances", 3): 0.0})
    assert none.estimate("collective-first", "arrived")["mean"] == 0
    with pytest.raises(ValueError, match="life domain"):
        wijkmatch.simulate(city, weeks=2, arrival_rates={("weather", 3): 1.0})
