"""The whole benchmark: full-year runs by scale, scaling, app frames, a sweep, Flee, targets.

`run_suite` measures, `format_report` prints a table, `BenchReport.as_dict` is the
JSON document (``routesim bench --json PATH``). Figures are printed, never asserted:
machines here are shared and noisy. Targets (issue 8, on a 2-core machine) are checked
as PASS/FAIL lines only.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from routesim.app.live import TEACHING_SCALE
from routesim.bench import flee as flee_bench
from routesim.bench import runs as run_bench
from routesim.bench.app_step import AppStepResult, format_app_step, measure_app_step
from routesim.bench.before import Pair, compare, format_pairs, target_runs
from routesim.bench.flee import FleeResult, format_flee, measure_flee
from routesim.bench.measuring import median_of
from routesim.bench.runs import BenchResult, format_results, measure
from routesim.bench.sweep import SweepBenchResult, format_sweep, measure_sweep
from routesim.parallel import ProcessPool

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

#: Version of the JSON document's layout.
SCHEMA = "routesim-bench/2"
#: Targets of issue 8.
FULL_RUN_SECONDS = 60.0
FULL_RUN_PEAK_MB = 2048.0
TEACHING_YEAR_SECONDS = 2.0
FLEE_RATIO = 50.0


@dataclass(frozen=True)
class BenchSettings:
    """What to measure.

    Attributes:
        scenario: Scenario name or path.
        overrides: ``KEY=VALUE`` overrides of the scenario.
        seed: Model seed of every run.
        scales: People per agent row of the full-year runs; the teaching scale is added.
        repeats: Runs of each full-year and Flee measurement; medians are reported.
        app_days: Frames of the app benchmark; 0 skips it.
        sweep_runs: Runs of the sweep benchmark; 0 skips it.
        sweep_scale: People per agent row of the sweep's runs.
        workers: Worker processes of the sweep.
        flee_agents: Agent counts of the Flee runs; empty skips them.
        flee_days: Days of each Flee run.
        flee_locations: Places of Flee's synthetic network.
        before: A git revision whose code is measured beside the current code (the
            speed targets' runs), or None.
    """

    scenario: str = "baseline-2023"
    overrides: tuple[str, ...] = ()
    seed: int = 0
    scales: tuple[float, ...] = (100.0, 10.0, 3.0, 1.0)
    repeats: int = 1
    app_days: int = 120
    sweep_runs: int = 200
    sweep_scale: float = 100.0
    workers: int = 2
    flee_agents: tuple[int, ...] = ()
    flee_days: int = 30
    flee_locations: int = 50
    before: str | None = None

    @property
    def run_scales(self) -> tuple[float, ...]:
        """The scales run: those asked for, then the teaching scale if missing, largest first."""
        return tuple(sorted({*self.scales, TEACHING_SCALE}, reverse=True))


@dataclass(frozen=True)
class Growth:
    """How a measure grows with agent rows, fitted over the scales run.

    Attributes:
        exponent: Slope of log(value) on log(rows): 1 is linear, below 1 means a fixed
            cost weighs on the small runs.
        fixed: Intercept of the straight-line fit value = fixed + slope × rows.
        per_million_rows: Its slope, per million rows.
        r_squared: How well the straight line fits (1 is perfectly linear growth).
    """

    exponent: float
    fixed: float
    per_million_rows: float
    r_squared: float


def fit_growth(rows: Sequence[float], values: Sequence[float]) -> Growth | None:
    """Fit a measure's growth with agent rows, in log-log and as a straight line.

    Args:
        rows: Agent rows of each run.
        values: The measure (seconds, MB) of each run, positive.

    Returns:
        The fit, or None with fewer than two distinct row counts.
    """
    x = np.asarray(rows, dtype=float)
    y = np.asarray(values, dtype=float)
    if len(np.unique(x)) < 2:
        return None
    exponent = np.polyfit(np.log(x), np.log(y), 1)[0]
    slope, fixed = np.polyfit(x, y, 1)
    spread = float(np.sum((y - y.mean()) ** 2))
    residual = float(np.sum((y - (fixed + slope * x)) ** 2))
    return Growth(
        exponent=float(exponent),
        fixed=float(fixed),
        per_million_rows=float(slope * 1e6),
        r_squared=1.0 - residual / spread if spread > 0 else 1.0,
    )


@dataclass(frozen=True)
class Target:
    """One target of issue 8 and the figure measured for it (None: not measured)."""

    name: str
    value: float | None
    limit: float
    unit: str
    at_most: bool

    @property
    def status(self) -> str:
        """PASS, FAIL, or SKIP when the figure was not measured."""
        if self.value is None:
            return "SKIP"
        met = self.value <= self.limit if self.at_most else self.value >= self.limit
        return "PASS" if met else "FAIL"

    def line(self) -> str:
        """The target's verdict as one line."""
        sign = "<=" if self.at_most else ">="
        if self.value is None:
            value = "not measured"
        else:
            # Three significant figures, without exponents for the large ones.
            digits = f"{self.value:,.0f}" if abs(self.value) >= 100 else f"{self.value:.3g}"
            value = f"{digits} {self.unit}"
        return f"{self.status}  {self.name}: {value} (target {sign} {self.limit:g} {self.unit})"


@dataclass(frozen=True)
class BenchReport:
    """Everything a benchmark measured.

    Attributes:
        settings: What was asked for.
        machine: Where and when it ran, with the load average before and after.
        runs: Every full-year run, all repeats.
        app_step: The app frame benchmark, if run.
        sweep: The sweep benchmark, if run.
        flee_runs: Every Flee run, all repeats.
        pairs: The code before and after, if a revision was given.
    """

    settings: BenchSettings
    machine: dict[str, Any]
    runs: list[BenchResult]
    app_step: AppStepResult | None = None
    sweep: SweepBenchResult | None = None
    flee_runs: list[FleeResult] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)

    @property
    def scales(self) -> list[BenchResult]:
        """One run per scale, its times and memory the medians over repeats."""
        return _medians(self.runs, lambda r: r.scale, run_bench.TIMED_FIELDS)

    @property
    def flee(self) -> list[FleeResult]:
        """One Flee run per agent count, its times and memory the medians over repeats."""
        return _medians(self.flee_runs, lambda r: r.agents, flee_bench.TIMED_FIELDS)

    def at_scale(self, scale: float) -> BenchResult | None:
        """The median run at one scale, if it was run."""
        return next((r for r in self.scales if r.scale == scale), None)

    def scaling(self) -> dict[str, Growth | None]:
        """Growth of wall time and peak memory with agent rows over the scales run."""
        rows = [r.agent_rows for r in self.scales]
        return {
            "time": fit_growth(rows, [r.wall_seconds for r in self.scales]),
            "memory": fit_growth(rows, [r.peak_memory_mb for r in self.scales]),
        }

    def flee_ratio(self) -> float | None:
        """Person-days per second at scale 1 over Flee's fastest agent-days per second."""
        full = self.at_scale(1.0)
        if full is None or not self.flee_runs:
            return None
        return full.person_days_per_second / max(r.agent_days_per_second for r in self.flee)

    def targets(self) -> list[Target]:
        """The targets of issue 8 with the figures measured for them."""
        full = self.at_scale(1.0)
        teaching = self.at_scale(TEACHING_SCALE)
        return [
            Target(
                "full year at scale 1, wall time",
                full.wall_seconds if full else None,
                FULL_RUN_SECONDS,
                "s",
                at_most=True,
            ),
            Target(
                "full year at scale 1, peak memory",
                full.peak_memory_mb if full else None,
                FULL_RUN_PEAK_MB,
                "MB",
                at_most=True,
            ),
            Target(
                f"teaching year (scale {TEACHING_SCALE:g}), wall time",
                teaching.wall_seconds if teaching else None,
                TEACHING_YEAR_SECONDS,
                "s",
                at_most=True,
            ),
            Target(
                "person-days/s at scale 1 over Flee's agent-days/s",
                self.flee_ratio(),
                FLEE_RATIO,
                "x",
                at_most=False,
            ),
        ]

    def as_dict(self) -> dict[str, object]:
        """The whole report as one JSON-ready document."""
        return {
            "schema": SCHEMA,
            "machine": self.machine,
            "settings": {**asdict(self.settings), "run_scales": list(self.settings.run_scales)},
            "runs": [r.as_dict() for r in self.runs],
            "scales": [r.as_dict() for r in self.scales],
            "scaling": {
                name: asdict(growth) if growth else None for name, growth in self.scaling().items()
            },
            "app_step": self.app_step.as_dict() if self.app_step else None,
            "sweep": self.sweep.as_dict() if self.sweep else None,
            "flee": {
                "runs": [r.as_dict() for r in self.flee_runs],
                "medians": [r.as_dict() for r in self.flee],
                "ratio": self.flee_ratio(),
            }
            if self.flee_runs
            else None,
            "targets": [{**asdict(t), "status": t.status} for t in self.targets()],
            "before_after": [p.as_dict() for p in self.pairs] if self.pairs else None,
        }


