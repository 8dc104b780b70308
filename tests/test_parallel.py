"""The local process pool: results, cancelling, and stopping workers that are mid-task."""

from __future__ import annotations

import os
import threading
import time

import psutil
import pytest

from routesim.parallel import CancelledError, ProcessPool

#: Far longer than any test here waits: a test that has to wait for it has failed.
LONG_S = 120.0


def _square(x: int) -> int:
    return x * x


def _sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_map_unordered_returns_every_result() -> None:
    with ProcessPool(2) as pool:
        assert sorted(pool.map_unordered(_square, range(6))) == [0, 1, 4, 9, 16, 25]


def test_a_set_cancel_event_stops_the_running_task_at_once() -> None:
    cancel = threading.Event()
    with pytest.raises(CancelledError), ProcessPool(1) as pool:
        results = pool.map_unordered(_sleep_then_pid, [0.0, LONG_S], cancel)
        worker = next(results)
        threading.Timer(1.0, cancel.set).start()
        started = time.monotonic()
        next(results)
    assert time.monotonic() - started < LONG_S / 4
    assert _gone(worker), "the worker still runs its task"


def test_an_error_in_the_with_block_does_not_wait_for_running_tasks() -> None:
    with pytest.raises(KeyError), ProcessPool(1) as pool:
        results = pool.map_unordered(_sleep_then_pid, [0.0, LONG_S])
        worker = next(results)
        started = time.monotonic()
        raise KeyError("the caller fails while a task still runs")
    assert time.monotonic() - started < LONG_S / 4
    assert _gone(worker), "the worker still runs its task"
