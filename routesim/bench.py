"""Benchmark: how fast and how big a full-year run is, at a given scale.

Each measurement runs in a fresh process, so that its peak memory is its own
and not the high-water mark of earlier runs or of the benchmark itself.
Figures are printed, never asserted: machines here are shared and noisy.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class BenchResult:
    """What one benchmark run measured."""

    scenario: str
    scale: float
    days: int
    seed: int
    wall_seconds: float
    setup_seconds: float
    peak_memory_mb: float
    people: float
    agent_rows: int
    events: int
    person_days: float

    @property
    def person_days_per_second(self) -> float:
        """Simulated person-days per second of wall time (setup included)."""
        return self.person_days / self.wall_seconds

    def as_dict(self) -> dict[str, float | int | str]:
        """The result with its derived rate, for JSON output."""
        return {**asdict(self), "person_days_per_second": self.person_days_per_second}


def measure(
    scenario: str, scale: float, seed: int = 0, overrides: tuple[str, ...] = ()
) -> BenchResult:
    """Run one full scenario in a fresh process and measure it."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_measure_here, scenario, scale, seed, overrides).result()


def _measure_here(
    scenario: str, scale: float, seed: int, overrides: tuple[str, ...]
) -> BenchResult:
    from routesim.geography import load_geography
    from routesim.model import RouteModel
    from routesim.scenario import load_scenario

    start = time.perf_counter()
    config = load_scenario(scenario, overrides)
    model = RouteModel(config, seed=seed, scale=scale, geography=load_geography())
    setup = time.perf_counter() - start
    model.run()
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return BenchResult(
        scenario=config.scenario.name,
        scale=scale,
        days=model.warmup + model.days,
        seed=seed,
        wall_seconds=wall,
        setup_seconds=setup,
        peak_memory_mb=peak_kb / 1024 if sys.platform != "darwin" else peak_kb / 2**20,
        people=model.migrants.size * scale,
        agent_rows=model.migrants.size,
        events=model.events_processed,
        person_days=model.person_days(),
    )


def format_results(results: list[BenchResult]) -> str:
    """A plain-text table of benchmark results."""
    header = (
        f"{'scenario':<16} {'scale':>6} {'days':>5} {'wall s':>8} {'setup s':>8} {'peak MB':>8} "
        f"{'people':>10} {'rows':>9} {'events':>9} {'person-days':>13} {'p-days/s':>11}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.scenario:<16} {r.scale:>6g} {r.days:>5} {r.wall_seconds:>8.2f} "
            f"{r.setup_seconds:>8.2f} {r.peak_memory_mb:>8.0f} {r.people:>10,.0f} "
            f"{r.agent_rows:>9,} {r.events:>9,} "
            f"{r.person_days:>13,.0f} {r.person_days_per_second:>11,.0f}"
        )
    return "\n".join(lines)