def _medians[T: DataclassInstance](
    results: list[T], key: Callable[[T], float], fields: Sequence[str]
) -> list[T]:
    groups: dict[float, list[T]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return [median_of(group, fields) for group in groups.values()]


def machine_info() -> dict[str, Any]:
    """Where and when the benchmark runs: host, Python, cores, time and load average."""
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "load_average_before": list(os.getloadavg()),
    }


def run_suite(settings: BenchSettings, progress: Callable[[str], None]) -> BenchReport:
    """Run every measurement the settings ask for, each in a fresh process.

    Repeats go round all scales in turn, so that a busy spell on the machine spreads
    over the scales instead of landing on one.

    Args:
        settings: What to measure.
        progress: Called with a line before and after each measurement.

    Returns:
        The report.
    """
    machine = machine_info()
    runs: list[BenchResult] = []
    scales = settings.run_scales
    total = settings.repeats * len(scales)
    for repeat in range(settings.repeats):
        for scale in scales:
            progress(
                f"[{len(runs) + 1}/{total}] {settings.scenario} full run at scale {scale:g}"
                f" (repeat {repeat + 1}/{settings.repeats})..."
            )
            result = measure(settings.scenario, scale, settings.seed, settings.overrides)
            progress(
                f"    {result.wall_seconds:.1f} s, {result.peak_memory_mb:.0f} MB, "
                f"{result.person_days_per_second:,.0f} person-days/s"
            )
            runs.append(result)

    app_step = None
    if settings.app_days:
        progress(f"app frames at scale {TEACHING_SCALE:g} over {settings.app_days} days...")
        app_step = measure_app_step(TEACHING_SCALE, settings.app_days)
        progress(f"    median step {app_step.frames['step'].median_ms:.1f} ms")

    sweep = None
    if settings.sweep_runs:
        progress(
            f"sweep of {settings.sweep_runs} runs at scale {settings.sweep_scale:g} "
            f"on {settings.workers} workers..."
        )
        sweep = measure_sweep(
            settings.scenario,
            settings.overrides,
            settings.sweep_runs,
            settings.sweep_scale,
            ProcessPool(settings.workers),
        )
        progress(f"    {sweep.wall_seconds:.1f} s, {sweep.runs_per_minute:.1f} runs/min")

    flee_runs: list[FleeResult] = []
    for repeat in range(settings.repeats if settings.flee_agents else 0):
        for agents in settings.flee_agents:
            progress(
                f"Flee: {agents:,} agents, {settings.flee_days} days "
                f"(repeat {repeat + 1}/{settings.repeats})..."
            )
            flee = measure_flee(agents, settings.flee_days, settings.flee_locations, settings.seed)
            progress(
                f"    {flee.wall_seconds:.1f} s, {flee.peak_memory_mb:.0f} MB, "
                f"{flee.agent_days_per_second:,.0f} agent-days/s"
            )
            flee_runs.append(flee)

    pairs = []
    if settings.before is not None:
        pairs = compare(
            settings.before,
            target_runs(settings.scenario),
            settings.seed,
            settings.repeats,
            progress,
        )

    machine["load_average_after"] = list(os.getloadavg())
    return BenchReport(settings, machine, runs, app_step, sweep, flee_runs, pairs)


