"""Ensembles made from the observed history itself, scaled, for hindcast and fit tests."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from routesim.ensemble import Ensemble
from routesim.hindcast import load_observed_history
from routesim.outcomes import METRICS
from routesim.routes import ROUTES
from routesim.scenario import load_scenario

#: Route and year to the factor on the observed figures (1 where not given).
Bias = Callable[[str, int], float]


def observed_ensemble(
    years: tuple[int, int], factors: tuple[float, ...], bias: Bias | None = None
) -> Ensemble:
    """Replicates that put each observed month, times the replicate's factor and the
    route-year's bias, on the month's first day."""
    observed = load_observed_history()
    observed = observed[observed["month"].dt.year.between(*years)]
    if bias is not None:
        scale = [bias(r, m.year) for r, m in zip(observed["route"], observed["month"], strict=True)]
        observed = observed.assign(
            detections=observed["detections"] * scale, dead_missing=observed["dead_missing"] * scale
        )
    days = pd.date_range(f"{years[0]}-01-01", f"{years[1]}-12-31", freq="D")
    frames = []
    for replicate, factor in enumerate(factors):
        grid = pd.MultiIndex.from_product([days, ROUTES], names=["date", "route"])
        daily = pd.DataFrame(0.0, index=grid, columns=list(METRICS))
        for metric in ("detections", "dead_missing"):
            values = observed.set_index(["month", "route"])[metric] * factor
            daily.loc[values.index, metric] = values.to_numpy()
        daily = daily.reset_index()
        daily.insert(0, "day", (daily["date"] - days[0]).dt.days)
        daily.insert(0, "seed", replicate)
        daily.insert(0, "replicate", replicate)
        frames.append(daily)
    scenario = load_scenario(
        "history-2015-2023", [f"scenario.start={years[0]}-01-01", f"scenario.days={len(days)}"]
    )
    return Ensemble(scenario, 0, tuple(range(len(factors))), 10.0, pd.concat(frames))
