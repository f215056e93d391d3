"""Type stub of the wijkmatch package (the compiled core is wijkmatch._core)."""
from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import distributed as distributed

__version__: str
__all__: List[str]

PathLike = Union[str, "os.PathLike[str]"]
NeedRef = Union[str, int]
PolicyArg = Union[None, "Policy", Mapping[str, Any], PathLike]
Progress = Optional[Callable[[int, int], Any]]
Table = Union[pd.DataFrame, Mapping[str, Any], np.ndarray, None]

LIFE_DOMAINS: List[str]
LADDER_LEVELS: List[str]
TIE_KINDS: List[str]
AGE_BANDS: List[str]
NEED_STATUSES: List[str]
DAYS: List[str]
DAY_PARTS: List[str]
FEATURES: List[str]
REJECT_REASONS: List[str]
ALLOCATION_MODES: List[str]
MODEL_FORMAT_VERSION: int

# ---- errors ---------------------------------------------------------------------------------

class Problem(NamedTuple):
    """One problem in an input document: where (a JSON pointer) and why."""
    pointer: str
    reason: str

class Error(RuntimeError):
    """Base of every exception wijkmatch raises for its own reasons."""

class InputError(Error, ValueError):
    """Input that was rejected; ``problems`` lists every (pointer, reason) found."""
    problems: List[Problem]
    def __init__(self, message: str, problems: Sequence[tuple] = ...) -> None: ...

# ---- model ----------------------------------------------------------------------------------

class Model:
    """A neighbourhood, city or country: households, residents, ties, needs, offers, professionals."""
    def __init__(self) -> None: ...
    @property
    def counts(self) -> Dict[str, int]: ...
    def columns(self, entity: str) -> Dict[str, Union[np.ndarray, List[Any]]]: ...
    def frame(self, entity: str) -> pd.DataFrame: ...
    def to_pandas(self) -> Dict[str, pd.DataFrame]: ...
    def to_json(self, indent: int = 2) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def save(self, path: PathLike) -> None: ...
    def municipalities(self) -> List[str]: ...
    def need_keys(self, open_only: bool = False) -> List[str]: ...
    def __eq__(self, other: object) -> bool: ...

def load(path: PathLike, max_problems: int = 100, max_bytes: int = 1 << 30, max_depth: int = 32) -> Model:
    """Reads a model file; raises InputError listing every problem."""
def loads(text: str, max_problems: int = 100, max_depth: int = 32) -> Model:
    """Parses a format v1 JSON document; raises InputError listing every problem."""
def save(model: Model, path: PathLike) -> None:
    """Writes a model (binary for .wjm, JSON otherwise)."""
def validate(path: PathLike, max_problems: int = 100) -> List[Problem]:
    """Every problem of a model file; empty when valid."""
def validate_text(text: str, max_problems: int = 100) -> List[Problem]:
    """Every problem of a format v1 JSON document; empty when valid."""
def from_frames(households: Table = None, residents: Table = None, ties: Table = None, needs: Table = None,
                offers: Table = None, professionals: Table = None, *, max_problems: int = 100) -> Model:
    """Builds a model from pandas frames, dicts of numpy arrays or structured arrays."""
def schedule_to_dict(bits: int) -> Dict[str, List[str]]:
    """A 21-bit schedule mask as {day: [day parts]}."""
def schedule_from_dict(schedule: Mapping[str, Sequence[str]]) -> int:
    """{day: [day parts]} as a 21-bit schedule mask."""
def merge_models(models: Sequence[Model]) -> Model:
    """One model holding every entity of `models`; InputError on duplicate keys."""
def split_model(model: Model, groups: Sequence[Sequence[str]]) -> List[Model]:
    """One model per group of municipality codes."""

# ---- policy ---------------------------------------------------------------------------------

class Policy:
    """A ranking policy: ladder, weights, acceptable score, exceptions and overrides."""
    def __init__(self) -> None: ...
    @staticmethod
    def from_json(text: str) -> Policy: ...
    @staticmethod
    def load(path: PathLike) -> Policy: ...
    @staticmethod
    def from_dict(document: Mapping[str, Any]) -> Policy: ...
    @property
    def ladder(self) -> List[str]: ...
    @property
    def weights(self) -> Dict[str, float]: ...
    @property
    def acceptable_score(self) -> float: ...
    @property
    def introduction_factor(self) -> float: ...
    @property
    def overloaded_helper_hours(self) -> float: ...
    @property
    def consideration_margin_m(self) -> float: ...
    @property
    def provision_radius_m(self) -> float: ...
    def to_json(self, indent: int = 2) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def replace(self, **changes: Any) -> Policy: ...

