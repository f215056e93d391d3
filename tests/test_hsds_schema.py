"""HSDS: export-hsds writes documents that the Open Referral HSDS 3.1 JSON Schemas accept, the
mapping files agree with schema/wijkmatch-hsds-mapping.schema.json, and an export imports back
to the same offers.

Run with `/usr/bin/python3 -m pytest tests/test_hsds_schema.py`; needs python3-jsonschema and
WIJKMATCH_CLI, the built `wijkmatch` program (CTest sets it). The HSDS schemas come from
../shared/data/hsds/schema beside the checkout; without them those tests are skipped.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
HSDS_SCHEMA = ROOT.parent / "shared" / "data" / "hsds" / "schema"
MAPPING_SCHEMA = json.loads((ROOT / "schema" / "wijkmatch-hsds-mapping.schema.json").read_text(encoding="utf-8"))
EXAMPLE = ROOT / "examples" / "data" / "neighbourhood.json"
TEST_DATA = ROOT / "tests" / "data" / "hsds"
MAPPINGS = [ROOT / "examples" / "data" / "hsds-mapping-default.json",
            ROOT / "examples" / "data" / "hsds-mapping-amsterdam.json", TEST_DATA / "mapping.json"]


def cli():
    path = os.environ.get("WIJKMATCH_CLI")
    if not path:
        pytest.skip("WIJKMATCH_CLI is not set: point it at the built `wijkmatch` program")
    return path


def run(*args):
    return subprocess.run([cli(), *map(str, args)], capture_output=True, text=True, check=False)


def service_validator():
    if not (HSDS_SCHEMA / "service.json").exists():
        pytest.skip(f"HSDS schemas absent at {HSDS_SCHEMA}")
    schema = json.loads((HSDS_SCHEMA / "service.json").read_text(encoding="utf-8"))
    # The HSDS schemas refer to each other by file name ("organization.json").
    resolver = jsonschema.RefResolver(base_uri=HSDS_SCHEMA.as_uri() + "/", referrer=schema)
    return jsonschema.Draft202012Validator(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("mapping", MAPPINGS, ids=lambda p: p.name)
def test_mapping_files_follow_the_schema(mapping):
    jsonschema.Draft202012Validator(MAPPING_SCHEMA).validate(json.loads(mapping.read_text(encoding="utf-8")))


def test_schema_and_loader_refuse_the_same_bad_rule(tmp_path):
    bad = {"format": "wijkmatch-hsds-mapping", "format_version": 1,
           "rules": [{"name": "Meals", "domains": {"finances": 1.5}}]}
    assert list(jsonschema.Draft202012Validator(MAPPING_SCHEMA).iter_errors(bad))
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    r = run("import-hsds", TEST_DATA / "directory.json", "--mapping", tmp_path / "bad.json", tmp_path / "out.json")
    assert r.returncode == 2
    assert "/rules/0/domains/finances" in r.stderr
    assert not (tmp_path / "out.json").exists()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("hsds") / "export.json"
    r = run("export-hsds", EXAMPLE, out, "--as-of", "2026-03-01")
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text(encoding="utf-8")), out


def test_export_is_valid_hsds_3_1(exported):
    services, _ = exported
    validator = service_validator()
    assert len(services) == len(json.loads(EXAMPLE.read_text(encoding="utf-8"))["offers"])
    for s in services:
        errors = sorted(validator.iter_errors(s), key=lambda e: list(e.absolute_path))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
        sal = s["service_at_locations"][0]
        assert sal["location"]["external_identifier_type"] == "cbs_buurt"
        assert s["capacities"][0]["maximum"] >= s["capacities"][0]["available"]


def test_a_broken_export_is_caught(exported):
    services, _ = exported
    validator = service_validator()
    broken = json.loads(json.dumps(services[0]))
    broken["capacities"][0]["available"] = "many"
    del broken["status"]
    assert len(list(validator.iter_errors(broken))) == 2


def test_export_imports_back_to_the_same_offers(exported, tmp_path):
    _, path = exported
    r = run("import-hsds", path, "--mapping", TEST_DATA / "mapping.json", tmp_path / "back.json", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["unmapped"] == [] and report["warnings"] == []
    before = {o["key"]: o for o in json.loads(EXAMPLE.read_text(encoding="utf-8"))["offers"]}
    after = {o["key"]: o for o in json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))["offers"]}
    assert before.keys() == after.keys()
    # HSDS cannot carry who of the residents runs or helps an offer; unconfirmed offers come
    # back confirmed on the export day.
    lost = {"organiser", "volunteers", "initiative", "hours_per_seat"}
    for key, o in before.items():
        a = dict(after[key])
        assert a.pop("confirmed") == o.get("confirmed", "2026-03-01")
        kept = {k: v for k, v in o.items() if k not in lost and k != "confirmed"}
        if o.get("organiser", {}).get("kind") == "team":
            assert a.pop("organiser") == o["organiser"]
        assert {k: v for k, v in a.items() if k not in lost} == kept, key
