"""Calibration: fit the free parameters of the 2023 baseline to Frontex and IOM figures.

The method is stochastic approximation (Robbins–Monro): each iteration runs a seeded
ensemble, compares it with the observed figures and moves each parameter a damped
step towards closing its own gap, in log space:

- `route_preference[r]` (the route's constant in route choice) by the log ratio of
  observed to simulated detections on the route;
- the seasonal harmonics of each route (yearly and half-yearly, `seasonal_cos`,
  `seasonal_sin`, `seasonal_cos2`, `seasonal_sin2`) by the least-squares harmonic fit
  of the log ratio of observed to simulated monthly shares of detections. Seasonality
  acts when people set out, weeks before they are detected, and the journey blurs it:
  each harmonic's correction is shifted back by the lag and scaled up by the damping
  that the simulation shows between monthly departures from home and detections;
- `sea_hazard[area]` by the log ratio of observed to simulated dead and missing per
  detection on the route the sea area serves (`lethality_gap`);
- `land_death_rate` by the same ratio on the Western Balkans.

Levers are not touched: they are set from 2023 policy facts. The same seeds are used
in every iteration (common random numbers), so steps answer to parameter changes
rather than to seed noise. The step shrinks as 1/k^a with 1/2 < a <= 1, as
Robbins–Monro needs, and the result is the average of the second half of the
iterates (Polyak–Ruppert averaging), checked by one more ensemble. A run can
continue from where the last one stopped, since it starts from the set it writes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w

from routesim.configs import inside
from routesim.ensemble import Ensemble, run_ensemble
from routesim.errors import RoutesimError
from routesim.observed import Observed
from routesim.parameters import Parameters
from routesim.routes import ROUTES
from routesim.scenario import Scenario, parameter_set
from routesim.scoring import Fit, Gaps

#: The route whose dead and missing each sea area's hazard is fitted to (the Libyan
#: Sea holds the eastern Libya → Crete legs, which Frontex counts as Eastern Med).
AREA_ROUTE = {
    "sicily_channel": "central_med",
    "libyan_sea": "eastern_med",
    "ionian": "central_med",
    "aegean": "eastern_med",
    "levantine": "eastern_med",
    "alboran": "western_med",
    "gibraltar": "western_med",
    "canaries": "western_african",
}

#: The parameters calibration fits; everything else keeps its value.
HARMONICS = ("seasonal_cos", "seasonal_sin", "seasonal_cos2", "seasonal_sin2")
FITTED = ("route_preference", *HARMONICS, "sea_hazard", "land_death_rate")


@dataclass(frozen=True)
class CalibrationSettings:
    """How hard to try: iterations, ensemble size, scale and seed."""

    iterations: int = 12
    replicates: int = 4
    scale: float = 10.0
    seed: int = 2023
    step: float = 1.0
    decay: float = 0.51
    workers: int | None = None


@dataclass
class CalibrationResult:
    """The fitted parameters, the final fit and how the fit evolved."""

    parameters: Parameters
    fit: Fit
    history: pd.DataFrame
    settings: CalibrationSettings
    observed: Observed
    #: The parameter set the calibration started from.
    started_from: str
    started: dt.datetime = field(default_factory=dt.datetime.now)


def calibrate(
    scenario: Scenario,
    observed: Observed,
    settings: CalibrationSettings = CalibrationSettings(),
    report: Callable[[int, pd.DataFrame], None] | None = None,
) -> CalibrationResult:
    """Fit the free parameters of `scenario` to `observed`, starting from its values."""
    meta = scenario.scenario
    if (meta.start.month, meta.start.day) != (1, 1) or meta.days < 365:
        raise RoutesimError(
            f"calibration needs a scenario covering a calendar year from 1 January; "
            f"{meta.name} starts {meta.start} and runs {meta.days} days"
        )
    history = []

    def evaluate(k: int, candidate: Parameters) -> Fit:
        fit = Fit.of(ensemble_for(scenario.model_copy(update={"parameters": candidate}), settings))
        table = fit.table(observed)
        history.append(table.assign(iteration=k).reset_index())
        if report is not None:
            report(k, table)
        return fit

    parameters = robbins_monro(
        scenario.parameters, lambda k, p: evaluate(k, p).gaps(observed), settings
    )
    fit = evaluate(settings.iterations + 1, parameters)
    return CalibrationResult(
        parameters=parameters,
        fit=fit,
        history=pd.concat(history, ignore_index=True),
        settings=settings,
        observed=observed,
        started_from=scenario.scenario.parameters,
    )


def robbins_monro(
    start: Parameters, gaps_of: Callable[[int, Parameters], Gaps], settings: CalibrationSettings
) -> Parameters:
    """Damped steps from `start` on every fitted parameter, then the late iterates' mean.

    Args:
        start: The parameters of the first iteration.
        gaps_of: Iteration number and parameters to their gaps (runs an ensemble).
        settings: Iterations, first gain and its decay.
    """
    parameters = start
    late_iterates = []
    for k in range(1, settings.iterations + 1):
        parameters = step(parameters, gaps_of(k, parameters), settings.step / k**settings.decay)
        if k > settings.iterations // 2:
            late_iterates.append(parameters)
    # Polyak-Ruppert: the average of the late iterates is steadier than the last one.
    return average(late_iterates)


def average(iterates: list[Parameters]) -> Parameters:
    """Mean of parameter sets: additive terms arithmetically, multipliers geometrically."""

    def mean(values: list[float], *, log: bool) -> float:
        array = np.asarray(values, dtype=float)
        return float(np.exp(np.log(array).mean())) if log else float(array.mean())

    first = iterates[0]
    update: dict[str, Any] = {
        name: {
            key: mean([getattr(p, name)[key] for p in iterates], log=name == "sea_hazard")
            for key in getattr(first, name)
        }
        for name in ("route_preference", *HARMONICS, "sea_hazard")
    }
    update["land_death_rate"] = mean([p.land_death_rate for p in iterates], log=True)
    return first.model_copy(update=update)


def ensemble_for(scenario: Scenario, settings: CalibrationSettings) -> Ensemble:
    """The seeded ensemble of `scenario` that one iteration of a calibration runs."""
    return run_ensemble(
        scenario,
        replicates=settings.replicates,
        seed=settings.seed,
        scale=settings.scale,
        workers=settings.workers,
        progress=False,
    )


def step(parameters: Parameters, gaps: Gaps, gain: float) -> Parameters:
    """One damped Robbins–Monro step on every fitted parameter, each towards its gap."""
    preference = dict(parameters.route_preference)
    seasonal = {name: dict(getattr(parameters, name)) for name in HARMONICS}
    angles = 2 * np.pi * np.arange(12) / 12
    harmonics = np.column_stack(
        [np.cos(angles), np.sin(angles), np.cos(2 * angles), np.sin(2 * angles)]
    )
    for route in ROUTES:
        sim, obs = gaps.simulated_months[route], gaps.observed_months[route]
        preference[route] += gain * gaps.level[route]
        shares = np.log((obs + 1) / obs.sum()) - np.log((sim + 1) / max(sim.sum(), 1.0))
        coefficients, *_ = np.linalg.lstsq(harmonics, shares - shares.mean(), rcond=None)
        coefficients = _at_departure(coefficients, _transfer(gaps.set_out_months[route], sim))
        for name, change in zip(HARMONICS, coefficients, strict=True):
            seasonal[name][route] += gain * change
    deaths = gaps.deaths
    hazard = {
        area: value * math.exp(gain * deaths[AREA_ROUTE[area]]) if area in AREA_ROUTE else value
        for area, value in parameters.sea_hazard.items()
    }
    land = parameters.land_death_rate * math.exp(gain * deaths["western_balkans"])
    return parameters.model_copy(
        update={
            "route_preference": preference,
            **seasonal,
            "sea_hazard": hazard,
            "land_death_rate": min(land, 1.0),
        }
    )


def _transfer(set_out: np.ndarray, detections: np.ndarray) -> np.ndarray:
    """How the journey passes each harmonic from departures to detections (complex gain).

    The ratio of the monthly series' Fourier coefficients, each relative to its total:
    its angle is the lag, its size the damping. Ones where a series is empty.
    """
    if set_out.sum() <= 0 or detections.sum() <= 0:
        return np.ones(2, dtype=complex)
    angles = 2 * np.pi * np.arange(12) / 12
    gains = []
    for k in (1, 2):
        wave = np.exp(-1j * k * angles)
        departed = (set_out * wave).sum() / set_out.sum()
        detected = (detections * wave).sum() / detections.sum()
        gains.append(detected / departed if abs(departed) > 1e-9 else 1.0)
    return np.array(gains, dtype=complex)


def _at_departure(coefficients: np.ndarray, transfer: np.ndarray) -> np.ndarray:
    """Harmonic corrections wanted in detections, turned into corrections at departure.

    Dividing by the gain shifts each correction back by the lag and undoes the
    damping; the gain's size is clamped so that a barely visible harmonic cannot
    demand a huge change (at most 2.5 times the correction).
    """
    corrected = []
    for k, gain in enumerate(transfer):
        size = min(max(abs(gain), 0.4), 1.0)
        wanted = complex(coefficients[2 * k], -coefficients[2 * k + 1])
        change = wanted / (size * np.exp(1j * np.angle(gain)))
        corrected += [change.real, -change.imag]
    return np.array(corrected)


def write_parameter_set(
    result: CalibrationResult, folder: Path, name: str = "calibrated-2023"
) -> Path:
    """Write the fitted parameters to `folder`/<name>.toml, with provenance.

    Args:
        result: The calibration's outcome.
        folder: Where the set goes, e.g. the ``parameters/`` folder of a
            ``$ROUTESIM_PATH`` folder, from which scenarios then start.
        name: The parameter set to write.
    """
    settings = result.settings
    table = result.fit.table(result.observed)
    provenance = {
        "iterations": settings.iterations,
        "replicates": settings.replicates,
        "scale": settings.scale,
        "seed": settings.seed,
        "step": settings.step,
        "started_from": result.started_from,
        "observed": list(result.observed.source.values()),
        **{
            column: {r: round(float(table.at[r, column]), 3) for r in ROUTES}
            for column in ("detections_error", "dead_missing_error", "monthly_r")
        },
    }
    return save_parameter_set(
        result.parameters, FITTED, folder, name, "2023", result.started, provenance
    )


def save_parameter_set(
    parameters: Parameters,
    fitted: tuple[str, ...],
    folder: Path,
    name: str,
    fitted_to: str,
    written: dt.datetime,
    provenance: dict[str, Any],
) -> Path:
    """Write the `fitted` parameters as the set `folder`/<name>.toml, with provenance.

    What the set the calibration started from (``provenance["started_from"]``) changed
    besides is written too: a fit continued from a set keeps, say, its profiled
    ``distance_weight`` when it does not profile it again.

    Args:
        parameters: The fitted parameters.
        fitted: The parameters fitted; the others keep the starting set's values.
        folder: Where the set goes.
        name: The parameter set.
        fitted_to: The years fitted to, for the file's header ("2023", "2019-2023").
        written: When the calibration started.
        provenance: The ``[calibration]`` table: settings, the set started from,
            sources, errors.
    """
    kept = set(fitted) | set(parameter_set(provenance["started_from"]))
    header = (
        f"# Parameters fitted to {fitted_to} (Frontex detections, IOM dead and missing) by\n"
        "# `routesim calibrate` (routesim.calibration: Robbins-Monro stochastic\n"
        "# approximation over seeded ensembles). Scenarios start from this set unless they\n"
        '# name another in `[scenario] parameters = "..."`; parameters not listed keep the\n'
        "# defaults in routesim/parameters.py. Do not edit by hand: rerun the calibration.\n\n"
    )
    document: dict[str, Any] = {
        "parameters": _rounded(parameters.model_dump(mode="python", include=kept)),
        "calibration": {
            "written": written.replace(microsecond=0).isoformat(),
            "method": "Robbins-Monro stochastic approximation, common random numbers",
            **provenance,
        },
    }
    path = inside(folder, f"{name}.toml")
    temporary = path.with_suffix(".toml.partial")
    temporary.write_text(header + tomli_w.dumps(_rounded(document)), encoding="utf-8")
    temporary.replace(path)
    return path


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def write_report(result: CalibrationResult, out: Path) -> list[Path]:
    """Write the fit table, the convergence history and their plots to `out`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out.mkdir(parents=True, exist_ok=True)
    table = result.fit.table(result.observed)
    paths = [out / "fit.csv", out / "history.csv", out / "monthly.png", out / "convergence.png"]
    table.round(4).to_csv(paths[0])
    result.history.round(4).to_csv(paths[1], index=False)

    figure = Figure(figsize=(15, 6), layout="constrained")
    months = np.arange(1, 13)
    for i, route in enumerate(ROUTES):
        ax = figure.add_subplot(2, 3, i + 1)
        ax.plot(months, result.observed.detections[route], "k-o", ms=3, label="observed (Frontex)")
        ax.plot(
            months,
            result.fit.detections.loc[route],
            "-s",
            ms=3,
            color="tab:red",
            label="simulated (ensemble mean)",
        )
        r = table.at[route, "monthly_r"]
        ax.set_title(f"{route}: r = {r:.2f}", fontsize=10)
        ax.set_xticks(months, list("JFMAMJJASOND"))
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.legend(fontsize=8)
    ax = figure.add_subplot(2, 3, 6)
    x = np.arange(len(ROUTES))
    ax.bar(x - 0.2, table["dead_missing_obs"], 0.4, color="0.3", label="observed (IOM)")
    ax.bar(x + 0.2, table["dead_missing_sim"], 0.4, color="tab:red", label="simulated")
    ax.set_xticks(x, [r.replace("_", "\n") for r in ROUTES], fontsize=8)
    ax.set_title("dead and missing, 2023", fontsize=10)
    ax.legend(fontsize=8)
    figure.suptitle(
        "Calibrated baseline-2023: monthly detections and deaths, simulated vs observed"
    )
    FigureCanvasAgg(figure).print_png(paths[2])

    figure = Figure(figsize=(12, 4), layout="constrained")
    history = result.history
    for j, column in enumerate(("detections_error", "dead_missing_error", "monthly_r")):
        ax = figure.add_subplot(1, 3, j + 1)
        for route, rows in history.groupby("route"):
            ax.plot(rows["iteration"], rows[column], "-o", ms=3, label=route)
        ax.axhline(0 if column != "monthly_r" else 0.7, color="k", lw=0.8, ls="--")
        ax.set_title(column.replace("_", " "), fontsize=10)
        ax.set_xlabel("iteration")
        ax.grid(alpha=0.3)
        if j == 0:
            ax.legend(fontsize=8)
    figure.suptitle("Calibration convergence (relative error; monthly correlation)")
    FigureCanvasAgg(figure).print_png(paths[3])
    return paths