def format_report(report: BenchReport) -> str:
    """The report as plain-text tables, the scaling fit and the target verdicts."""
    settings = report.settings
    before = ", ".join(f"{x:.2f}" for x in report.machine["load_average_before"])
    sections = [
        f"{report.machine['cpus']} CPUs, {report.machine['platform']}, Python "
        f"{report.machine['python']}; load average at start {before}",
        f"Full-year runs, each in a fresh process; medians of {settings.repeats} "
        f"repeat{'s' if settings.repeats > 1 else ''}\n{format_results(report.scales)}",
        _format_scaling(report),
    ]
    if report.app_step:
        sections.append(
            f"App frame at teaching scale ({TEACHING_SCALE:g} people per agent)\n"
            + format_app_step(report.app_step)
        )
    if report.sweep:
        sections.append(format_sweep(report.sweep))
    if report.flee_runs:
        ratio = report.flee_ratio()
        versus = (
            f"routesim at scale 1 / Flee's fastest: {ratio:,.0f}x"
            if ratio is not None
            else "routesim at scale 1 not run: no ratio"
        )
        sections.append(
            f"Flee on a {settings.flee_locations}-place synthetic network; medians of "
            f"{settings.repeats}\n{format_flee(report.flee)}\n{versus}"
        )
    sections.append("Targets\n" + "\n".join(t.line() for t in report.targets()))
    if report.pairs:
        sections.append(format_pairs(report.pairs, settings.before or ""))
    return "\n\n".join(sections)


def _format_scaling(report: BenchReport) -> str:
    rows = [r.agent_rows for r in report.scales]
    lines = [f"Scaling over {len(rows)} scales ({min(rows):,} to {max(rows):,} agent rows)"]
    for (name, growth), unit in zip(report.scaling().items(), ("s", "MB"), strict=True):
        if growth is None:
            lines.append(f"  {name}: needs two scales or more")
            continue
        lines.append(
            f"  {name:<6} grows as rows^{growth.exponent:.2f} ({_shape(growth.exponent)}); "
            f"straight line: {growth.fixed:,.1f} {unit} + {growth.per_million_rows:,.1f} {unit} "
            f"per million rows, R^2 {growth.r_squared:.3f}"
        )
    return "\n".join(lines)


def _shape(exponent: float) -> str:
    if exponent > 1.1:
        return "faster than linear"
    if exponent >= 0.9:
        return "about linear"
    return "slower than linear: a fixed cost weighs on the small runs"
