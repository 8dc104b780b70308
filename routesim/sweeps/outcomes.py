"""Outcomes a sweep keeps of each run: run totals per route and metric, and lever targets.

Columns are named ``<metric>.<route>`` (``route`` may be ``all``) and, for targets,
by the target string of `routesim.levers` (``death_rate.central_med``,
``partner_interceptions.tunisia``, ``undetected_share``...). Run totals follow
`routesim.ensemble.Ensemble.per_replicate`: flows summed over the run's days, stocks
averaged over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from routesim.ensemble import ALL_ROUTES, Ensemble
from routesim.outcomes import COUNTRY_METRICS, FLOW_METRICS, target_value
from routesim.partners import PARTNER_ISO3
from routesim.routes import ROUTES, SAR_AREAS

if TYPE_CHECKING:
    from routesim.scenario import Scenario

#: Metrics kept when a config names none.
DEFAULT_METRICS: tuple[str, ...] = (
    "departures",
    "detections",
    "partner_interceptions",
    "dead_missing",
)

#: Routes an outcome may be totalled over: the reporting routes and all of them.
OUTCOME_ROUTES: tuple[str, ...] = (*ROUTES, ALL_ROUTES)

#: Targets that take no route or country.
_WHOLE_RUN_TARGETS = ("undetected_share", "boat_risk")


@dataclass(frozen=True)
class OutcomeSpec:
    """Which outcomes to keep of every run.

    Attributes:
        metrics: Metrics of `routesim.outcomes.METRICS`, totalled per route.
        routes: Routes to keep them for (reporting routes and ``all``).
        targets: Lever target strings (see `routesim.outcomes.target_value`).
    """

    metrics: tuple[str, ...]
    routes: tuple[str, ...]
    targets: tuple[str, ...]

    def columns(self) -> list[str]:
        """Outcome column names, metric totals first, then targets not already among them."""
        names = [f"{metric}.{route}" for metric in self.metrics for route in self.routes]
        return list(dict.fromkeys([*names, *self.targets]))

    def evaluate(
        self, scenario: Scenario, daily: pd.DataFrame, by_country: pd.DataFrame, scale: float
    ) -> dict[str, float]:
        """The outcomes of one run.

        Args:
            scenario: The run's scenario.
            daily: The run's daily table (`routesim.model.simulate`).
            by_country: Its totals by departure country (`RouteModel.country_totals`).
            scale: People per agent.

        Returns:
            One value per name of `columns`.
        """
        values = self.totals(scenario, daily, scale)
        for target in self.targets:
            values.setdefault(target, target_value(target, daily, by_country))
        return values

    def totals(self, scenario: Scenario, daily: pd.DataFrame, scale: float) -> dict[str, float]:
        """The run totals of one run, by ``<metric>.<route>`` (no targets).

        Args:
            scenario: The run's scenario.
            daily: The run's daily table (`routesim.model.simulate`).
            scale: People per agent.
        """
        labelled = daily.assign(replicate=0, seed=0)
        ensemble = Ensemble(scenario=scenario, seed=0, seeds=(0,), scale=scale, daily=labelled)
        totals = ensemble.per_replicate().assign(route=lambda t: t["route"].astype(str))
        totals = totals.set_index("route")
        return {
            f"{metric}.{route}": float(totals.at[route, metric])
            for metric in self.metrics
            for route in self.routes
        }


def target_problem(target: str) -> str | None:
    """Why ``target`` is not a valid lever target string, or ``None`` if it is.

    Valid targets: ``undetected_share``, ``boat_risk``, ``death_rate.<SAR area or all>``,
    a flow metric alone or on a route (``departures.central_med``), and a metric counted
    by departure country on a partner country (``partner_interceptions.tunisia``).
    """
    name, dot, where = target.partition(".")
    if name in _WHOLE_RUN_TARGETS:
        return f"{name} takes no route" if dot else None
    if name == "death_rate":
        if where in (*SAR_AREAS, ALL_ROUTES):
            return None
        return f"expected death_rate.<{'|'.join((*SAR_AREAS, ALL_ROUTES))}>"
    if where in PARTNER_ISO3:
        if name in COUNTRY_METRICS:
            return None
        return f"by country only {', '.join(COUNTRY_METRICS)} are counted"
    if name not in FLOW_METRICS:
        return f"unknown metric {name!r} (flow metrics: {', '.join(FLOW_METRICS)})"
    if dot and where not in ROUTES:
        return f"unknown route or partner country {where!r}"
    return None
