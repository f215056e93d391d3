"""Events v1: the JSON Schema of one event (schema/wijkmatch-events-v1.schema.json) agrees with
the live engine (`wijkmatch apply`, in memory).

Run with `/usr/bin/python3 -m pytest tests/test_events_schema.py`. The schema-only tests need
python3-jsonschema; the tests that also run the engine need WIJKMATCH_CLI, the path of the built
`wijkmatch` program (CTest sets it; otherwise they are skipped).
"""
import copy
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schema" / "wijkmatch-events-v1.schema.json").read_text(encoding="utf-8"))
MODEL_SCHEMA = json.loads((ROOT / "schema" / "wijkmatch-model-v1.schema.json").read_text(encoding="utf-8"))
MODEL_PATH = ROOT / "examples" / "data" / "neighbourhood.json"
DAY_PATH = ROOT / "examples" / "data" / "front_desk_day.jsonl"
ENGINE_EVENTS = (ROOT / "src" / "engine_events.cpp").read_text(encoding="utf-8")
ENGINE = (ROOT / "src" / "engine.cpp").read_text(encoding="utf-8")


def _validator():
    # The shared definitions live in the model schema, referred to relative to this schema's $id.
    try:
        from referencing import Registry, Resource
    except ImportError:  # jsonschema < 4.18 (Debian 12): the RefResolver with a store
        resolver = jsonschema.RefResolver.from_schema(SCHEMA, store={MODEL_SCHEMA["$id"]: MODEL_SCHEMA})
        return jsonschema.Draft202012Validator(SCHEMA, resolver=resolver)
    registry = Registry().with_resource(MODEL_SCHEMA["$id"], Resource.from_contents(MODEL_SCHEMA))
    return jsonschema.Draft202012Validator(SCHEMA, registry=registry)


VALIDATOR = _validator()
TYPES = SCHEMA["properties"]["type"]["enum"]


# --- the schema's pointers -------------------------------------------------------------------

def escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(path):
    return "".join("/" + escape(p) for p in path)


def _pointers(error, out):
    base = list(error.absolute_path)
    if error.validator == "required":
        out.update(pointer_of(base + [n]) for n in error.validator_value if n not in error.instance)
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        out.update(pointer_of(base + [n]) for n in error.instance if n not in known)
    elif error.validator == "uniqueItems" and isinstance(error.instance, list):
        for i, item in enumerate(error.instance):
            if item in error.instance[:i]:
                out.add(pointer_of(base + [i]))
                break
    else:
        out.add(pointer_of(base))


def schema_problems(event):
    """The JSON pointers the schema objects to (empty: valid). Within the oneOf, only the
    branch of the event's own type counts: the others fail on `type` alone."""
    pointers = set()
    for error in VALIDATOR.iter_errors(event):
        if error.validator == "oneOf":
            kind = event.get("type") if isinstance(event, dict) else None
            if kind in TYPES:
                branch = TYPES.index(kind)
                for sub in error.context or ():
                    if sub.relative_schema_path and sub.relative_schema_path[0] == branch:
                        _pointers(sub, pointers)
        else:
            _pointers(error, pointers)
    return pointers


# --- the engine, through `wijkmatch apply` ------------------------------------------------------

@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("WIJKMATCH_CLI")
    if not path:
        pytest.skip("WIJKMATCH_CLI is not set: point it at the built `wijkmatch` program to compare with the engine")
    if not os.access(path, os.X_OK):
        pytest.fail(f"WIJKMATCH_CLI={path} is not an executable program")
    return path


@pytest.fixture
def engine(cli, tmp_path):
    """Applies events (dicts or lines) in memory; returns (exit code, stderr, summary)."""
    counter = iter(range(1 << 30))

    def run(events):
        path = tmp_path / f"events{next(counter)}.jsonl"
        path.write_text("".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in events), encoding="utf-8")
        p = subprocess.run([cli, "apply", str(MODEL_PATH), str(path)], capture_output=True, text=True, timeout=60)
        return p.returncode, p.stderr, json.loads(p.stdout) if p.stdout else None

    return run


