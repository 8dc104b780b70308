"""What every benchmark measurement shares: a fresh process, peak memory, medians.

Each measurement runs in a fresh process, so that its peak memory is its own and
not the high-water mark of earlier runs or of the benchmark itself.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import resource
import statistics
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def in_fresh_process[T](function: Callable[..., T], *args: Any) -> T:
    """Call ``function(*args)`` in a new interpreter and return its result.

    Args:
        function: A module-level function (it is pickled by name).
        *args: Its arguments, picklable.

    Returns:
        What the function returned.
    """
    # spawn, not fork: a fork would inherit the parent's memory and so its peak.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def peak_memory_mb() -> float:
    """The peak resident memory of this process so far, in MB."""
    # Linux's ru_maxrss keeps the high-water mark of the image replaced by exec, here the
    # parent's forked copy, so a spawned child would report at least its parent's size.
    # VmHWM is the current image's own.
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Elsewhere: macOS reports bytes, other systems kilobytes.
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def median_of[T: DataclassInstance](results: Sequence[T], fields: Sequence[str]) -> T:
    """One result whose timed fields are the medians over repeats of the same measurement.

    Args:
        results: Frozen dataclass instances measuring the same thing; at least one.
        fields: The fields that vary between repeats (times, memory).

    Returns:
        The first result with those fields replaced by their medians.
    """
    medians = {
        name: statistics.median(getattr(result, name) for result in results) for name in fields
    }
    return dataclasses.replace(results[0], **medians)
