"""Sweep throughput: runs per minute of a sweep, on the local process pool or any backend.

The sweep is a Latin hypercube over two levers (NGO rescue vessels and the rescue
pull assumption) with 2 replicates per point, on the benchmark's scenario resolved
with its overrides, run to its full length. Wall time includes starting the workers
and writing every run's results, as a real sweep's does.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from routesim.parallel import Backend
from routesim.scenario import load_scenario
from routesim.sweeps.config import load_sweep
from routesim.sweeps.runner import run_sweep
from routesim.sweeps.storage import RunStore

#: Seeds per design point; a sweep of ``runs`` runs has ``runs / REPLICATES`` points.
REPLICATES = 2

_CONFIG = """
[sweep]
name = "bench"
seed = 11
replicates = {replicates}
scale = {scale}

[base]
scenario = "scenario.toml"

[design]
kind = "latin_hypercube"
samples = {samples}

[parameters."levers.ngo_vessels"]
low = 0
high = 15

[parameters."assumptions.rescue_pull"]
low = 0.0
high = 1.0
"""


@dataclass(frozen=True)
class SweepBenchResult:
    """What the sweep benchmark measured."""

    scenario: str
    runs: int
    days_per_run: int
    scale: float
    workers: int
    wall_seconds: float

    @property
    def runs_per_minute(self) -> float:
        """Runs finished and stored per minute of wall time."""
        return self.runs / self.wall_seconds * 60

    def as_dict(self) -> dict[str, float | int | str]:
        """The result with its derived rate, for JSON output."""
        return {**asdict(self), "runs_per_minute": self.runs_per_minute}


def measure_sweep(
    scenario: str,
    overrides: tuple[str, ...],
    runs: int,
    scale: float,
    backend: Backend,
) -> SweepBenchResult:
    """Run a sweep of ``runs`` runs into a temporary folder and time it.

    Args:
        scenario: Scenario name or path, the sweep's base.
        overrides: ``KEY=VALUE`` overrides of the scenario.
        runs: Runs in the sweep; a positive multiple of `REPLICATES`.
        scale: People per agent row.
        backend: Where the runs go, e.g. ``ProcessPool(2)``; entered and left here.

    Returns:
        The sweep's size and wall time.
    """
    if runs < REPLICATES or runs % REPLICATES:
        raise ValueError(f"runs must be a positive multiple of {REPLICATES}, got {runs}")
    base = load_scenario(scenario, overrides)
    with tempfile.TemporaryDirectory(prefix="routesim-sweep-bench-") as tmp:
        folder = Path(tmp)
        (folder / "scenario.toml").write_text(base.to_toml(), encoding="utf-8")
        config = folder / "bench.toml"
        text = _CONFIG.format(replicates=REPLICATES, scale=scale, samples=runs // REPLICATES)
        config.write_text(text, encoding="utf-8")
        sweep = load_sweep(config)
        start = time.perf_counter()
        run_sweep(sweep, folder / "out", backend, progress=sys.stderr.isatty())
        wall = time.perf_counter() - start
        stored = len(RunStore.open(folder / "out").read())
    return SweepBenchResult(
        scenario=base.scenario.name,
        runs=stored,
        days_per_run=base.scenario.days + int(base.parameters.warmup_days),
        scale=scale,
        workers=backend.workers,
        wall_seconds=wall,
    )


def format_sweep(result: SweepBenchResult) -> str:
    """One line: the sweep's size, wall time and runs per minute."""
    workers = f"{result.workers} worker{'s' if result.workers > 1 else ''}"
    return (
        f"sweep: {result.runs} runs of {result.scenario} ({result.days_per_run} days with "
        f"warm-up) at scale {result.scale:g} on {workers}: "
        f"{result.wall_seconds:.1f} s, {result.runs_per_minute:.1f} runs per minute"
    )