# --- good events: every type, applied in this order to the bundled neighbourhood ---------------

AT = "2026-12-01"


def ev(i, type_, **fields):
    return {"id": f"g-{i:03d}", "type": type_, "at": AT, **fields}


LOCATION = {"x": 136300.0, "y": 459400.0}
GOOD = [
    ev(1, "household.add", household={"key": "H900", "neighbourhood": "BU03440341"}),
    ev(2, "resident.add", resident={"key": "R0900", "household": "H900", "neighbourhood": "BU03440341",
                                     "location": LOCATION, "age_band": "25-44", "languages": ["nl"],
                                     "availability": {"mon": ["afternoon"], "tue": ["morning"]},
                                     "max_travel_m": 2500, "group_averse": False}),
    ev(3, "need.open", need="N900", resident="R0900", domain="social_network", severity=3, crisis=False,
       safety_report=False, rent_arrears_months=0),
    ev(4, "need.update", need="N900", severity=2, availability={"mon": ["afternoon"], "wed": ["evening"]},
       max_travel_m=3000),
    ev(5, "tie.add", helper="R0001", helped="R0900", kind="neighbour", strength=0.7, domains=["social_network"],
       hours_per_week=3),
    ev(6, "tie.change", helper="R0001", helped="R0900", hours_per_week=4, hours_used=0.5),
    ev(7, "offer.add", offer={"key": "buurtlunch", "kind": "neighbourhood_lunch", "level": "collective",
                              "domains": {"social_network": 0.8, "time_use": 0.4}, "seats": 10, "occupancy": 0,
                              "location": {"x": 136350.0, "y": 459450.0}, "neighbourhood": "BU03440341",
                              "languages": ["nl"], "cost_per_month": 0, "schedule": {"mon": ["afternoon"]}}),
    ev(8, "offer.capacity", offer="buurtlunch", seats=12),
    ev(9, "professional.caseload", professional="P02", caseload_cap=23),
    ev(10, "referral.propose", referral="G-1", need="N900", option="network:R0001", hours_per_week=1.5),
    ev(11, "referral.offer", referral="G-1"),
    ev(12, "referral.decline", referral="G-1", reason="other"),
    ev(13, "referral.propose", referral="G-2", need="N900"),
    ev(14, "referral.accept", referral="G-2"),
    ev(15, "referral.start", referral="G-2"),
    ev(16, "referral.hold", referral="G-2"),
    ev(17, "referral.resume", referral="G-2"),
    ev(18, "referral.end", referral="G-2", reason="goal_reached"),
    ev(19, "referral.propose", referral="G-3", need="N900"),
    ev(20, "referral.expire", referral="G-3"),
    ev(21, "referral.propose", referral="G-4", need="N900"),
    ev(22, "referral.cancel", referral="G-4"),
    ev(23, "referral.propose", referral="G-5", need="N900"),
    ev(24, "referral.error", referral="G-5"),
    ev(25, "plan.agreement", household="H900", need="N900", code="weekly_visit", due="2026-12-14"),
    ev(26, "plan.goal", household="H900", need="N900", target_score=4, by="2027-06-01"),
    ev(27, "plan.progress", household="H900", need="N900", score=3),
    ev(28, "plan.coordinator", household="H900", professional="P02", chosen_by="team"),
    ev(29, "consent.grant", household="H900", party="huisarts-1", parts=["agreements", "goals"]),
    ev(30, "consent.withdraw", household="H900", party="huisarts-1"),
    ev(31, "resident.move", resident="R0900", location={"x": 136400.0, "y": 459500.0}),
    ev(32, "tie.end", helper="R0001", helped="R0900"),
    ev(33, "need.close", need="N900"),
    ev(34, "offer.retire", offer="buurtlunch"),
    ev(35, "resident.gone", resident="R0900", reason="31"),
]