def load_policy(path: PathLike) -> Policy:
    """Reads a policy file; raises InputError listing every problem."""
def default_policy() -> Policy:
    """The documented default policy."""

# ---- summary --------------------------------------------------------------------------------

class Summary:
    """Counts a team looks at first."""
    households: int
    residents: int
    ties: int
    needs: int
    open_needs: int
    offers: int
    professionals: int
    neighbourhoods: int
    crisis_needs: int
    safety_reports: int
    rent_arrears_needs: int
    caseload_cap: int
    caseload: int
    informal_hours_per_week: float
    informal_hours_used: float
    informal_helpers: int
    overloaded_helpers: int
    residents_without_ties: int
    @property
    def open_needs_by_domain(self) -> Dict[str, int]: ...
    @property
    def open_needs_by_severity(self) -> Dict[int, int]: ...
    @property
    def by_level(self) -> Dict[str, Dict[str, int]]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, indent: int = 2) -> str: ...
    def to_text(self) -> str: ...
    def to_pandas(self) -> pd.DataFrame: ...

def summary(model: Model) -> Summary:
    """Counts a team looks at first."""

# ---- ranking and plans ----------------------------------------------------------------------

class Ranking:
    """The ranked options for one need."""
    @property
    def need(self) -> str: ...
    @property
    def exception(self) -> Optional[Dict[str, str]]: ...
    @property
    def options(self) -> List[Dict[str, Any]]: ...
    @property
    def rejected(self) -> List[Dict[str, Any]]: ...
    @property
    def deferred(self) -> List[Dict[str, Any]]: ...
    @property
    def proposal(self) -> Optional[Dict[str, Any]]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_text(self) -> str: ...
    def to_pandas(self) -> pd.DataFrame: ...

class Rankings:
    """Rankings of several needs; a sequence of Ranking."""
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Ranking: ...
    def __iter__(self) -> Iterator[Ranking]: ...
    def to_pandas(self) -> pd.DataFrame: ...
    def rejections(self) -> pd.DataFrame: ...
    def proposals(self) -> pd.DataFrame: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_text(self) -> str: ...

class Ranker:
    """Indexes over one model for one policy; ranks any number of needs."""
    def __init__(self, model: Model, policy: PolicyArg = None) -> None: ...
    def rank(self, need: NeedRef) -> Ranking: ...
    def rank_all(self, threads: int = 0) -> Rankings: ...
    def rank_many(self, needs: Sequence[NeedRef]) -> Rankings: ...
    @property
    def model(self) -> Model: ...
    @property
    def policy(self) -> Policy: ...

def rank(model: Model, needs: Union[None, NeedRef, Sequence[NeedRef]] = None, policy: PolicyArg = None,
         threads: int = 0) -> Rankings:
    """Ranks every need that is not closed, one need, or a list of needs."""

class HouseholdPlan:
    """One plan per household: rankings, combined offers, a coordinator."""
    @property
    def household(self) -> str: ...
    @property
    def coordinator(self) -> Optional[str]: ...
    @property
    def rankings(self) -> Rankings: ...
    @property
    def combined(self) -> List[Dict[str, Any]]: ...
    @property
    def candidates(self) -> pd.DataFrame: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_text(self) -> str: ...
    def to_pandas(self) -> pd.DataFrame: ...

def plan(model: Model, household: Union[str, int], policy: PolicyArg = None) -> HouseholdPlan:
    """The plan of one household."""

# ---- allocation -----------------------------------------------------------------------------

class AllocationResult:
    """Allocation of every open need: assignments, waiting list, use of capacity, objective."""
    @property
    def mode(self) -> str: ...
    @property
    def objective(self) -> Dict[str, Any]: ...
    @property
    def hindsight(self) -> Optional[Dict[str, Any]]: ...
    @property
    def blocking_pairs(self) -> int: ...
    @property
    def notes(self) -> List[str]: ...
    @property
    def assignments(self) -> pd.DataFrame: ...
    @property
    def waiting(self) -> pd.DataFrame: ...
    @property
    def offers(self) -> pd.DataFrame: ...
    @property
    def professionals(self) -> pd.DataFrame: ...
    def to_pandas(self) -> pd.DataFrame: ...
    def frames(self) -> Dict[str, pd.DataFrame]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_text(self) -> str: ...

