"""wijkmatch: matches Dutch residents' needs to what their neighbourhood offers, collective first.

The whole engine from Python, with data in and out as numpy arrays and pandas frames::

    import wijkmatch

    model = wijkmatch.load("examples/data/neighbourhood.json")   # raises wijkmatch.InputError
    print(wijkmatch.summary(model).to_text())
    rankings = wijkmatch.rank(model)                             # every need not closed
    rankings.to_pandas()                                         # one row per option
    plan = wijkmatch.plan(model, "H001")                         # one household
    meetings = wijkmatch.plan_start_meetings(model, weeks=4, capacity=8)  # Samen Welkom
    result = wijkmatch.allocate(model, mode="optimal")           # every open need at once
    result.assignments                                           # DataFrame
    engine = wijkmatch.Engine(model)                             # the live engine
    engine.apply({"id": "e1", "type": "need.close", "at": "2026-11-30", "need": "N001"})
    country = wijkmatch.generate(residents=50_000, seed=7, municipalities=12)

Heavy calls release the GIL and stop at Ctrl-C. Country-wide runs on Dask:
``wijkmatch.distributed`` (imported on first use).
"""
from __future__ import annotations

import atexit as _atexit
from typing import Any, List

from . import _core
from ._errors import Error, EventError, InputError, Problem
from ._frames import from_frames, schedule_from_dict, schedule_to_dict
from .monitor import MonitorReport, monitor
from .simulate import SimulationResult, simulate, simulate_monitor
from ._core import (
    AllocationResult,
    Engine,
    GroupProposals,
    HouseholdPlan,
    MinCostFlow,
    Model,
    Policy,
    Ranker,
    Ranking,
    Rankings,
    StartMeetingPlan,
    Summary,
    allocate,
    allocate_many,
    allocation_candidates,
    allocation_network,
    check_area_code,
    district_of,
    generate,
    generate_municipality,
    generate_to_directory,
    load,
    loads,
    merge_models,
    municipality_count,
    municipality_of,
    municipality_residents,
    plan,
    plan_start_meetings,
    propose_groups,
    rank,
    split_model,
    summary,
    validate,
    validate_text,
    import_hsds,
    export_hsds,
)

__version__: str = _core.__version__

#: Life domains (ZRM 2017 plus parenting), ladder levels and the rest of the vocabulary, in
#: the order of the C++ enums; every name the API takes or returns is one of these.
LIFE_DOMAINS: List[str] = list(_core.LIFE_DOMAINS)
LADDER_LEVELS: List[str] = list(_core.LADDER_LEVELS)
TIE_KINDS: List[str] = list(_core.TIE_KINDS)
AGE_BANDS: List[str] = list(_core.AGE_BANDS)
NEED_STATUSES: List[str] = list(_core.NEED_STATUSES)
DAYS: List[str] = list(_core.DAYS)
DAY_PARTS: List[str] = list(_core.DAY_PARTS)
FEATURES: List[str] = list(_core.FEATURES)
REJECT_REASONS: List[str] = list(_core.REJECT_REASONS)
ALLOCATION_MODES: List[str] = list(_core.ALLOCATION_MODES)
#: The live engine's codes (docs/engine.md): referral states, decline reasons, ending reasons
#: (iWmo "reden beeindiging" codes and goal_reached) and the parts of a household's plan.
REFERRAL_STATES: List[str] = list(_core.REFERRAL_STATES)
DECLINE_REASONS: List[str] = list(_core.DECLINE_REASONS)
ENDING_REASONS: List[str] = list(_core.ENDING_REASONS)
PLAN_PARTS: List[str] = list(_core.PLAN_PARTS)
#: Format version of model documents this build reads and writes.
MODEL_FORMAT_VERSION: int = _core.model_format_version


def load_policy(path: Any) -> Policy:
    """Reads a policy file (JSON); raises InputError listing every problem."""
    return Policy.load(path)


def default_policy() -> Policy:
    """The documented default policy (schema/policy-default.json)."""
    return Policy()


def save(model: Model, path: Any) -> None:
    """Writes a model: binary for a ``.wjm`` path, format v1 JSON otherwise."""
    model.save(path)


def __getattr__(name: str) -> Any:
    # `wijkmatch.distributed` without importing dask for everyone who does not use it.
    if name == "distributed":
        import importlib

        return importlib.import_module(".distributed", __name__)
    raise AttributeError(f"module 'wijkmatch' has no attribute '{name}'")


@_atexit.register
def _finish_background_work() -> None:
    # Work abandoned at Ctrl-C keeps running on its own threads; let it end before exit.
    _core._join_background()


__all__ = [
    "__version__",
    # errors
    "Error", "InputError", "EventError", "Problem",
    # model in and out
    "Model", "load", "loads", "save", "validate", "validate_text", "from_frames",
    "schedule_to_dict", "schedule_from_dict", "merge_models", "split_model",
    # policy
    "Policy", "load_policy", "default_policy",
    # engine
    "Summary", "summary", "Ranker", "Ranking", "Rankings", "rank", "HouseholdPlan", "plan",
    "AllocationResult", "allocate", "allocate_many", "allocation_candidates", "allocation_network",
    "MinCostFlow",
    # start meetings (Samen Welkom)
    "StartMeetingPlan", "plan_start_meetings",
    # new groups where needs recur
    "GroupProposals", "propose_groups",
    # the live engine
    "Engine", "REFERRAL_STATES", "DECLINE_REASONS", "ENDING_REASONS", "PLAN_PARTS",
    # generator
    "generate", "generate_municipality", "municipality_count", "municipality_residents", "generate_to_directory",
    # areas
    "municipality_of", "district_of", "check_area_code",
    # vocabulary
    "LIFE_DOMAINS", "LADDER_LEVELS", "TIE_KINDS", "AGE_BANDS", "NEED_STATUSES", "DAYS",
    "DAY_PARTS", "FEATURES", "REJECT_REASONS", "ALLOCATION_MODES", "MODEL_FORMAT_VERSION",
    # country-wide runs
    "distributed",
    # real directories in and out (Open Referral HSDS, the Amsterdam directory)
    "import_hsds", "export_hsds",
    # monitoring with disclosure control
    "MonitorReport", "monitor",
    # what-if simulation
    "SimulationResult", "simulate", "simulate_monitor",
]
