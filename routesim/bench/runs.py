"""Full-year runs: how fast and how big a scenario's run is at a given scale."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from routesim.bench.measuring import in_fresh_process, peak_memory_mb
from routesim.bench.tables import format_table

#: The fields of a `BenchResult` that differ between repeats of the same run.
TIMED_FIELDS = ("wall_seconds", "setup_seconds", "peak_memory_mb")


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
    """Run one full scenario (warm-up included) in a fresh process and measure it.

    Args:
        scenario: Scenario name or path.
        scale: People per agent row.
        seed: Model seed.
        overrides: ``KEY=VALUE`` overrides of the scenario.

    Returns:
        Wall time (setup included), peak memory, people, agent rows, events and person-days.
    """
    return in_fresh_process(_measure_here, scenario, scale, seed, overrides)


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
    return BenchResult(
        scenario=config.scenario.name,
        scale=scale,
        days=model.warmup + model.days,
        seed=seed,
        wall_seconds=wall,
        setup_seconds=setup,
        peak_memory_mb=peak_memory_mb(),
        people=float(model.migrants.people.sum()),
        agent_rows=model.migrants.size,
        events=model.events_scheduled,
        person_days=model.person_days(),
    )


def format_results(results: list[BenchResult]) -> str:
    """A plain-text table of benchmark results."""
    return format_table(
        _COLUMNS,
        (
            (
                r.scenario,
                r.scale,
                r.days,
                r.wall_seconds,
                r.setup_seconds,
                r.peak_memory_mb,
                r.people,
                r.agent_rows,
                r.events,
                r.person_days,
                r.person_days_per_second,
            )
            for r in results
        ),
    )


_COLUMNS = (
    ("scenario", "<16"),
    ("scale", ">6g"),
    ("days", ">5"),
    ("wall s", ">8.2f"),
    ("setup s", ">8.2f"),
    ("peak MB", ">8.0f"),
    ("people", ">10,.0f"),
    ("rows", ">9,"),
    ("events", ">9,"),
    ("person-days", ">13,.0f"),
    ("p-days/s", ">11,.0f"),
)