def allocate(model: Model, mode: str = "optimal", *, policy: PolicyArg = None, group_minimum: str = "heuristic",
             threads: int = 0, hours_per_informal_need: float = 2.0, online_history_share: float = 0.5,
             exact_group_limit: int = 14, progress: Progress = None) -> AllocationResult:
    """Allocates every open need at once under capacity (modes: optimal, stable, online)."""
def allocate_many(models: Sequence[Model], mode: str = "optimal", *, policy: PolicyArg = None,
                  group_minimum: str = "heuristic", threads: int = 0, hours_per_informal_need: float = 2.0,
                  online_history_share: float = 0.5, exact_group_limit: int = 14,
                  progress: Progress = None) -> List[AllocationResult]:
    """Allocates several independent models one after the other."""
def allocation_candidates(model: Model, mode: str = "optimal", *, policy: PolicyArg = None,
                          group_minimum: str = "heuristic", threads: int = 0,
                          hours_per_informal_need: float = 2.0, online_history_share: float = 0.5,
                          exact_group_limit: int = 14) -> Dict[str, Any]:
    """The allocation problem as flat tables (needs, resources, candidates, first)."""
def allocation_network(model: Model, mode: str = "optimal", *, policy: PolicyArg = None,
                       group_minimum: str = "heuristic", threads: int = 0, hours_per_informal_need: float = 2.0,
                       online_history_share: float = 0.5, exact_group_limit: int = 14) -> MinCostFlow:
    """The stage-1 network of the optimal mode."""

class MinCostFlow:
    """Exact minimum-cost flow."""
    def __init__(self, node_count: int = 0) -> None: ...
    @staticmethod
    def from_arrays(supply: Any, tail: Any, head: Any, lower: Any, upper: Any, cost: Any) -> MinCostFlow: ...
    def add_node(self) -> int: ...
    def set_supply(self, node: int, supply: int) -> None: ...
    def add_arc(self, tail: int, head: int, lower: int, upper: int, cost: int) -> int: ...
    def solve(self, algorithm: str = "automatic") -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def algorithm_used(self) -> str: ...
    @property
    def node_count(self) -> int: ...
    @property
    def arc_count(self) -> int: ...
    @property
    def optimal_cost(self) -> int: ...
    def flow(self, arc: int) -> int: ...
    def potential(self, node: int) -> int: ...
    def reduced_cost(self, arc: int) -> int: ...
    def flows(self) -> np.ndarray: ...
    def potentials(self) -> np.ndarray: ...
    def arrays(self) -> Dict[str, np.ndarray]: ...

# ---- generator and areas --------------------------------------------------------------------

def generate(residents: int = 1000, seed: int = 1, municipalities: int = 1, needs_per_100: float = 4.0,
             offers_per_1000: float = 4.0, professionals_per_10000: float = 6.0) -> Model:
    """A synthetic, valid model (seeded, deterministic)."""
def municipality_count(residents: int = 1000, seed: int = 1, municipalities: int = 1, needs_per_100: float = 4.0,
                       offers_per_1000: float = 4.0, professionals_per_10000: float = 6.0) -> int:
    """Number of municipalities these options generate."""
def municipality_residents(index: int, residents: int = 1000, seed: int = 1, municipalities: int = 1,
                           needs_per_100: float = 4.0, offers_per_1000: float = 4.0,
                           professionals_per_10000: float = 6.0) -> int:
    """Residents of one municipality under these options."""
def generate_municipality(index: int, residents: int = 1000, seed: int = 1, municipalities: int = 1,
                          needs_per_100: float = 4.0, offers_per_1000: float = 4.0,
                          professionals_per_10000: float = 6.0) -> Model:
    """One municipality alone, equal to its part of generate()."""
def generate_to_directory(directory: PathLike, format: str = "binary", residents: int = 1000, seed: int = 1,
                          municipalities: int = 1, needs_per_100: float = 4.0, offers_per_1000: float = 4.0,
                          professionals_per_10000: float = 6.0) -> Dict[str, Any]:
    """One model file per municipality and manifest.json; returns the report."""

def municipality_of(code: str) -> str:
    """'BU03440101' or 'WK034401' -> 'GM0344'."""
def district_of(code: str) -> str:
    """'BU03440101' -> 'WK034401'."""
def check_area_code(code: str, level: str = "neighbourhood") -> Optional[str]:
    """Why `code` is not a CBS code of `level`, or None."""
