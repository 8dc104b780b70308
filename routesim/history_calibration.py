"""Joint calibration over past years: one behaviour and one set of hazards for every year.

The history scenario (the push of each year, the dated levers of POLICY-TIMELINE.md) is
run over the chosen years, and the Robbins–Monro steps of the 2023 calibration
(`routesim.calibration.step`) close gaps taken over all of them at once:

- each route's preference: the mean over the years of log(observed / simulated)
  detections, so that every year counts alike whatever its size;
- the seasonal harmonics: detections per calendar month, pooled over the years;
- the sea hazards and the land death rate: dead and missing per detection, summed over
  the years (`routesim.calibration.lethality_gap`).

Nothing is fitted per year: only the push and the dated levers make the years differ.

Behaviour parameters that have no gap of their own to close (how much distance deters,
say) are profiled: the levels are fitted afresh at each value of a grid, and the value
whose fit leaves the smallest detections ARD over route-years (the hindcast's target) is
kept. The grid's fits are the
ensemble of fits the uncertainty is read from: the profile of the error over the grid,
and, per route, how far the years disagree about its preference at the kept fit (the
standard error over the years of the route's gap). A route whose years pull its constant
apart cannot be fitted by any one constant: the model lacks what made those years
differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from routesim.calibration import (
    FITTED,
    CalibrationSettings,
    ensemble_for,
    robbins_monro,
    save_parameter_set,
)
from routesim.errors import RoutesimError
from routesim.hindcast import Hindcast, period
from routesim.parameters import Parameters
from routesim.routes import ROUTES, SEA_ROUTES
from routesim.scenario import Scenario
from routesim.scoring import Gaps, lethality_gap, log_ratio

#: A grid point: behaviour parameter name to value.
Point = dict[str, float]


@dataclass(frozen=True)
class YearsFit:
    """A history ensemble against the observed years: the gaps and the scores."""

    hindcast: Hindcast

    @cached_property
    def gaps(self) -> Gaps:
        """The gaps each fitted parameter answers to, taken over all the years."""
        table = self.hindcast.table()
        detections = table[table["metric"] == "detections"]
        deaths = table[table["metric"] == "dead_missing"].groupby("route")
        found = detections.groupby("route")[["observed", "sim_mean"]].sum()
        simulated = self._calendar_months(self.hindcast.ensemble.monthly(), replicates=True)
        observed = self._calendar_months(self.hindcast.observed, replicates=False)
        return Gaps(
            level={route: float(np.mean(gaps)) for route, gaps in self._year_gaps.items()},
            observed_months={r: observed["detections"].loc[r].to_numpy() for r in ROUTES},
            simulated_months={r: simulated["detections"].loc[r].to_numpy() for r in ROUTES},
            set_out_months={r: simulated["set_out"].loc[r].to_numpy() for r in ROUTES},
            deaths={
                str(route): lethality_gap(
                    (rows["observed"].sum(), found.loc[route, "observed"]),
                    (rows["sim_mean"].sum(), found.loc[route, "sim_mean"]),
                )
                for route, rows in deaths
            },
        )

    @cached_property
    def ard(self) -> float:
        """The detections ARD over route-years: the hindcast target, and what picks a fit."""
        return self.hindcast.ard("detections")

    def year_disagreement(self) -> dict[str, float]:
        """Per route, the standard error over the years of its preference's gap."""
        return {
            route: float(np.std(gaps, ddof=1) / np.sqrt(len(gaps)))
            for route, gaps in self._year_gaps.items()
        }

    @cached_property
    def _year_gaps(self) -> dict[str, list[float]]:
        """Per route, log(observed / simulated) detections of each year."""
        table = self.hindcast.table()
        detections = table[table["metric"] == "detections"]
        return {
            str(route): [log_ratio(row.observed, row.sim_mean) for row in rows.itertuples()]
            for route, rows in detections.groupby("route")
        }

    def scores(self) -> dict[str, float]:
        """The hindcast's scores: ARD, directions right, sea route-years within ±35%."""
        right, total = self.hindcast.directions("detections")
        close, sea = self.hindcast.within(0.35, "dead_missing")
        return {
            "ard": self.ard,
            "directions_right": right,
            "directions": total,
            "dead_missing_within_35": close,
            "sea_route_years": sea,
        }

    @staticmethod
    def _calendar_months(monthly: pd.DataFrame, *, replicates: bool) -> pd.DataFrame:
        """Route x calendar month (1-12) totals over the years, mean over replicates."""
        columns = ["detections", "set_out"] if replicates else ["detections"]
        frame = monthly.assign(calendar=monthly["month"].dt.month)
        keys = ["replicate", "route", "calendar"] if replicates else ["route", "calendar"]
        totals = frame.groupby(keys, observed=True)[columns].sum()
        if replicates:
            totals = totals.groupby(["route", "calendar"], observed=True).mean()
        full = pd.MultiIndex.from_product([ROUTES, range(1, 13)], names=["route", "calendar"])
        return totals.reindex(full, fill_value=0.0).astype(float)