def index_of(type_):
    return next(i for i, e in enumerate(GOOD) if e["type"] == type_)


# --- the schema itself ---------------------------------------------------------------------

def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == "https://wijkmatch.example/schema/wijkmatch-events-v1.schema.json"


def test_every_property_has_a_description():
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if isinstance(sub, dict) and "description" not in sub:
                    missing.append(f"{where}/properties/{name}")
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(SCHEMA, "#")
    assert not missing


def test_every_event_type_of_the_engine_is_in_the_schema_in_order():
    table = re.search(r"constexpr Kind kinds\[\] = \{(.*?)\n\};", ENGINE_EVENTS, re.S)
    assert table, "the kinds table in src/engine_events.cpp"
    kinds = re.findall(r'\{"([a-z]+\.[a-z]+)", \w+\}', table.group(1))
    assert len(kinds) >= 30
    assert TYPES == kinds
    assert [b["$ref"] for b in SCHEMA["oneOf"]] == [f"#/$defs/{t}" for t in kinds]
    assert list(SCHEMA["$defs"]) == kinds
    for t in kinds:
        assert SCHEMA["$defs"][t]["properties"]["type"] == {"const": t, "description": "The event type."}
    assert sorted({e["type"] for e in GOOD}) == sorted(kinds)


def test_fields_match_the_engine_handlers():
    """Each handler's e.fields({...}) lists exactly the schema's properties (besides id, type, at)."""
    defs = SCHEMA["$defs"]
    for t, d in defs.items():
        fields = set(d["properties"]) - {"id", "type", "at"}
        assert d["additionalProperties"] is False, t
        assert set(d["required"]) >= {"id", "type", "at"}, t
        assert set(d["required"]) - {"id", "type", "at"} <= fields, t
    allowed = {}
    for handler, body in re.findall(r"\nvoid (\w+)\(Event& e,.*?\n\{?(.*?)\n\}", ENGINE_EVENTS, re.S):
        allowed[handler] = [set(re.findall(r'"(\w+)"', f)) for f in re.findall(r"e\.fields\(\{([^}]*)\}\)", body)]
    handler_of = dict(re.findall(r'\{"([a-z]+\.[a-z]+)", (\w+)\}', ENGINE_EVENTS))
    for t, handler in handler_of.items():
        fields = set(defs[t]["properties"]) - {"id", "type", "at"}
        assert fields in allowed[handler], (t, fields, allowed[handler])


def test_enums_match_the_engine_source():
    def names(array):
        m = re.search(array + r"\{([^}]*)\}", ENGINE)
        assert m, array
        return re.findall(r'"([^"]*)"', m.group(1))

    defs = SCHEMA["$defs"]
    assert defs["referral.decline"]["properties"]["reason"]["enum"] == names("decline_names")
    assert defs["referral.end"]["properties"]["reason"]["enum"] == names("ending_codes")
    assert defs["referral.end"]["properties"]["reason"]["enum"] == ["02", "19", "20", "31", "32", "33", "34",
                                                                    "goal_reached"]
    assert defs["consent.grant"]["properties"]["parts"]["items"]["enum"] == names("part_names")
    assert defs["consent.withdraw"]["properties"]["parts"]["items"]["enum"] == names("part_names")
    assert defs["plan.coordinator"]["properties"]["chosen_by"]["enum"] == ["household", "team"]
    assert defs["resident.gone"]["properties"]["reason"]["enum"] == ["02", "31"]
    assert defs["tie.add"]["properties"]["kind"]["enum"] == MODEL_SCHEMA["$defs"]["tie"]["properties"]["kind"]["enum"]


# --- good events ------------------------------------------------------------------------------

@pytest.mark.parametrize("event", [pytest.param(e, id=e["type"]) for e in GOOD])
def test_good_event_is_valid(event):
    assert schema_problems(event) == set()


