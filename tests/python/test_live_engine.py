"""wijkmatch.Engine: the live engine from Python (events in, rankings, audit, plans out)."""
from __future__ import annotations

import datetime
import json
import os
import pickle
import threading

import pytest

import wijkmatch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DAY = os.path.join(ROOT, "examples", "data", "front_desk_day.jsonl")
AT = "2026-11-30"


def day_events():
    with open(DAY, encoding="utf-8") as f:
        return [line for line in f if line.strip()]


def event(id_, type_, **fields):
    return {"id": id_, "type": type_, "at": AT, **fields}


@pytest.fixture
def engine(example):
    return wijkmatch.Engine(example)


def test_apply_str_and_dict_duplicates_and_sequence(engine, example):
    first = engine.apply(event("e1", "need.open", need="N900", resident="R0007", domain="social_network",
                               severity=3))
    assert first == {"event_id": "e1", "seq": 1, "duplicate": False}
    again = engine.apply(json.dumps(event("e1", "need.open", need="N900", resident="R0007",
                                          domain="social_network", severity=3)))
    assert again == {"event_id": "e1", "seq": 1, "duplicate": True}
    assert engine.sequence == 1 and not engine.durable
    # The Python model is copied, never changed.
    assert "N900" not in example.need_keys()
    assert "N900" in engine.current_model().need_keys()
    with pytest.raises(TypeError):
        engine.apply(42)


def test_refused_event_raises_event_error_and_changes_nothing(engine):
    before = engine.state_checksum
    with pytest.raises(wijkmatch.EventError) as info:
        engine.apply(event("bad-1", "need.close", need="N999"))
    e = info.value
    assert isinstance(e, wijkmatch.InputError) and isinstance(e, ValueError)
    assert e.event_id == "bad-1"
    assert e.pointer == "/need"
    assert e.reason == 'unknown need "N999"'
    assert str(e) == 'event bad-1: /need: unknown need "N999"'
    assert e.problems == [wijkmatch.Problem("/need", 'unknown need "N999"')]
    copy = pickle.loads(pickle.dumps(e))
    assert (type(copy), copy.event_id, copy.pointer, str(copy)) == (wijkmatch.EventError, "bad-1", "/need", str(e))
    assert engine.state_checksum == before and engine.sequence == 0
    with pytest.raises(wijkmatch.EventError) as info:
        engine.apply("{not json")
    assert info.value.event_id == "" and info.value.pointer == ""
    with pytest.raises(wijkmatch.EventError) as info:
        engine.apply(event("bad-2", "referral.decline", referral="R-1", reason="too_far"))
    assert info.value.pointer == "/referral"


def test_apply_all_stops_at_the_first_refused_event(engine):
    events = day_events()
    done = engine.apply_all(events[:3])
    assert [d["seq"] for d in done] == [1, 2, 3]
    bad = event("late-1", "referral.decline", referral="REF-N047-1", reason="schedule")
    with pytest.raises(wijkmatch.EventError) as info:
        engine.apply_all([events[3], bad, events[4]])
    assert info.value.event_id == "late-1"
    assert engine.sequence == 4  # events[3] stays applied, events[4] was not
    assert engine.referral("REF-N026-0")["state"] == "proposed"


def test_front_desk_day_lifecycle_audit_and_declines(engine):
    engine.apply_all(day_events())
    ended = engine.referral("REF-N028-1")
    assert ended["state"] == "ended" and ended["fhir_status"] == "completed"
    assert ended["ending_reason"] == "32" and ended["level"] == "individual"
    assert not ended["holds_place"]
    outcomes = {l["level"]: l["outcome"] for l in ended["accountability"]["lower_levels"]}
    assert outcomes["collective"] == "full"
    assert [h["state"] for h in ended["history"]] == ["proposed", "accepted", "started", "ended"]
    declined = engine.referral("REF-N026-1")
    assert declined["decline_reason"] == "schedule" and declined["fhir_status"] == "rejected"
    assert declined["accountability"] is None and declined["hours_per_week"] is None
    network = engine.referral("REF-N047-1")
    assert network["option"].startswith("network:") and network["hours_per_week"] == 2.0 and network["holds_place"]
    assert engine.referral("no-such-referral") is None

    assert engine.declines() == [{"offer": "eetclub-zambesi", "total": 1,
                                  "by_reason": {r: int(r == "schedule") for r in wijkmatch.DECLINE_REASONS}}]
    audit = engine.audit("N028")
    assert audit["need"] == "N028" and audit["household"] == "H013" and audit["status"] == "in_progress"
    assert [r["key"] for r in audit["referrals"]] == ["REF-N028-1", "REF-N028-2"]
    assert "consent.grant" in [e["type"] for e in audit["events"]]
    with pytest.raises(ValueError):
        engine.audit("N999")


