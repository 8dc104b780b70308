"""Scenario discovery: the boxes of swept inputs where an outcome exceeds a threshold.

The runs of a stored sweep are the cases; a run is of interest when its outcome (a
stored column, ``dead_missing.central_med``) lies above the threshold, which may be
the observed figure of the year the sweep covers. PRIM (``ema_workbench.analysis.prim``)
peels the swept inputs' ranges down to a box holding many of those runs and few others:
its *coverage* is the share of the runs of interest inside the box, its *density* the
share of the runs inside that are of interest. Each box is taken at the densest point of
its peeling trajectory that still covers at least ``min_coverage`` of the runs of interest
it started with.

Files written: ``boxes.csv`` (each box's statistics and restricted ranges, one row per
restricted input), ``trajectory.csv`` (every step of each peeling trajectory),
``trajectory.png`` (density against coverage along it) and ``summary.txt``.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from routesim.observed import load_observed, observed_year
from routesim.routes import ROUTES
from routesim.sweeps import plots
from routesim.sweeps.config import Sweep, SweepError
from routesim.sweeps.outcomes import OUTCOME_ROUTES
from routesim.sweeps.storage import RunStore
from routesim.sweeps.workbench import import_workbench

#: ``--above observed``: the observed figure of the year the sweep covers.
OBSERVED = "observed"

#: Metrics with an observed yearly figure per route.
OBSERVED_METRICS: tuple[str, ...] = ("detections", "dead_missing")

#: Files `discover` writes.
FILES: tuple[str, ...] = ("boxes.csv", "trajectory.csv", "trajectory.png", "summary.txt")


@dataclass(frozen=True)
class Discovery:
    """What `discover` found.

    Attributes:
        outcome: The outcome column.
        threshold: Runs above it are of interest.
        threshold_source: Where the threshold came from (``given`` or the observed year).
        runs: Runs analysed.
        of_interest: Runs above the threshold.
        boxes: One row per box and restricted input: ``box``, ``step``, ``coverage``,
            ``density``, ``mass``, ``n``, ``parameter``, ``low``, ``high``, ``qp_low``,
            ``qp_high`` (``parameter`` empty for a box that restricts nothing).
        trajectory: ``box``, ``step``, ``coverage``, ``density``, ``mass``, ``n``,
            ``res_dim``, ``chosen``: every step of every peeling trajectory.
        files: Paths written.
    """

    outcome: str
    threshold: float
    threshold_source: str
    runs: int
    of_interest: int
    boxes: pd.DataFrame
    trajectory: pd.DataFrame
    files: tuple[Path, ...]

    def summary(self) -> str:
        """A few lines: the threshold, the base rate and each box's ranges."""
        lines = [
            f"{self.outcome} above {self.threshold:,.6g} ({self.threshold_source}): "
            f"{self.of_interest} of {self.runs} runs ({self.of_interest / self.runs:.0%})"
        ]
        for box, rows in self.boxes.groupby("box", sort=True):
            first = rows.iloc[0]
            lines.append(
                f"box {box}: coverage {first['coverage']:.0%}, density {first['density']:.0%}, "
                f"{int(first['n'])} runs (step {int(first['step'])} of its trajectory)"
            )
            restricted = rows[rows["parameter"] != ""]
            if restricted.empty:
                lines.append("  restricts no input: the runs of interest are spread out")
            for row in restricted.itertuples():
                lines.append(f"  {row.parameter}: {row.low:.6g} to {row.high:.6g}")
        return "\n".join(lines)


