"""Country-wide runs on Dask: allocation and ranking per municipality as tasks on a
``dask.distributed`` cluster, gathered into one frame.

Tasks receive file paths or keys (municipality indices of a generated country), never a
pickled model or graph; each returns small pandas frames and dicts.

Sources
    * a ``wijkmatch.Model`` (or the path of one model file): the driver finds the groups of
      coupled municipalities (below), writes one model file per group to ``workdir`` with
      ``wijkmatch.split_model`` and sends the paths;
    * a directory of model files (``*.json``/``*.wjm``, as ``generate_to_directory`` writes
      them, ``manifest.json`` ignored) or a list of paths: each file is a unit (one or more
      municipalities); workers first report each file's footprint, then allocate groups of
      coupled files, merged in the worker;
    * ``Generated(residents=..., seed=..., municipalities=...)``: workers generate their
      municipalities themselves from the options and a municipality index.

Offers that serve several municipalities
    A municipality's residents may reach offers of another municipality: a collective offer
    within their travel distance plus the policy's consideration margin, or a provision
    (basic care, individual, specialist) within the provision radius plus the margin -- the
    ranking's own candidate rule. Ties between residents of different municipalities, a
    professional working in several, and attendance of an offer elsewhere couple them too.
    With ``shared="couple"`` (the default) coupled municipalities are merged into one task
    (connected components), so every resource is allocated once, by the one task that sees
    every need competing for it; for the optimal and stable modes the totals then equal a
    single run on the whole country (lexicographic optimum and resident-optimal stable
    matching both decompose over independent parts; with ``group_minimum="heuristic"`` the
    heuristic's choice of groups to close may differ where it meets ties, and the online mode
    replays each component's stream separately). With ``shared="split"`` every municipality
    is a task of its own: offers serve only the municipality they are in, and ties,
    attendance and work areas across municipalities are dropped -- faster and simpler, not
    equal to a whole-country run.

Workers must reach the files: on a LocalCluster they do; with a remote scheduler put
``workdir`` (and the source files) on storage every worker mounts at the same path.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _core

__all__ = [
    "Generated",
    "CountryResult",
    "CountryRanking",
    "Partition",
    "allocate_country",
    "rank_country",
    "partition",
    "local_client",
    "simulate_replications",
]

ProgressArg = Union[None, bool, Callable[[int, int], Any]]


# ---- sources -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Generated:
    """A synthetic country, generated in the workers municipality by municipality (the
    options of ``wijkmatch.generate``)."""

    residents: int = 1000
    seed: int = 1
    municipalities: int = 1
    needs_per_100: float = 4.0
    offers_per_1000: float = 4.0
    professionals_per_10000: float = 6.0

    def options(self) -> Dict[str, Any]:
        """The options as keyword arguments of wijkmatch.generate."""
        return asdict(self)


@dataclass
class Partition:
    """Which units (files or municipality indices) each task handles.

    ``units`` are file paths or municipality indices; ``groups`` lists, per task, the
    positions in ``units`` it merges; ``municipalities`` the CBS codes per task; ``links``
    the pairs of coupled municipalities found.
    """

    kind: str  # "files" or "generated"
    units: List[Any]
    groups: List[List[int]]
    municipalities: List[List[str]]
    links: List[Tuple[str, str]] = field(default_factory=list)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _couple(footprints: Sequence[Dict[str, Any]]) -> Tuple[List[str], List[Tuple[int, int]], List[List[int]]]:
    """Global municipality codes, coupled pairs (indices into the codes) and, per footprint,
    the indices of its municipalities."""
    c = _core.couple(list(footprints))
    return list(c["municipalities"]), [(int(a), int(b)) for a, b in c["links"]], c["of_footprint"]


def _group_units(unit_munis: List[List[int]], n_codes: int, pairs: Sequence[Tuple[int, int]],
                 shared: str) -> List[List[int]]:
    """Units grouped into tasks: units sharing a municipality, or holding coupled ones, go
    together (shared='couple'); otherwise every unit alone."""
    n = len(unit_munis)
    if shared == "split":
        return [[u] for u in range(n)]
    uf = _UnionFind(n + n_codes)  # units 0..n-1, municipalities n..
    for u, ms in enumerate(unit_munis):
        for m in ms:
            uf.union(u, n + m)
    for a, b in pairs:
        uf.union(n + a, n + b)
    groups: Dict[int, List[int]] = {}
    for u in range(n):
        groups.setdefault(uf.find(u), []).append(u)
    return sorted(groups.values(), key=lambda g: g[0])


def _check_shared(shared: str) -> None:
    if shared not in ("couple", "split"):
        raise ValueError("shared must be 'couple' or 'split'")


def _model_files(source: Union[str, os.PathLike, Sequence[Any]]) -> List[str]:
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if os.path.isdir(path):
            files = sorted(os.path.join(path, f) for f in os.listdir(path)
                           if (f.endswith(".json") or f.endswith(".wjm")) and f != "manifest.json")
            # A municipality written in both formats counts once: prefer the binary file.
            stems = {os.path.splitext(f)[0] for f in files if f.endswith(".wjm")}
            files = [f for f in files if f.endswith(".wjm") or os.path.splitext(f)[0] not in stems]
            if not files:
                raise ValueError(f"no model files (*.json, *.wjm) in {path}")
            return files
        return [path]
    return [os.fspath(p) for p in source]


# ---- worker tasks (module-level: workers import them by name) ------------------------------

def _load_units(kind: str, units: Sequence[Any], spec: Optional[Dict[str, Any]]) -> "_core.Model":
    if kind == "generated":
        parts = [_core.generate_municipality(int(i), **spec) for i in units]
    else:
        parts = [_core.load(p) for p in units]
    return parts[0] if len(parts) == 1 else _core.merge_models(parts)


def _task_footprint(kind: str, unit: Any, spec: Optional[Dict[str, Any]], policy_json: str) -> Dict[str, Any]:
    model = _load_units(kind, [unit], spec)
    return _core.footprint(model, _core.Policy.from_json(policy_json))


def _objective_row(objective: Dict[str, Any]) -> Dict[str, Any]:
    row = {k: objective[k] for k in ("needs", "served", "ladder_steps", "score_milli", "cost_per_month")}
    for level, n in objective["served_by_level"].items():
        row[f"served_{level}"] = n
    return row


def _task_allocate(kind: str, units: Sequence[Any], spec: Optional[Dict[str, Any]], options: Dict[str, Any],
                   group: int) -> Dict[str, Any]:
    started = time.perf_counter()
    model = _load_units(kind, units, spec)
    options = dict(options)
    options["policy"] = _core.Policy.from_json(options["policy"])
    result = _core.allocate(model, **options)
    assignments = result.assignments
    assignments.insert(0, "group", group)
    offers = result.offers
    offers.insert(0, "group", group)
    row = _objective_row(result.objective)
    row.update(group=group, municipalities=model.municipalities(), residents=model.counts["residents"],
               notes=list(result.notes), seconds=time.perf_counter() - started)
    return {"group": row, "assignments": assignments, "offers": offers}


def _task_rank(kind: str, units: Sequence[Any], spec: Optional[Dict[str, Any]], policy_json: str,
               threads: int, group: int) -> pd.DataFrame:
    model = _load_units(kind, units, spec)
    rankings = _core.rank(model, policy=_core.Policy.from_json(policy_json), threads=threads)
    frame = rankings.proposals()
    needs = model.frame("needs")
    residents = model.frame("residents").set_index("key")
    hood = residents.loc[needs.set_index("key").loc[frame["need"], "resident"], "neighbourhood"]
    frame.insert(1, "municipality", [_core.municipality_of(h) for h in hood])
    frame.insert(0, "group", group)
    return frame


# ---- client --------------------------------------------------------------------------------

@contextlib.contextmanager
def local_client(n_workers: int = 2, threads_per_worker: int = 1, processes: bool = True,
                 **cluster_options: Any) -> Iterator[Any]:
    """A ``distributed.Client`` on a fresh LocalCluster, closed on exit. Worker processes
    find this copy of wijkmatch through PYTHONPATH, set for them here."""
    from distributed import Client, LocalCluster
    import logging

    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    old = os.environ.get("PYTHONPATH")
    paths = [package_root] + ([old] if old else [])
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    cluster_options.setdefault("dashboard_address", None)
    # Worker scratch space (dask-worker-space) away from the current directory.
    cluster_options.setdefault("local_directory", tempfile.gettempdir())
    cluster_options.setdefault("silence_logs", logging.ERROR)
    try:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,
                               processes=processes, **cluster_options)
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    try:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


@contextlib.contextmanager
def _client(client: Any, address: Optional[str], n_workers: int, threads_per_worker: int,
            processes: bool) -> Iterator[Any]:
    if client is not None:
        yield client
    elif address is not None:
        from distributed import Client

        c = Client(address)
        try:
            yield c
        finally:
            c.close()
    else:
        with local_client(n_workers, threads_per_worker, processes) as c:
            yield c


class _TextBar:
    """A progress bar on stderr: ``[#####.....] 12/40 tasks``."""

    def __init__(self, label: str = "tasks", width: int = 30, stream: Any = None) -> None:
        self.label, self.width, self.stream = label, width, stream or sys.stderr

    def __call__(self, done: int, total: int) -> None:
        filled = self.width if total == 0 else int(self.width * done / total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {self.label}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _progress_function(progress: ProgressArg, label: str) -> Optional[Callable[[int, int], Any]]:
    if progress is True:
        return _TextBar(label)
    if progress is None or progress is False:
        return None
    if not callable(progress):
        raise TypeError("progress must be None, a bool or a callable(done, total)")
    return progress


def _gather(client: Any, futures: List[Any], progress: Optional[Callable[[int, int], Any]]) -> List[Any]:
    """Results in submission order, calling progress(done, total) as tasks finish."""
    from distributed import as_completed

    total = len(futures)
    if progress:
        progress(0, total)
    position = {f.key: i for i, f in enumerate(futures)}
    results: List[Any] = [None] * total
    done = 0
    try:
        for future in as_completed(futures):
            results[position[future.key]] = future.result()
            done += 1
            if progress:
                progress(done, total)
    except BaseException:
        client.cancel(futures)
        raise
    return results


# ---- partition -----------------------------------------------------------------------------

def _policy_json(policy: Any) -> str:
    if policy is None:
        return _core.Policy().to_json(-1)
    if isinstance(policy, _core.Policy):
        return policy.to_json(-1)
    if isinstance(policy, dict):
        return _core.Policy.from_dict(policy).to_json(-1)
    return _core.Policy.load(policy).to_json(-1)


def partition(source: Any, *, client: Any = None, policy: Any = None, shared: str = "couple",
              workdir: Optional[str] = None, progress: ProgressArg = None) -> Partition:
    """Decides the tasks for ``source`` (see the module documentation): which municipalities
    are coupled and which units each task merges. For a Model, writes one file per group to
    ``workdir`` (created if needed). Footprints of files and generated municipalities are
    computed on ``client`` (required for those sources)."""
    _check_shared(shared)
    policy_json = _policy_json(policy)
    if isinstance(source, (str, os.PathLike)) and os.path.isfile(os.fspath(source)):
        source = _core.load(source)
    if isinstance(source, _core.Model):
        fp = _core.footprint(source, _core.Policy.from_json(policy_json))
        codes, pairs, per_fp = _couple([fp])
        municipality_groups = _group_units([[m] for m in per_fp[0]], len(codes), pairs, shared)
        groups_codes = [[codes[per_fp[0][u]] for u in g] for g in municipality_groups]
        if workdir is None:
            raise ValueError("splitting a model needs a workdir for the group files")
        os.makedirs(workdir, exist_ok=True)
        parts = _core.split_model(source, groups_codes)
        paths = []
        token = uuid.uuid4().hex[:8]
        for i, part in enumerate(parts):
            path = os.path.join(workdir, f"group-{i:05d}-{token}.wjm")
            part.save(path)
            paths.append(path)
        links = [(codes[a], codes[b]) for a, b in pairs]
        return Partition("files", paths, [[i] for i in range(len(paths))], groups_codes, links)
    if client is None:
        raise ValueError("partitioning files or a generated country needs a client")
    if isinstance(source, Generated):
        kind, spec = "generated", source.options()
        units: List[Any] = list(range(_core.municipality_count(**spec)))
    else:
        kind, spec = "files", None
        units = _model_files(source)
    futures = [client.submit(_task_footprint, kind, u, spec, policy_json, pure=False,
                             key=f"wijkmatch-footprint-{i}-{uuid.uuid4().hex[:8]}")
               for i, u in enumerate(units)]
    footprints = _gather(client, futures, _progress_function(progress, "footprints"))
    codes, pairs, per_fp = _couple(footprints)
    groups = _group_units(per_fp, len(codes), pairs, shared)
    if shared == "split":
        # Each unit alone: a unit holding several municipalities still runs as one task.
        pairs = []
    group_codes = [sorted({codes[m] for u in g for m in per_fp[u]}) for g in groups]
    return Partition(kind, units, groups, group_codes, [(codes[a], codes[b]) for a, b in pairs])


def _run_groups(source: Any, task: Callable[..., Any], task_args: Tuple[Any, ...], *, client: Any,
                address: Optional[str], n_workers: int, threads_per_worker: int, processes: bool,
                policy_json: str, shared: str, workdir: Optional[str],
                progress: ProgressArg) -> Tuple[Partition, List[Any]]:
    """Partitions ``source`` and runs ``task(kind, units, spec, *task_args, group)`` once per
    group of coupled units on the cluster; returns the partition and the results in group
    order. A temporary workdir (when none is given) is removed afterwards."""
    bar = _progress_function(progress, "tasks")
    own_workdir = workdir is None
    if own_workdir:
        workdir = tempfile.mkdtemp(prefix="wijkmatch-country-")
    try:
        with _client(client, address, n_workers, threads_per_worker, processes) as c:
            part = partition(source, client=c, policy=_core.Policy.from_json(policy_json), shared=shared,
                             workdir=workdir)
            spec = source.options() if part.kind == "generated" else None
            token = uuid.uuid4().hex[:8]
            futures = [c.submit(task, part.kind, [part.units[u] for u in g], spec, *task_args, i, pure=False,
                                key=f"wijkmatch-{task.__name__.replace('_task_', '')}-{i}-{token}")
                       for i, g in enumerate(part.groups)]
            return part, _gather(c, futures, bar)
    finally:
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


# ---- results -------------------------------------------------------------------------------

_OBJECTIVE_KEYS = ("needs", "served", "ladder_steps", "score_milli", "cost_per_month")


@dataclass
class CountryResult:
    """Allocation of a whole country, gathered from its tasks.

    ``assignments``: one row per open need (the columns of AllocationResult.assignments plus
    ``group``); ``municipalities``: per municipality, open needs, served needs by level, score
    and cost; ``groups``: per task, its exact objective, municipalities and seconds;
    ``offers``: use of every offer; ``totals``: the national objective, with the keys of
    AllocationResult.objective.
    """

    assignments: pd.DataFrame
    municipalities: pd.DataFrame
    groups: pd.DataFrame
    offers: pd.DataFrame
    totals: Dict[str, Any]
    partition: Partition
    seconds: float = 0.0

    def to_pandas(self) -> pd.DataFrame:
        """The assignments of the whole country."""
        return self.assignments

    def to_dict(self) -> Dict[str, Any]:
        """Totals, municipalities and groups as plain Python values."""
        return {
            "totals": self.totals,
            "municipalities": self.municipalities.to_dict(orient="records"),
            "groups": self.groups.drop(columns=["notes"], errors="ignore").to_dict(orient="records"),
        }


def _totals(groups: pd.DataFrame) -> Dict[str, Any]:
    totals: Dict[str, Any] = {k: int(groups[k].sum()) if len(groups) else 0 for k in _OBJECTIVE_KEYS}
    totals["score"] = totals["score_milli"] / 1000.0
    totals["served_by_level"] = {level: int(groups[f"served_{level}"].sum()) if len(groups) else 0
                                 for level in _core.LADDER_LEVELS}
    return totals


def _municipality_frame(assignments: pd.DataFrame) -> pd.DataFrame:
    a = assignments
    frame = pd.DataFrame({"needs": a.groupby("municipality").size()})
    frame["served"] = a.groupby("municipality")["served"].sum().astype(int)
    for level in _core.LADDER_LEVELS:
        frame[f"served_{level}"] = (a["level"] == level).groupby(a["municipality"]).sum().astype(int)
    milli = (a["score"].fillna(0.0) * 1000).round().astype("int64")
    frame["score_milli"] = milli.groupby(a["municipality"]).sum()
    frame["cost_per_month"] = a["cost_per_month"].round().astype("int64").groupby(a["municipality"]).sum()
    frame["group"] = a.groupby("municipality")["group"].first()
    return frame.reset_index()


def allocate_country(source: Any, *, client: Any = None, address: Optional[str] = None, n_workers: int = 2,
                     threads_per_worker: int = 1, processes: bool = True, mode: str = "optimal",
                     policy: Any = None, group_minimum: str = "heuristic", hours_per_informal_need: float = 2.0,
                     online_history_share: float = 0.5, exact_group_limit: int = 14, shared: str = "couple",
                     workdir: Optional[str] = None, progress: ProgressArg = None) -> CountryResult:
    """Allocates a whole country on Dask, one task per group of coupled municipalities.

    source: a Model, the path of a model file, a directory of model files, a list of paths,
    or Generated(...). client: a ``distributed.Client``; without one, ``address`` (a
    scheduler address) or else a LocalCluster of ``n_workers`` (closed afterwards). The
    allocation options are those of wijkmatch.allocate (threads per task = threads_per_worker).
    shared: 'couple' (default) or 'split', see the module documentation. workdir: where group
    files go when a model is split (default: a temporary directory, removed afterwards).
    progress: True for a text bar on stderr, or a callable(done, total).
    """
    _check_shared(shared)
    started = time.perf_counter()
    policy_json = _policy_json(policy)
    options = dict(mode=mode, policy=policy_json, group_minimum=group_minimum, threads=threads_per_worker,
                   hours_per_informal_need=hours_per_informal_need, online_history_share=online_history_share,
                   exact_group_limit=exact_group_limit)
    # Fail on bad options here, not in every task.
    if mode not in _core.ALLOCATION_MODES:
        raise ValueError(f"unknown allocation mode '{mode}'; expected one of {', '.join(_core.ALLOCATION_MODES)}")
    if group_minimum not in ("heuristic", "exact", "ignore"):
        raise ValueError("group_minimum must be 'heuristic', 'exact' or 'ignore'")
    part, results = _run_groups(source, _task_allocate, (options,), client=client, address=address,
                                n_workers=n_workers, threads_per_worker=threads_per_worker, processes=processes,
                                policy_json=policy_json, shared=shared, workdir=workdir, progress=progress)
    groups = pd.DataFrame([r["group"] for r in results])
    assignments = (pd.concat([r["assignments"] for r in results], ignore_index=True) if results
                   else pd.DataFrame())
    offers = pd.concat([r["offers"] for r in results], ignore_index=True) if results else pd.DataFrame()
    municipalities = _municipality_frame(assignments) if len(assignments) else pd.DataFrame()
    return CountryResult(assignments, municipalities, groups, offers, _totals(groups), part,
                         time.perf_counter() - started)


@dataclass
class CountryRanking:
    """Rankings of a whole country: ``proposals`` has one row per need that is not closed
    (group, need, municipality, option, level, score, exception)."""

    proposals: pd.DataFrame
    partition: Partition
    seconds: float = 0.0

    def to_pandas(self) -> pd.DataFrame:
        """The proposals."""
        return self.proposals

    def to_dict(self) -> Dict[str, Any]:
        """The proposals as a list of records."""
        return {"proposals": self.proposals.to_dict(orient="records")}


def rank_country(source: Any, *, client: Any = None, address: Optional[str] = None, n_workers: int = 2,
                 threads_per_worker: int = 1, processes: bool = True, policy: Any = None,
                 shared: str = "couple", workdir: Optional[str] = None,
                 progress: ProgressArg = None) -> CountryRanking:
    """Ranks every need that is not closed, country-wide, one task per group of coupled
    municipalities (arguments as allocate_country). With shared='couple' every need sees the
    same candidates as in a single run on the whole country, so its proposal is the same."""
    _check_shared(shared)
    started = time.perf_counter()
    policy_json = _policy_json(policy)
    part, frames = _run_groups(source, _task_rank, (policy_json, threads_per_worker), client=client,
                               address=address, n_workers=n_workers, threads_per_worker=threads_per_worker,
                               processes=processes, policy_json=policy_json, shared=shared, workdir=workdir,
                               progress=progress)
    proposals = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return CountryRanking(proposals, part, time.perf_counter() - started)


# ---- what-if simulation (docs/simulation.md) -----------------------------------------------

def _task_simulate(path: str, policies: List[Tuple[str, str]], options: Dict[str, Any], policy: int,
                   replication: int) -> Dict[str, Any]:
    """One replication of one policy on the model file at ``path``: a dict of plain values."""
    model = _core.load(path)
    return _core._simulate_replication(model, policies, dict(options, threads=1), policy, replication)


def simulate_replications(model: Any, policies: List[Tuple[str, str]], options: Dict[str, Any], *, client: Any,
                          workdir: Optional[str] = None, progress: ProgressArg = None) -> List[Dict[str, Any]]:
    """Every (policy, replication) of a simulation as one Dask task on ``client``.

    ``model`` is a wijkmatch.Model (written once to ``workdir`` as ``.wjm``, tasks get the path)
    or the path of a model file; ``policies`` are (name, policy JSON) pairs. Each replication
    draws from its own seeded stream, so the replications equal those of a local
    ``wijkmatch.simulate`` with the same options, whichever worker runs them. Returns the
    replication dicts in (policy, replication) order."""
    replications = int(options.get("replications", 10))
    owned = None
    if isinstance(model, _core.Model):
        if workdir is None:
            workdir = owned = tempfile.mkdtemp(prefix="wijkmatch-sim-")
        os.makedirs(workdir, exist_ok=True)
        path = os.path.join(workdir, "simulate-%s.wjm" % uuid.uuid4().hex)
        model.save(path)
    else:
        path = os.fspath(model)
    try:
        futures = [client.submit(_task_simulate, path, policies, options, p, r, pure=False)
                   for p in range(len(policies)) for r in range(replications)]
        return _gather(client, futures, _progress_function(progress, "simulate"))
    finally:
        if owned is not None:
            shutil.rmtree(owned, ignore_errors=True)