def test_rank_reflects_the_live_state(engine, example):
    before = engine.rank("N026")
    assert isinstance(before, wijkmatch.Ranking)
    # Own network first: a neighbour who offered help, then the eating club.
    assert before.proposal["option"] == "neighbour:R0095" and before.proposal["helper"] == "R0095"
    assert before.options[1]["offer"] == "eetclub-zambesi"
    engine.apply_all(day_events())
    after = engine.rank("N026", top=0, rejections=True)
    assert after.need == "N026"
    rejected = {r["option"]: r["failed"] for r in after.rejected}
    assert rejected["eetclub-zambesi"] == "declined" and rejected["neighbour:R0095"] == "declined"
    assert after.options[0]["option"] not in ("eetclub-zambesi", "neighbour:R0095")
    # A Ranking keeps the state it was ranked on; the one from before is unchanged.
    assert before.proposal["option"] == "neighbour:R0095"
    assert after.to_dict() == json.loads(engine.rank_json("N026"))["rankings"][0]
    # A need opened by an event ranks too.
    assert engine.rank("N047").need == "N047"
    assert len(after.to_pandas()) == len(after.options)


def test_read_plan_consent_and_its_log(engine):
    engine.apply_all(day_events())
    seen = engine.read_plan("H013", "huisarts-07", datetime.date(2026, 12, 1))
    assert seen["granted"] == ["goals", "progress"]
    assert set(seen) == {"household", "party", "granted", "goals", "progress"}
    assert seen["goals"][0]["target_score"] == 4
    assert engine.read_plan("H013", "household", "2026-12-01")["coordinator"] == {"professional": "P04",
                                                                                   "chosen_by": "household"}
    assert engine.read_plan("H013", "woningcorporatie", AT)["granted"] == []
    engine.apply(event("w-1", "consent.withdraw", household="H013", party="huisarts-07"))
    assert engine.read_plan("H013", "huisarts-07", "2026-12-02")["granted"] == []
    reads = engine.audit("N028")["plan_reads"]
    assert [(r["party"], r["at"]) for r in reads] == [("huisarts-07", "2026-12-01"), ("household", "2026-12-01"),
                                                      ("woningcorporatie", AT), ("huisarts-07", "2026-12-02")]
    with pytest.raises(ValueError):
        engine.read_plan("H013", "huisarts-07", "1 December")
    with pytest.raises(TypeError):
        engine.read_plan("H013", "huisarts-07", 20261201)


def test_durable_engine_reopens_to_the_same_state(example, tmp_path):
    journal = tmp_path / "engine.journal"
    memory = wijkmatch.Engine(example)
    memory.apply_all(day_events())
    with pytest.raises(wijkmatch.Error):
        memory.snapshot()

    durable = wijkmatch.Engine.open(example, journal, sync_full=False, snapshot_every=5)
    assert durable.durable
    events = day_events()
    for e in events[:10]:
        durable.apply(e)
    durable.apply_all(events[10:])
    assert durable.state_checksum == memory.state_checksum
    durable.snapshot()
    del durable

    reopened = wijkmatch.Engine.open(example, str(journal))
    assert reopened.sequence == len(events)
    assert reopened.state_checksum == memory.state_checksum
    assert reopened.apply(events[0])["duplicate"]
    assert reopened.current_model().counts == memory.current_model().counts
    # The journal belongs to this model and policy.
    with pytest.raises(wijkmatch.InputError):
        wijkmatch.Engine.open(example, journal, policy={**wijkmatch.Policy().to_dict(), "acceptable_score": 0.5})


def test_threads_rank_while_one_applies(example):
    """Readers see the state before or after each event, never half of one."""
    engine = wijkmatch.Engine(example)
    events = day_events()
    errors = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                r = engine.rank("N026")
                assert r.need == "N026" and r.options
                engine.audit("N028")
                engine.referral("REF-N028-1")
                engine.declines()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for e in events:
            engine.apply(e)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert engine.sequence == len(events)


def test_current_model_loads_like_any_model(engine):
    """A household added before its members, or left by all of them, is not in the live model
    (format v1 refuses a household without residents)."""
    engine.apply(event("h-1", "household.add", household={"key": "H900", "neighbourhood": "BU03440341"}))
    engine.apply_all(day_events())
    engine.apply(event("g-1", "resident.gone", resident="R0013", reason="31"))  # H004's only member
    live = engine.current_model()
    assert "N017" not in live.need_keys()  # R0013's need
    keys = set(live.frame("households")["key"])
    assert "H900" not in keys and "H004" not in keys and "H013" in keys
    again = wijkmatch.loads(live.to_json())
    assert again.counts == live.counts
    assert wijkmatch.Engine(live).rank("N047").need == "N047"