def test_bundled_front_desk_day_is_valid():
    lines = [line for line in DAY_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 20
    for line in lines:
        assert schema_problems(json.loads(line)) == set(), line


def test_good_events_apply(engine):
    rc, err, summary = engine(GOOD)
    assert (rc, err) == (0, "")
    assert summary["applied"] == len(GOOD)


# --- bad events: refused by the schema and by the engine, at the same pointer ------------------

def mutated(type_, change, drop=()):
    e = copy.deepcopy(GOOD[index_of(type_)])
    e["id"] = "bad-" + type_
    e.update(copy.deepcopy(change))
    for name in drop:
        del e[name]
    return e


# (id, event type, fields set, fields removed, pointer both must name)
BAD = [
    ("missing-id", "need.close", {}, ["id"], "/id"),
    ("missing-at", "need.close", {}, ["at"], "/at"),
    ("bad-date", "need.close", {"at": "2026-02-30"}, [], "/at"),
    ("bad-id", "need.close", {"id": "has space"}, [], "/id"),
    ("unknown-type", "need.close", {"type": "need.reopen"}, [], "/type"),
    ("unknown-field", "need.close", {"note": "called twice"}, [], "/note"),
    ("field-of-another-type", "referral.accept", {"reason": "schedule"}, [], "/reason"),
    ("missing-required", "need.open", {}, ["domain"], "/domain"),
    ("severity-range", "need.open", {"severity": 6}, [], "/severity"),
    ("severity-type", "need.open", {"severity": "3"}, [], "/severity"),
    ("domain-enum", "need.open", {"domain": "money"}, [], "/domain"),
    ("crisis-type", "need.open", {"crisis": "yes"}, [], "/crisis"),
    ("arrears-range", "need.open", {"rent_arrears_months": 121}, [], "/rent_arrears_months"),
    ("update-nothing", "need.update", {}, ["severity", "availability", "max_travel_m"], ""),
    ("update-travel-range", "need.update", {"max_travel_m": 100001}, [], "/max_travel_m"),
    ("update-availability-day", "need.update", {"availability": {"funday": ["morning"]}}, [], "/availability/funday"),
    ("decline-reason-free-text", "referral.decline", {"reason": "she did not like it"}, [], "/reason"),
    ("decline-reason-missing", "referral.decline", {}, ["reason"], "/reason"),
    ("ending-code-unknown", "referral.end", {"reason": "99"}, [], "/reason"),
    ("ending-code-number", "referral.end", {"reason": 32}, [], "/reason"),
    ("propose-hours-range", "referral.propose", {"hours_per_week": 0.1}, [], "/hours_per_week"),
    ("propose-referral-key", "referral.propose", {"referral": ""}, [], "/referral"),
    ("offer-add-occupied", "offer.add", {"offer": {**GOOD[index_of("offer.add")]["offer"], "occupancy": 3}}, [],
     "/offer/occupancy"),
    ("offer-add-own-network", "offer.add", {"offer": {**GOOD[index_of("offer.add")]["offer"], "level": "own_network"}},
     [], "/offer/level"),
    ("capacity-nothing", "offer.capacity", {}, ["seats"], ""),
    ("capacity-negative", "offer.capacity", {"seats": -1}, [], "/seats"),
    ("caseload-range", "professional.caseload", {"caseload_cap": 10001}, [], "/caseload_cap"),
    ("tie-strength-zero", "tie.add", {"strength": 0}, [], "/strength"),
    ("tie-kind", "tie.add", {"kind": "colleague"}, [], "/kind"),
    ("tie-hours-range", "tie.add", {"hours_per_week": 169}, [], "/hours_per_week"),
    ("tie-duplicate-domain", "tie.add", {"domains": ["social_network", "social_network"]}, [], "/domains/1"),
    ("tie-change-nothing", "tie.change", {}, ["hours_per_week", "hours_used"], ""),
    ("resident-attends", "resident.add", {"resident": {**GOOD[1]["resident"], "attends": ["repaircafe"]}}, [],
     "/resident/attends"),
    ("resident-age-band", "resident.add", {"resident": {**GOOD[1]["resident"], "age_band": "old"}}, [],
     "/resident/age_band"),
    ("household-code", "household.add", {"household": {"key": "H901", "neighbourhood": "BU123"}}, [],
     "/household/neighbourhood"),
    ("move-nothing", "resident.move", {}, ["location"], ""),
    ("move-outside", "resident.move", {"location": {"x": 136400.0, "y": 100.0}}, [], "/location/y"),
    ("gone-reason", "resident.gone", {"reason": "32"}, [], "/reason"),
    ("agreement-free-text", "plan.agreement", {"code": "Visit every week"}, [], "/code"),
    ("goal-score", "plan.goal", {"target_score": 0}, [], "/target_score"),
    ("progress-score", "plan.progress", {"score": 6}, [], "/score"),
    ("coordinator-chosen-by", "plan.coordinator", {"chosen_by": "mother"}, [], "/chosen_by"),
    ("coordinator-chosen-by-missing", "plan.coordinator", {}, ["chosen_by"], "/chosen_by"),
    ("consent-part", "consent.grant", {"parts": ["diagnosis"]}, [], "/parts/0"),
    ("consent-no-parts", "consent.grant", {"parts": []}, [], "/parts"),
    ("consent-parts-missing", "consent.grant", {}, ["parts"], "/parts"),
    ("consent-duplicate-part", "consent.grant", {"parts": ["goals", "goals"]}, [], "/parts/1"),
    ("consent-party-household", "consent.grant", {"party": "household"}, [], "/party"),
]


@pytest.mark.parametrize("type_,change,drop,expected", [pytest.param(*c[1:], id=c[0]) for c in BAD])
def test_schema_rejects(type_, change, drop, expected):
    assert schema_problems(mutated(type_, change, drop)) == {expected}


@pytest.mark.parametrize("type_,change,drop,expected", [pytest.param(*c[1:], id=c[0]) for c in BAD])
def test_engine_rejects_at_the_same_pointer(engine, type_, change, drop, expected):
    k = index_of(type_)
    bad = mutated(type_, change, drop)
    rc, err, summary = engine(GOOD[:k] + [bad])
    assert rc == 2, err
    shown = expected if expected else "(document)"
    event_id = bad.get("id") if "id" in bad and not change.get("id") else "(no id)"
    assert err.startswith(f"line {k + 1}: event {event_id}: {shown}: "), err
    assert summary["applied"] == k and summary["refused_line"] == k + 1


# Valid for the schema, refused by the engine: what JSON Schema cannot express.
BEYOND_SCHEMA = [
    ("unknown-need", "need.close", {"need": "N999"}, "/need"),
    ("need-exists", "need.open", {"need": "N001"}, "/need"),
    ("unknown-resident", "need.open", {"resident": "R9999"}, "/resident"),
    ("invalid-transition", "referral.start", {"referral": "G-1"}, "/referral"),
    ("unknown-referral", "referral.offer", {"referral": "G-404"}, "/referral"),
    ("severity-written-as-float", "need.open", {"severity": 3.0}, "/severity"),
    ("self-tie", "tie.add", {"helped": "R0001", "helper": "R0001"}, "/helped"),
    ("unknown-option", "referral.propose", {"option": "no-such-offer"}, "/option"),
    ("resident-household-unknown", "resident.add", {"resident": {**GOOD[1]["resident"], "household": "H999"}},
     "/resident/household"),
]


@pytest.mark.parametrize("type_,change,expected", [pytest.param(*c[1:], id=c[0]) for c in BEYOND_SCHEMA])
def test_rules_beyond_the_schema(engine, type_, change, expected):
    k = index_of(type_)
    bad = mutated(type_, change)
    assert schema_problems(bad) == set()
    rc, err, _ = engine(GOOD[:k] + [bad])
    assert rc == 2
    assert err.startswith(f"line {k + 1}: event {bad['id']}: {expected}: "), err
