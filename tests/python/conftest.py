"""Shared fixtures of the Python tests. CTest runs them with PYTHONPATH pointing at the built
package (build/bindings); run by hand, they fall back on build/bindings of this checkout."""
from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
try:
    import wijkmatch  # noqa: F401
except ImportError:  # pragma: no cover - only when run without PYTHONPATH
    sys.path.insert(0, os.path.join(ROOT, "build", "bindings"))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [os.path.join(ROOT, "build", "bindings")] + ([os.environ["PYTHONPATH"]] if "PYTHONPATH" in os.environ else []))
    import wijkmatch  # noqa: F401

EXAMPLE = os.path.join(ROOT, "examples", "data", "neighbourhood.json")


@pytest.fixture(scope="session")
def example_path() -> str:
    return EXAMPLE


@pytest.fixture(scope="session")
def example(example_path):
    import wijkmatch

    return wijkmatch.load(example_path)


@pytest.fixture(scope="session")
def small_country():
    """Options and model of a small synthetic country (4 municipalities)."""
    import wijkmatch

    options = dict(residents=24_000, seed=11, municipalities=4)
    return options, wijkmatch.generate(**options)