@dataclass
class HistoryCalibration:
    """The kept parameters, every grid point's fit and how the fits evolved."""

    parameters: Parameters
    fit: YearsFit
    profile: pd.DataFrame
    history: pd.DataFrame
    settings: CalibrationSettings
    years: tuple[int, int]
    behaviour: tuple[str, ...]
    #: The parameter set the calibration started from.
    started_from: str
    started: dt.datetime = field(default_factory=dt.datetime.now)


def calibrate_years(
    scenario: Scenario,
    years: tuple[int, int],
    settings: CalibrationSettings | None = None,
    grid: Mapping[str, Sequence[float]] | None = None,
    report: Callable[[Point, int, YearsFit], None] | None = None,
) -> HistoryCalibration:
    """Fit one set of parameters to all of `years` of the history `scenario`.

    Args:
        scenario: The history scenario; its start and length are set from `years`.
        years: First and last year, both observed.
        settings: Iterations, replicates, scale, seed and gain of each fit (default
            `CalibrationSettings()`).
        grid: Behaviour parameters to profile, each with the values to try (all
            combinations); none profiles nothing and fits the levels once.
        report: Called after each ensemble with the grid point, the iteration (one
            past the last for the fit's check) and its fit.

    Returns:
        The fit of the grid point with the smallest detections ARD (the hindcast's
        target), the profile and the history.
    """
    settings = settings or CalibrationSettings()
    start, days = period(years)
    meta = scenario.scenario.model_copy(update={"start": start, "days": days})
    replay = scenario.model_copy(update={"scenario": meta})
    grid = dict(grid or {})
    points = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    starts = [_with_behaviour(scenario.parameters, point) for point in points]
    history: list[pd.DataFrame] = []

    def record(point: Point, k: int, fit: YearsFit) -> None:
        history.append(_history_rows(fit, point, k))
        if report is not None:
            report(point, k, fit)

    fits = [
        (point, *_fit_point(replay, years, settings, point, begin, record))
        for point, begin in zip(points, starts, strict=True)
    ]
    profile = pd.DataFrame([{**point, **fit.scores()} for point, _, fit in fits])
    point, parameters, fit = min(fits, key=lambda entry: entry[2].ard)
    return HistoryCalibration(
        parameters=parameters,
        fit=fit,
        profile=profile,
        history=pd.concat(history, ignore_index=True),
        settings=settings,
        years=years,
        behaviour=tuple(grid),
        started_from=scenario.scenario.parameters,
    )


def _fit_point(
    replay: Scenario,
    years: tuple[int, int],
    settings: CalibrationSettings,
    point: Point,
    begin: Parameters,
    record: Callable[[Point, int, YearsFit], None],
) -> tuple[Parameters, YearsFit]:
    """Fit the levels from `begin` at one grid point; the fitted set and its check."""

    def evaluate(k: int, candidate: Parameters) -> YearsFit:
        ensemble = ensemble_for(replay.model_copy(update={"parameters": candidate}), settings)
        fit = YearsFit(Hindcast(ensemble, years))
        record(point, k, fit)
        return fit

    fitted = robbins_monro(begin, lambda k, candidate: evaluate(k, candidate).gaps, settings)
    return fitted, evaluate(settings.iterations + 1, fitted)


