"""Loading, validation, saving and error mapping; the package surface (__all__, docstrings)."""
from __future__ import annotations

import inspect
import json
import os
import pickle
import re

import pytest

import wijkmatch


def test_version_and_all():
    assert isinstance(wijkmatch.__version__, str) and wijkmatch.__version__.count(".") == 2
    for name in wijkmatch.__all__:
        assert hasattr(wijkmatch, name), name
    for name in ("load", "rank", "plan", "allocate", "generate", "summary", "InputError", "from_frames"):
        assert name in wijkmatch.__all__


def _has_doc(obj) -> bool:
    """A docstring beyond the signature line pybind11 writes for every function."""
    lines = (getattr(obj, "__doc__", None) or "").strip().splitlines()
    if lines and re.match(r"^\w+\(.*\)( -> .*)?$", lines[0]):
        lines = lines[1:]
    return any(line.strip() for line in lines)


def _public_members(obj):
    for name, member in inspect.getmembers(obj):
        if name.startswith("_") and name not in ("__init__",):
            continue
        yield name, member


def test_docstrings_everywhere():
    missing = []
    for name in wijkmatch.__all__:
        if name in ("__version__", "distributed") or name.isupper():
            continue
        obj = getattr(wijkmatch, name)
        if not _has_doc(obj):
            missing.append(name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for member_name, member in _public_members(obj):
                if member_name == "__init__" or not (callable(member) or isinstance(member, property)):
                    continue
                if not _has_doc(member):
                    missing.append(f"{name}.{member_name}")
    assert missing == []


def test_load_example(example):
    assert example.counts == {"households": 93, "residents": 229, "ties": 342, "needs": 46, "offers": 23,
                              "professionals": 4}
    assert example.municipalities() == ["GM0344"]
    assert len(example.need_keys()) == 46


def test_input_error_is_value_error_with_problems(tmp_path):
    doc = {"format_version": 1, "households": [], "residents": [{"key": "R1"}], "ties": [], "needs": [],
           "offers": [], "professionals": [], "extra": 1}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(wijkmatch.InputError) as info:
        wijkmatch.load(path)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, wijkmatch.Error)
    assert len(err.problems) >= 2
    for p in err.problems:
        assert isinstance(p, tuple) and len(p) == 2
        pointer, reason = p
        assert isinstance(pointer, str) and isinstance(reason, str) and reason
    pointers = [p.pointer for p in err.problems]
    assert "/extra" in pointers
    assert any(p.startswith("/residents/0") for p in pointers)
    # The message lists the problems, one per line, like the command line.
    assert str(err.problems[0]) in str(err)
    # The same problems without an exception.
    assert wijkmatch.validate(path) == err.problems
    assert wijkmatch.validate_text(json.dumps(doc)) == err.problems
    with pytest.raises(ValueError):
        wijkmatch.loads(json.dumps(doc))


def test_input_error_pickles():
    err = wijkmatch.InputError("x: y", [("/x", "y")])
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is wijkmatch.InputError and back.problems == [("/x", "y")] and str(back) == "x: y"


def test_missing_file_and_truncated_text(tmp_path):
    with pytest.raises(wijkmatch.InputError) as info:
        wijkmatch.load(tmp_path / "nope.json")
    assert info.value.problems[0].pointer == ""
    problems = wijkmatch.validate(tmp_path / "nope.json")
    assert len(problems) == 1 and problems[0].pointer == ""
    with pytest.raises(wijkmatch.InputError):
        wijkmatch.loads('{"format_version": 1, "households": [')


def test_max_problems(tmp_path):
    doc = {"format_version": 1, "households": [{"key": f"H{i}", "neighbourhood": "nope"} for i in range(50)],
           "residents": [], "ties": [], "needs": [], "offers": [], "professionals": []}
    problems = wijkmatch.validate_text(json.dumps(doc), max_problems=5)
    assert 1 <= len(problems) <= 5


def test_valid_document_has_no_problems(example_path):
    assert wijkmatch.validate(example_path) == []


def test_json_round_trip(example, tmp_path):
    assert wijkmatch.loads(example.to_json()) == example
    assert wijkmatch.loads(json.dumps(example.to_dict())) == example
    path = tmp_path / "m.json"
    wijkmatch.save(example, path)
    assert wijkmatch.load(str(path)) == example


def test_binary_round_trip(example, tmp_path):
    path = tmp_path / "m.wjm"
    example.save(path)
    assert wijkmatch.load(path) == example
    assert wijkmatch.validate(path) == []
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(wijkmatch.InputError):
        wijkmatch.load(path)


def test_model_pickles(example):
    assert pickle.loads(pickle.dumps(example)) == example


def test_areas():
    assert wijkmatch.municipality_of("BU03440101") == "GM0344"
    assert wijkmatch.district_of("BU03440101") == "WK034401"
    assert wijkmatch.check_area_code("BU03440101") is None
    assert isinstance(wijkmatch.check_area_code("XX", "municipality"), str)


def test_vocabulary():
    assert len(wijkmatch.LIFE_DOMAINS) == 14 and wijkmatch.LIFE_DOMAINS[0] == "finances"
    assert wijkmatch.LADDER_LEVELS == ["own_network", "collective", "basic_care", "individual", "specialist"]
    assert wijkmatch.ALLOCATION_MODES == ["optimal", "stable", "online"]
    assert wijkmatch.DAYS[0] == "mon" and wijkmatch.DAY_PARTS == ["morning", "afternoon", "evening"]


def test_stub_lists_the_api():
    stub = os.path.join(os.path.dirname(wijkmatch.__file__), "__init__.pyi")
    assert os.path.exists(stub)
    text = open(stub, encoding="utf-8").read()
    for name in wijkmatch.__all__:
        if name in ("distributed",):
            continue
        assert name in text, name
