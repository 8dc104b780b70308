"""The code before a change, measured beside the current code in the same benchmark run.

Speed claims compare two versions of the code on the same machine at the same time:
figures from another day or another load are not comparable. `checkout` extracts a git
revision of the project into a temporary folder (``git archive``), and `measure_at` runs
one full scenario with that folder's code in a fresh interpreter, through that
version's own `routesim.bench.runs._measure_here`, so both versions are measured alike.
Runs of the two versions alternate, so that a busy spell falls on both.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from routesim.bench.measuring import median_of
from routesim.bench.runs import TIMED_FIELDS, BenchResult, measure
from routesim.bench.tables import format_table
from routesim.errors import RoutesimError

#: The history run of the targets: the whole 2015-2023 scenario.
HISTORY_SCENARIO = "history-2015-2023"
#: Issue 31's targets.
YEAR_AT_SCALE_1_SECONDS = 1.0
SPEEDUP_AT_SCALE_1 = 5.0
TEACHING_YEAR_SECONDS = 0.5
HISTORY_AT_SCALE_10_SECONDS = 6.0

_MEASURE = (
    "import json, sys\n"
    "from dataclasses import asdict\n"
    "from routesim.bench.runs import _measure_here\n"
    "scenario, scale, seed, overrides = json.loads(sys.argv[1])\n"
    "print(json.dumps(asdict(_measure_here(scenario, scale, seed, tuple(overrides)))))\n"
)


def checkout(revision: str, into: Path) -> Path:
    """Extract `revision` of the git repository around this package into `into`.

    Returns:
        The folder holding that version's ``routesim`` package.
    """
    root = Path(__file__).resolve().parents[2]
    try:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", revision, "routesim"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise RoutesimError(
            f"--before {revision}: not a revision of the git repository at {root} "
            f"({detail.decode(errors='replace').strip() or error})"
        ) from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def measure_at(
    tree: Path, scenario: str, scale: float, seed: int, overrides: tuple[str, ...] = ()
) -> BenchResult:
    """Run one full scenario with the code in `tree`, in a fresh interpreter."""
    # Run from the tree itself: the current folder comes first on the module path.
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, json.dumps([scenario, scale, seed, list(overrides)])],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RoutesimError(f"the code before the change failed to run {scenario}: {last}")
    values = json.loads(done.stdout.strip().splitlines()[-1])
    known = {f.name for f in fields(BenchResult)}
    return BenchResult(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class Pair:
    """One measurement of the code before and after, each the median over repeats."""

    label: str
    before: BenchResult
    after: BenchResult

    @property
    def speedup(self) -> float:
        """How many times faster the current code is."""
        return self.before.wall_seconds / self.after.wall_seconds

    def as_dict(self) -> dict[str, object]:
        """The pair for JSON output."""
        return {
            "label": self.label,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "speedup": self.speedup,
        }


def target_runs(scenario: str) -> list[tuple[str, str, float]]:
    """The runs issue 31's targets name: ``(label, scenario, scale)``."""
    return [
        ("year at scale 1", scenario, 1.0),
        ("teaching year (scale 50)", scenario, 50.0),
        ("2015-2023 at scale 10", HISTORY_SCENARIO, 10.0),
    ]


def compare(
    revision: str,
    runs: list[tuple[str, str, float]],
    seed: int,
    repeats: int,
    progress: Callable[[str], None],
) -> list[Pair]:
    """Measure each ``(label, scenario, scale)`` with the code at `revision` and now.

    Returns:
        One pair per run, times and memory the medians over `repeats`.
    """
    with tempfile.TemporaryDirectory(prefix="routesim-before-") as folder:
        tree = checkout(revision, Path(folder))
        measured: dict[str, tuple[list[BenchResult], list[BenchResult]]] = {
            label: ([], []) for label, _, _ in runs
        }
        for repeat in range(repeats):
            for label, scenario, scale in runs:
                progress(f"[{repeat + 1}/{repeats}] {label}: before ({revision}) and after...")
                old = measure_at(tree, scenario, scale, seed)
                new = measure(scenario, scale, seed)
                measured[label][0].append(old)
                measured[label][1].append(new)
                progress(f"    {old.wall_seconds:.2f} s -> {new.wall_seconds:.2f} s")
    return [
        Pair(label, median_of(old, TIMED_FIELDS), median_of(new, TIMED_FIELDS))
        for label, (old, new) in measured.items()
    ]


def format_pairs(pairs: list[Pair], revision: str) -> str:
    """A table of before and after, and the speed targets as PASS/FAIL lines."""
    table = format_table(
        (
            ("run", "<28"),
            ("before s", ">9.2f"),
            ("after s", ">9.2f"),
            ("speed-up", ">8.1f"),
            ("before MB", ">10.0f"),
            ("after MB", ">9.0f"),
        ),
        (
            (
                p.label,
                p.before.wall_seconds,
                p.after.wall_seconds,
                p.speedup,
                p.before.peak_memory_mb,
                p.after.peak_memory_mb,
            )
            for p in pairs
        ),
    )
    by_label = {p.label: p for p in pairs}
    lines = []
    for label, limit, what in (
        ("year at scale 1", YEAR_AT_SCALE_1_SECONDS, "s"),
        ("teaching year (scale 50)", TEACHING_YEAR_SECONDS, "s"),
        ("2015-2023 at scale 10", HISTORY_AT_SCALE_10_SECONDS, "s"),
    ):
        pair = by_label.get(label)
        if pair is None:
            continue
        verdict = "PASS" if pair.after.wall_seconds <= limit else "FAIL"
        seconds = pair.after.wall_seconds
        lines.append(f"{verdict}  {label}: {seconds:.2f} {what} (target <= {limit:g} {what})")
    year = by_label.get("year at scale 1")
    if year is not None:
        verdict = "PASS" if year.speedup >= SPEEDUP_AT_SCALE_1 else "FAIL"
        lines.append(
            f"{verdict}  year at scale 1, speed-up: {year.speedup:.1f}x "
            f"(target >= {SPEEDUP_AT_SCALE_1:g}x)"
        )
    for pair in pairs:
        higher = pair.after.peak_memory_mb > pair.before.peak_memory_mb * 1.05
        verdict = "FAIL" if higher else "PASS"
        lines.append(
            f"{verdict}  {pair.label}, peak memory: {pair.after.peak_memory_mb:.0f} MB "
            f"(before {pair.before.peak_memory_mb:.0f} MB; target no higher, within 5%)"
        )
    heading = f"Before ({revision}) and after, medians, on this machine in this run"
    return f"{heading}\n{table}\n" + "\n".join(lines)
