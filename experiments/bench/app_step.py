"""Time one app frame at teaching scale: a model step plus the redraw of map and charts.

Run: ``.venv/bin/python experiments/bench/app_step.py [--scale 50] [--days 120]``.
Prints median and 95th-percentile milliseconds for the step, the map overlay, the
charts and their sum, over the first `--days` days of the baseline after warm-up.
The redraw here is the server side (building the SVG the browser receives); the
browser's own painting of it is not included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np

from routesim.app.charts import flows_chart, totals_chart
from routesim.app.live import LiveRun, RunSettings
from routesim.app.map import map_layers
from routesim.geography import shared_geography
from routesim.observed import load_observed
from routesim.routes import ROUTES


def main() -> None:
    """Measure and print the frame times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=50.0)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    geography = shared_geography()
    started = time.perf_counter()
    layers = map_layers(geography, None)
    base_ms = (time.perf_counter() - started) * 1000
    observed = load_observed()
    started = time.perf_counter()
    run = LiveRun(RunSettings(seed=args.seed, scale=args.scale), geography)
    warmup_s = time.perf_counter() - started
    meta = run.scenario.scenario
    times: dict[str, list[float]] = {"step": [], "map": [], "charts": [], "total": []}
    boats = []
    for _ in range(args.days):
        t0 = time.perf_counter()
        run.advance(1)
        t1 = time.perf_counter()
        overlay = layers.overlay(run.model)
        t2 = time.perf_counter()
        daily = run.daily()
        until = meta.start + dt.timedelta(days=run.days_done - 1)
        html = flows_chart(daily, ROUTES, observed, meta.start, meta.days)
        html += totals_chart(daily, ROUTES, observed, until)
        t3 = time.perf_counter()
        for key, value in (
            ("step", t1 - t0),
            ("map", t2 - t1),
            ("charts", t3 - t2),
            ("total", t3 - t0),
        ):
            times[key].append(value * 1000)
        boats.append(overlay.count('class="boat"'))
    print(
        f"baseline-2023, scale {args.scale:g}, seed {args.seed}: {args.days} days after a "
        f"{run.model.warmup}-day warm-up ({warmup_s:.2f} s); "
        f"map base drawn once in {base_ms:.0f} ms"
    )
    print(f"boats on the map per frame: median {np.median(boats):.0f}, max {max(boats)}")
    print(f"{'ms per frame':<14}{'median':>8}{'p95':>8}{'max':>8}")
    for key, values in times.items():
        v = np.array(values)
        print(f"{key:<14}{np.median(v):8.1f}{np.percentile(v, 95):8.1f}{v.max():8.1f}")


if __name__ == "__main__":
    main()
