"""Scale invariance: the same scenario's run totals at several scales, side by side.

`--scale` is a resolution (people per agent row): it should change the noise of a
run, never its expected outcome. This measures each scale's ensemble mean and
standard error of a few run totals per route and their relative difference from
the finest scale, the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routesim.ensemble import ALL_ROUTES, run_ensemble
from routesim.routes import ROUTES, SEA_ROUTES
from routesim.scenario import Scenario

#: The run totals compared across scales.
SCALE_METRICS = ("detections", "departures", "dead_missing")

#: The issue's targets: largest relative difference from the finest scale allowed,
#: by (metric, routes), for the coarse scales of the app (50) and sweeps (200).
TARGETS: dict[tuple[str, tuple[str, ...]], float] = {
    ("detections", (ALL_ROUTES,)): 0.10,
    ("dead_missing", (ALL_ROUTES,)): 0.15,
    ("dead_missing", SEA_ROUTES): 0.25,
}


@dataclass(frozen=True)
class ScaleTable:
    """Ensemble means and standard errors per scale, route and metric.

    Attributes:
        table: Columns ``scale``, ``route``, ``metric``, ``mean``, ``se``,
            ``rel_diff`` (from the reference scale's mean) and ``rel_se`` (its
            standard error, from both ensembles' standard errors).
        reference: The finest scale, against which the others are compared.
        replicates: Replicates per scale.
        seed: Base seed of every ensemble.
    """

    table: pd.DataFrame
    reference: float
    replicates: int
    seed: int

    def target_checks(self, scales: Sequence[float]) -> list[tuple[str, float, float, bool]]:
        """Each target at each of `scales`: its label, worst difference, limit, whether met."""
        checks = []
        for scale in scales:
            rows = self.table[self.table["scale"] == scale]
            for (metric, routes), limit in TARGETS.items():
                chosen = rows[(rows["metric"] == metric) & rows["route"].isin(routes)]
                worst = float(chosen["rel_diff"].abs().max())
                label = f"scale {scale:g}, {metric}, {'/'.join(routes)}"
                checks.append((label, worst, limit, worst <= limit))
        return checks


def measure_scales(
    scenario: Scenario,
    scales: Sequence[float],
    replicates: int,
    seed: int = 0,
    workers: int | None = None,
) -> ScaleTable:
    """Run an ensemble of `scenario` at each scale and compare their run totals.

    Every scale runs the same replicate seeds; the finest scale is the reference.
    """
    reference = min(scales)
    frames = []
    for scale in sorted(scales):
        totals = run_ensemble(
            scenario, replicates=replicates, seed=seed, scale=scale, workers=workers
        ).per_replicate()
        grouped = totals.groupby("route", observed=True)[list(SCALE_METRICS)]
        mean = grouped.mean().stack().rename("mean")
        se = (grouped.std(ddof=1) / np.sqrt(replicates)).stack().rename("se")
        frame = pd.concat([mean, se], axis=1).reset_index()
        frame.columns = ["route", "metric", "mean", "se"]
        frames.append(frame.assign(scale=scale))
    table = pd.concat(frames, ignore_index=True)
    table["route"] = table["route"].astype(str)
    base = table[table["scale"] == reference].set_index(["route", "metric"])
    keyed = table.set_index(["route", "metric"])
    ref_mean = base["mean"].reindex(keyed.index).to_numpy()
    ref_se = base["se"].reindex(keyed.index).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["rel_diff"] = table["mean"].to_numpy() / ref_mean - 1.0
        table["rel_se"] = (
            np.hypot(table["se"].to_numpy(), ref_se * table["mean"].to_numpy() / ref_mean)
            / ref_mean
        )
    order = {route: k for k, route in enumerate([*ROUTES, ALL_ROUTES])}
    table = table.sort_values(
        ["metric", "route", "scale"], key=lambda c: c.map(order) if c.name == "route" else c
    )
    columns = ["scale", "route", "metric", "mean", "se", "rel_diff", "rel_se"]
    return ScaleTable(table[columns].reset_index(drop=True), reference, replicates, seed)


def format_scale_table(result: ScaleTable) -> str:
    """The comparison as text: a block per metric, a row per route, a column per scale."""
    table = result.table
    scales = sorted(table["scale"].unique())
    lines = [
        f"Run totals by scale (people per agent): mean ± standard error over "
        f"{result.replicates} replicates (base seed {result.seed}); "
        f"[difference from scale {result.reference:g} ± its standard error]"
    ]
    for metric in SCALE_METRICS:
        lines.append("")
        header = f"{metric:<16}" + "".join(f"{f'scale {s:g}':>32}" for s in scales)
        lines += [header, "-" * len(header)]
        rows = table[table["metric"] == metric]
        for route in dict.fromkeys(rows["route"]):
            cells = []
            for scale in scales:
                row = rows[(rows["route"] == route) & (rows["scale"] == scale)].iloc[0]
                cell = f"{row['mean']:,.0f} ± {row['se']:,.0f}"
                if scale != result.reference:
                    cell += f" [{row['rel_diff']:+.1%} ± {row['rel_se']:.1%}]"
                cells.append(f"{cell:>32}")
            lines.append(f"{route:<16}" + "".join(cells))
    coarse = [s for s in scales if s != result.reference]
    lines += ["", f"Targets (difference from scale {result.reference:g})"]
    for label, worst, limit, met in result.target_checks(coarse):
        lines.append(f"{'PASS' if met else 'FAIL'}  {label}: {worst:.1%} (target <= {limit:.0%})")
    return "\n".join(lines)