def discover(
    sweep_dir: str | Path,
    outcome: str,
    above: float | str,
    out: str | Path | None = None,
    boxes: int = 1,
    min_coverage: float = 0.5,
) -> Discovery:
    """Find the boxes of a stored sweep's inputs where ``outcome`` exceeds ``above``.

    Args:
        sweep_dir: The sweep folder (``routesim sweep --out``).
        outcome: A stored outcome column, ``<metric>.<route>`` or a lever target.
        above: The threshold (a number, or its text), or ``"observed"`` for the observed
            figure of the year the sweep's runs cover (detections and dead and missing only).
        out: Report folder; ``<sweep_dir>/discovery`` by default.
        boxes: Boxes to find, one after another on the runs the earlier ones leave out
            (fewer if the earlier boxes hold every run of interest).
        min_coverage: Each box is the densest step of its trajectory covering at least
            this share of the runs of interest it started from.

    Returns:
        The boxes and their trajectories, with the files written.

    Raises:
        SweepError: The folder is not a sweep or holds no runs, the outcome is not
            stored, or the threshold selects no run or every run.
        RoutesimError: The EMA Workbench is not installed.
    """
    store = RunStore.open(sweep_dir)
    sweep = store.sweep()
    runs = store.read()
    if runs.empty:
        raise SweepError(f"{sweep_dir}: no finished runs yet")
    columns = sweep.outcomes.columns()
    if outcome not in columns:
        close = difflib.get_close_matches(outcome, columns, n=1)
        hint = f"did you mean {close[0]}?" if close else f"stored: {', '.join(columns)}"
        raise SweepError(f"{sweep_dir}: no outcome {outcome!r} in this sweep ({hint})")
    threshold, source = _threshold(above, outcome, sweep)
    y = runs[outcome].to_numpy(dtype=np.float64) > threshold
    if not y.any() or y.all():
        values = runs[outcome]
        which = "no run" if not y.any() else "every run"
        raise SweepError(
            f"{outcome} above {threshold:,.6g} ({source}): {which} of {len(runs)} has it (values "
            f"{values.min():,.6g} to {values.max():,.6g}); PRIM needs runs on both sides"
        )

    prim = import_workbench("ema_workbench.analysis.prim")
    names = [p.name for p in sweep.parameters]
    finder = prim.Prim(runs[names].astype(np.float64), y)
    box_rows, steps = [], []
    inside = np.zeros(len(y), dtype=bool)
    for number in range(1, boxes + 1):
        if not (y & ~inside).any():  # every run of interest is in an earlier box
            break
        box = finder.find_box()
        trajectory = box.peeling_trajectory
        chosen = _chosen_step(trajectory, min_coverage)
        # Selecting the step also decides which runs the next box starts from.
        box.select(chosen)
        inside[box.yi] = True
        steps.append(_steps(trajectory, number, chosen))
        box_rows.extend(_box_rows(box, number, chosen))

    target = Path(out) if out is not None else Path(sweep_dir) / "discovery"
    target.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(box_rows)
    steps_table = pd.concat(steps, ignore_index=True)
    boxes_csv, trajectory_csv, trajectory_png, summary_txt = (target / name for name in FILES)
    table.to_csv(boxes_csv, index=False, float_format="%.6g")
    steps_table.to_csv(trajectory_csv, index=False, float_format="%.6g")
    title = f"{sweep.name}: {outcome} above {threshold:,.6g}"
    plots.plot_trajectory(steps_table, title, trajectory_png)
    discovery = Discovery(
        outcome=outcome,
        threshold=threshold,
        threshold_source=source,
        runs=len(runs),
        of_interest=int(y.sum()),
        boxes=table,
        trajectory=steps_table,
        files=(boxes_csv, trajectory_csv, trajectory_png, summary_txt),
    )
    summary_txt.write_text(discovery.summary() + "\n", encoding="utf-8")
    return discovery


def _threshold(above: float | str, outcome: str, sweep: Sweep) -> tuple[float, str]:
    if above != OBSERVED:
        try:
            value = float(above)
        except ValueError:
            raise SweepError(f"--above {above!r}: expected a number or {OBSERVED!r}") from None
        if not math.isfinite(value):
            raise SweepError(f"--above {above!r}: expected a finite number")
        return value, "given"
    metric, _, route = outcome.partition(".")
    if metric not in OBSERVED_METRICS or route not in OUTCOME_ROUTES:
        raise SweepError(
            f"--above observed: only {' and '.join(OBSERVED_METRICS)} per route have observed "
            f"figures, not {outcome}: give a number"
        )
    meta = sweep.base.scenario
    year = observed_year(meta.start, meta.days)
    if year is None:
        raise SweepError(
            f"--above observed: the sweep's runs cover {meta.days} days from {meta.start}, "
            "not a whole year with observed figures: give a number"
        )
    observed = load_observed(year)
    per_route = {
        route: float(
            observed.detections_total(route)
            if metric == "detections"
            else observed.dead_missing[route]
        )
        for route in ROUTES
    }
    value = sum(per_route.values()) if route == "all" else per_route[route]
    return value, f"observed {year}"


def _chosen_step(trajectory: pd.DataFrame, min_coverage: float) -> int:
    """The densest step covering at least ``min_coverage`` of the box's start (ties: wider)."""
    start = float(trajectory["coverage"].iloc[0])
    eligible = trajectory[trajectory["coverage"] >= min_coverage * start]
    best = eligible.sort_values(["density", "coverage"], ascending=False, kind="stable")
    return int(best.index[0])


def _steps(trajectory: pd.DataFrame, number: int, chosen: int) -> pd.DataFrame:
    steps = trajectory[["coverage", "density", "mass", "n", "res_dim"]].astype(
        {"n": np.int64, "res_dim": np.int64}
    )
    steps.insert(0, "step", np.arange(len(steps)))
    steps.insert(0, "box", number)
    return steps.assign(chosen=steps["step"] == chosen)


def _box_rows(box: Any, number: int, chosen: int) -> list[dict[str, object]]:
    stats, limits = box.inspect(chosen, style="data")[0]
    common = {
        "box": number,
        "step": chosen,
        **{key: float(stats[key]) for key in ("coverage", "density", "mass")},
        "n": int(stats["n"]),
    }
    if limits.empty:
        unrestricted = dict.fromkeys(("low", "high", "qp_low", "qp_high"), np.nan)
        return [{**common, "parameter": "", **unrestricted}]
    # Columns: min, max and the two quasi-p values of each bound (NaN if not restricted).
    values = limits.to_numpy(dtype=np.float64)
    return [
        {
            **common,
            "parameter": parameter,
            "low": values[i, 0],
            "high": values[i, 1],
            "qp_low": values[i, 2],
            "qp_high": values[i, 3],
        }
        for i, parameter in enumerate(limits.index)
    ]
