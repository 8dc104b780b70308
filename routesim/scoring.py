"""Observed against simulated: how far an ensemble is from the figures of its year.

`Fit` summarises an ensemble's run into the figures Frontex and IOM publish (detections
per route and month, dead and missing per route); its `Gaps` are what calibration steps
on, and `observed_check` is the table `routesim run` prints and writes as
``observed.csv`` for a run of a whole observed year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routesim.ensemble import Ensemble
from routesim.observed import Observed, load_observed, observed_year
from routesim.routes import ROUTES


@dataclass(frozen=True)
class Gaps:
    """What each fitted parameter answers to, per route: observed against simulated.

    The 2023 calibration reads them off one year; the joint calibration over past years
    (`routesim.history_calibration`) off several, each year counting alike.
    """

    #: log(observed / simulated) detections: the route preference's gap.
    level: dict[str, float]
    #: Detections per calendar month, Jan..Dec, observed and simulated, and people
    #: setting out from home per month (for the journey's lag): the harmonics' gap.
    observed_months: dict[str, np.ndarray]
    simulated_months: dict[str, np.ndarray]
    set_out_months: dict[str, np.ndarray]
    #: log(observed / simulated) dead and missing per detection: the hazards' gap (see
    #: `lethality_gap`).
    deaths: dict[str, float]


@dataclass
class Fit:
    """Simulated against observed figures for one set of parameters."""

    detections: pd.DataFrame  # route x month, simulated ensemble mean
    set_out: pd.DataFrame  # route x month, people leaving home, simulated ensemble mean
    dead_missing: pd.Series  # per route
    detections_p05: pd.Series
    detections_p95: pd.Series

    @classmethod
    def of(cls, ensemble: Ensemble) -> Fit:
        """Summarise an ensemble's run into the calibration's comparison figures."""
        daily = ensemble.daily
        month = pd.to_datetime(daily["date"]).dt.month
        by_month = (
            daily.assign(month=month)
            .groupby(["replicate", "route", "month"], observed=True)[["detections", "set_out"]]
            .sum()
        )
        per_rep = by_month["detections"]
        monthly = per_rep.groupby(["route", "month"], observed=True).mean().unstack("month")
        set_out = by_month["set_out"].groupby(["route", "month"], observed=True).mean()
        totals = per_rep.groupby(["replicate", "route"], observed=True).sum().unstack("route")
        deaths = daily.groupby(["replicate", "route"], observed=True)["dead_missing"].sum()
        return cls(
            detections=monthly.reindex(ROUTES).fillna(0.0),
            set_out=set_out.unstack("month").reindex(ROUTES).fillna(0.0),
            dead_missing=deaths.groupby("route", observed=True).mean().reindex(ROUTES),
            detections_p05=totals.quantile(0.05).reindex(ROUTES),
            detections_p95=totals.quantile(0.95).reindex(ROUTES),
        )

    def gaps(self, observed: Observed) -> Gaps:
        """The gaps between this fit and the observed year."""
        simulated = {r: self.detections.loc[r].to_numpy(dtype=float) for r in ROUTES}
        seen = {r: np.array(observed.detections[r], dtype=float) for r in ROUTES}
        return Gaps(
            level={r: log_ratio(seen[r].sum(), simulated[r].sum()) for r in ROUTES},
            observed_months=seen,
            simulated_months=simulated,
            set_out_months={r: self.set_out.loc[r].to_numpy(dtype=float) for r in ROUTES},
            deaths={
                r: lethality_gap(
                    (observed.dead_missing[r], seen[r].sum()),
                    (self.dead_missing[r], simulated[r].sum()),
                )
                for r in ROUTES
            },
        )

    def table(self, observed: Observed) -> pd.DataFrame:
        """Per route: simulated and observed detections and deaths, errors and correlation."""
        rows = []
        for route in ROUTES:
            sim_months = self.detections.loc[route].to_numpy(dtype=float)
            obs_months = np.array(observed.detections[route], dtype=float)
            sim, obs = sim_months.sum(), obs_months.sum()
            rows.append(
                {
                    "route": route,
                    "detections_sim": sim,
                    "detections_p05": self.detections_p05[route],
                    "detections_p95": self.detections_p95[route],
                    "detections_obs": obs,
                    "detections_error": sim / obs - 1,
                    "monthly_r": _correlation(sim_months, obs_months),
                    "dead_missing_sim": self.dead_missing[route],
                    "dead_missing_obs": observed.dead_missing[route],
                    "dead_missing_error": self.dead_missing[route] / observed.dead_missing[route]
                    - 1,
                }
            )
        return pd.DataFrame(rows).set_index("route")


def log_ratio(observed: float, simulated: float) -> float:
    """log(observed / simulated), both floored at 1.

    A route the model leaves empty still gets a finite push towards its target.
    """
    return math.log(max(observed, 1.0) / max(simulated, 1.0))


def lethality_gap(observed: tuple[float, float], simulated: tuple[float, float]) -> float:
    """log(observed / simulated) dead and missing per detection, from (dead, detections).

    The hazards answer how deadly a crossing is, not how many make it: fitted to the
    dead alone, a route with too few people would get a higher hazard, which (people
    fear the risk) sends still fewer there, and the fit runs away.
    """
    return log_ratio(observed[0], simulated[0]) - log_ratio(observed[1], simulated[1])


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def observed_check(ensemble: Ensemble) -> pd.DataFrame | None:
    """Simulated against observed figures per route, or None if there are none.

    Only a run of a whole calendar year with observed figures has a check (see
    `routesim.observed`): detections with their 5-95% band, dead and missing, the
    errors and the monthly correlation (`Fit.table`).
    """
    meta = ensemble.scenario.scenario
    year = observed_year(meta.start, meta.days)
    if year is None:
        return None
    return Fit.of(ensemble).table(load_observed(year))
