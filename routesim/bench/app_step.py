"""One app frame at teaching scale: a model step plus the redraw of map and charts.

Steps the app's `LiveRun` over the first days of the baseline after its warm-up, and
times each frame's parts as the app does them: the model step, the map overlay, and
the charts. The redraw is the server side (building the SVG the browser receives);
the browser's own painting of it is not included.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from routesim.bench.measuring import in_fresh_process
from routesim.bench.tables import format_table

#: The parts of a frame, in the order they happen, and their sum.
PARTS = ("step", "map", "charts", "total")


@dataclass(frozen=True)
class FrameTimes:
    """Milliseconds one part of a frame took, over the frames measured."""

    median_ms: float
    p95_ms: float
    max_ms: float


@dataclass(frozen=True)
class AppStepResult:
    """What the app frame benchmark measured."""

    scenario: str
    scale: float
    seed: int
    days: int
    warmup_days: int
    warmup_seconds: float
    base_map_ms: float
    boats_median: float
    boats_max: int
    frames: dict[str, FrameTimes]

    def as_dict(self) -> dict[str, object]:
        """The result as plain data, for JSON output."""
        return asdict(self)


def measure_app_step(scale: float, days: int = 120, seed: int = 1) -> AppStepResult:
    """Time the app's frames over ``days`` days of the baseline, in a fresh process.

    Args:
        scale: People per agent row (the app's is `routesim.app.live.TEACHING_SCALE`).
        days: Frames (days) to time, after the warm-up.
        seed: Model seed.

    Returns:
        Median, 95th percentile and maximum milliseconds per frame part.
    """
    return in_fresh_process(_app_step_here, scale, days, seed)


def _app_step_here(scale: float, days: int, seed: int) -> AppStepResult:
    from routesim.app.charts import flows_chart, totals_chart
    from routesim.app.frame import Frame
    from routesim.app.live import LiveRun, LiveSettings
    from routesim.app.map import map_layers
    from routesim.app.reference import year_reference
    from routesim.geography import shared_geography
    from routesim.observed import load_observed
    from routesim.routes import ROUTES

    geography = shared_geography()
    started = time.perf_counter()
    layers = map_layers(geography, None)
    base_ms = (time.perf_counter() - started) * 1000
    reference = year_reference(load_observed(), 2023, faint=False)
    started = time.perf_counter()
    run = LiveRun(LiveSettings(seed=seed, scale=scale), geography)
    warmup_seconds = time.perf_counter() - started
    meta = run.scenario.scenario
    times: dict[str, list[float]] = {part: [] for part in PARTS}
    boats = []
    for _ in range(days):
        t0 = time.perf_counter()
        run.advance(1)
        t1 = time.perf_counter()
        overlay = layers.overlay(Frame.of(run))
        t2 = time.perf_counter()
        daily = run.daily()
        done = run.days_done
        flows_chart(daily, ROUTES, reference, meta.start, meta.days, done)
        totals_chart(daily, ROUTES, reference, meta.start, done)
        t3 = time.perf_counter()
        for part, seconds in zip(PARTS, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
            times[part].append(seconds * 1000)
        boats.append(overlay.count('class="boat"'))
    return AppStepResult(
        scenario=meta.name,
        scale=scale,
        seed=seed,
        days=days,
        warmup_days=run.model.warmup,
        warmup_seconds=warmup_seconds,
        base_map_ms=base_ms,
        boats_median=float(np.median(boats)),
        boats_max=max(boats),
        frames={part: _frame_times(values) for part, values in times.items()},
    )


def _frame_times(milliseconds: list[float]) -> FrameTimes:
    values = np.asarray(milliseconds)
    return FrameTimes(
        median_ms=float(np.median(values)),
        p95_ms=float(np.percentile(values, 95)),
        max_ms=float(values.max()),
    )


def format_app_step(result: AppStepResult) -> str:
    """A plain-text table of frame times, with the run it came from."""
    run = (
        f"{result.scenario}, scale {result.scale:g}, seed {result.seed}: {result.days} days "
        f"after a {result.warmup_days}-day warm-up ({result.warmup_seconds:.2f} s); "
        f"map base drawn once in {result.base_map_ms:.0f} ms; "
        f"boats per frame: median {result.boats_median:.0f}, max {result.boats_max}"
    )
    columns = (("ms per frame", "<13"), ("median", ">7.1f"), ("p95", ">7.1f"), ("max", ">7.1f"))
    rows = ((part, t.median_ms, t.p95_ms, t.max_ms) for part, t in result.frames.items())
    return f"{run}\n{format_table(columns, rows)}"