def _with_behaviour(parameters: Parameters, point: Point) -> Parameters:
    """`parameters` with a grid point's behaviour values, each checked like a scenario's."""
    for name, value in point.items():
        if name not in Parameters.model_fields or name in FITTED:
            raise RoutesimError(
                f"--profile {name}: not a behaviour parameter to profile (expected one of "
                f"the numeric parameters in routesim/parameters.py other than {', '.join(FITTED)})"
            )
        try:
            Parameters.model_validate(parameters.model_dump() | {name: value})
        except ValidationError as error:
            reason = error.errors()[0]["msg"]
            raise RoutesimError(f"--profile {name}={value:g}: {reason}") from None
    return parameters.model_copy(update=point)


def _history_rows(fit: YearsFit, point: Point, iteration: int) -> pd.DataFrame:
    return fit.hindcast.errors().assign(iteration=iteration, **point)


def write_history_parameter_set(result: HistoryCalibration, folder: Path, name: str) -> Path:
    """Write the kept parameters to `folder`/<name>.toml, with provenance and the profile."""
    first, last = result.years
    settings = result.settings
    errors = result.fit.hindcast.errors()
    provenance: dict[str, Any] = {
        "years": [first, last],
        "iterations": settings.iterations,
        "replicates": settings.replicates,
        "scale": settings.scale,
        "seed": settings.seed,
        "step": settings.step,
        "started_from": result.started_from,
        "profiled": list(result.behaviour),
        "observed": [
            "Frontex detections by route and month and IOM dead and missing by route and "
            f"month, {first}-{last} (routesim/data/observed/history-2015-2023.csv)"
        ],
        "scores": result.fit.scores(),
        "preference_year_disagreement": result.fit.year_disagreement(),
        **{
            f"{metric}_error": {
                str(year): {
                    row.route: round(float(row.error), 3)
                    for row in rows.itertuples()
                    if metric == "detections" or row.route in SEA_ROUTES
                }
                for year, rows in errors[errors["metric"] == metric].groupby("year")
            }
            for metric in ("detections", "dead_missing")
        },
    }
    return save_parameter_set(
        result.parameters,
        (*FITTED, *result.behaviour),
        folder,
        name,
        f"{first}-{last}",
        result.started,
        provenance,
    )


def write_history_report(result: HistoryCalibration, out: Path) -> list[Path]:
    """Write the profile, the fits' history, their convergence plot and the hindcast."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "profile.csv", out / "history.csv", out / "convergence.png"]
    result.profile.round(4).to_csv(paths[0], index=False)
    result.history.round(4).to_csv(paths[1], index=False)

    figure = Figure(figsize=(12, 4), layout="constrained")
    FigureCanvasAgg(figure)
    ax_ard, ax_route = figure.subplots(1, 2)
    history = result.history[result.history["metric"] == "detections"]
    points = history.groupby(list(result.behaviour)) if result.behaviour else [((), history)]
    for point, rows in points:
        values = zip(result.behaviour, np.atleast_1d(point), strict=True)
        label = ", ".join(f"{name} {value:g}" for name, value in values) or "fit"
        ard = rows.groupby("iteration")["error"].apply(lambda e: e.abs().mean())
        ax_ard.plot(ard.index, ard.to_numpy(), "-o", ms=3, label=label)
    ax_ard.set(title="detections ARD over route-years", xlabel="iteration")
    ax_ard.legend(fontsize=8)
    kept = history
    for name in result.behaviour:
        kept = kept[np.isclose(kept[name], getattr(result.parameters, name))]
    for route, rows in kept.groupby("route"):
        mean = rows.groupby("iteration")["error"].mean()
        ax_route.plot(mean.index, mean.to_numpy(), "-o", ms=3, label=route)
    ax_route.axhline(0, color="k", lw=0.8, ls="--")
    ax_route.set(title="kept fit: mean relative error over the years", xlabel="iteration")
    ax_route.legend(fontsize=8)
    for ax in (ax_ard, ax_route):
        ax.grid(alpha=0.3)
    first, last = result.years
    figure.suptitle(f"Joint calibration {first}-{last}: convergence of each fit")
    figure.savefig(paths[2], dpi=100)
    return paths + list(result.fit.hindcast.write(out).values())
