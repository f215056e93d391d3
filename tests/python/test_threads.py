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
        # Called with (0, total) just before the heavy work and (total, total) just after it.
        if done == 0:
            inside.set()
        elif done == total:
            inside.clear()

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
            marks.setdefault(done, time.perf_counter())

        barrier.wait()
        wijkmatch.allocate(medium, mode="stable", threads=1, progress=progress)
        spans[name] = (marks[0], marks[1000])

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
    """SIGINT during allocate() stops the C++ work at its next check and raises KeyboardInterrupt."""
    full = time.perf_counter()
    wijkmatch.allocate(big, threads=1)
    full = time.perf_counter() - full
    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            wijkmatch.allocate(big, threads=1)
        interrupted_after = time.perf_counter() - started
    finally:
        timer.cancel()
    # Stopped well before the whole allocation would have finished, with nothing left running.
    assert interrupted_after < 0.2 + 0.8 * full, (interrupted_after, full)
    assert wijkmatch._core._background_running() == 0
    # The module still works afterwards.
    assert wijkmatch.allocate(wijkmatch.generate(residents=500, seed=1)).objective["needs"] >= 0


def test_progress_callback_that_raises_stops_the_allocation(big):
    seen = []

    def progress(done, total):
        seen.append(done)
        if 0 < done < total:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        wijkmatch.allocate(big, threads=1, progress=progress)
    assert 1000 not in seen
    assert wijkmatch._core._background_running() == 0
