"""The GIL is released around heavy work, and Ctrl-C interrupts it."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

import wijkmatch


@pytest.fixture(scope="module")
def medium():
    """A model whose allocation takes a few tenths of a second."""
    return wijkmatch.generate(residents=80_000, seed=2)


@pytest.fixture(scope="module")
def big():
    """A model whose allocation takes long enough to watch (about a second, one thread)."""
    return wijkmatch.generate(residents=200_000, seed=2)


def test_python_runs_while_allocating(medium):
    """A pure-Python thread keeps counting while another thread is inside allocate()."""
    inside = threading.Event()
    finished = threading.Event()
    ticks_inside = []

    def counter():
        while not finished.is_set():
            if inside.is_set():
                ticks_inside.append(time.perf_counter())
            time.sleep(0.001)

    def progress(done, total):
        # Called with the GIL just before the heavy work and just after it.
        (inside.set if done == 0 else inside.clear)()

    t = threading.Thread(target=counter)
    t.start()
    try:
        started = time.perf_counter()
        wijkmatch.allocate(medium, threads=1, progress=progress)
        elapsed = time.perf_counter() - started
    finally:
        finished.set()
        t.join()
    assert elapsed > 0.1
    assert len(ticks_inside) >= 10, (len(ticks_inside), elapsed)


def test_two_allocations_overlap(medium):
    """Two threads are inside allocate() at the same time (the intervals between the calls'
    own start and end callbacks overlap), which a held GIL would forbid."""
    barrier = threading.Barrier(2)
    spans = {}

    def run(name):
        marks = {}

        def progress(done, total):
            marks[done] = time.perf_counter()

        barrier.wait()
        wijkmatch.allocate(medium, mode="stable", threads=1, progress=progress)
        spans[name] = (marks[0], marks[1])

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (a0, a1), (b0, b1) = spans["a"], spans["b"]
    assert max(a0, b0) < min(a1, b1), spans


def test_rank_releases_the_gil(medium):
    inside = threading.Event()
    ticks = []
    result = {}

    def work():
        inside.set()
        result["r"] = wijkmatch.rank(medium, threads=1)
        inside.clear()

    t = threading.Thread(target=work)
    t.start()
    inside.wait()
    while t.is_alive():
        ticks.append(1)
        time.sleep(0.001)
    t.join()
    assert len(result["r"]) > 0
    assert len(ticks) >= 10


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread() or os.name != "posix",
                    reason="signals reach the main thread on POSIX only")
def test_ctrl_c_interrupts_allocation(big):
    """SIGINT during allocate() raises KeyboardInterrupt while the allocation is still running."""
    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            wijkmatch.allocate(big, threads=1)
        interrupted_after = time.perf_counter() - started
        # Returned before the abandoned work finished: it is still running.
        assert wijkmatch._core._background_running() >= 1, interrupted_after
    finally:
        timer.cancel()
        wijkmatch._core._join_background()
    assert wijkmatch._core._background_running() == 0
    # The module still works afterwards.
    assert wijkmatch.allocate(wijkmatch.generate(residents=500, seed=1)).objective["needs"] >= 0
