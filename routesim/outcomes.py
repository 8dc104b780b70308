"""Outcome tables: what a run counts, per reporting route and per day.

A model writes counts into an `OutcomeLedger` as events happen; the ledger turns
them into the tidy daily table (one row per day and route) that ensembles,
reports and the app read. Counts are in people (the head counts of the rows concerned),
except where the metric says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Final

import numpy as np
import pandas as pd

from routesim.routes import ROUTES

#: Flow metrics, summed over days: people (or events) per day and route.
FLOW_METRICS: Final[tuple[str, ...]] = (
    "departures",  # people who set off on a crossing (boats launched or land attempts)
    "attempts",  # crossing attempts, including repeated ones and prevented ones
    "detections",  # detected irregular border crossings (the Frontex count)
    "arrivals",  # people who reached the EU and were registered (not pushed back)
    "undetected_arrivals",
    "partner_interceptions",  # stopped by partner-country forces, on land or at sea
    "departures_prevented",  # the part of partner_interceptions stopped before launch
    "eu_interceptions",  # intercepted by EU or member-state forces (detected unless turned back)
    "rescues",
    "rescues_state",
    "rescues_ngo",
    "rescues_merchant",
    "rescues_partner",
    "dead",
    "missing",
    "dead_missing",
    "boats_launched",
    "boats_in_distress",
    "boat_hazard",  # summed distress hazard (per 1,000 boat-hours) of the boats launched
    "boat_cost",  # summed cost to smugglers of the boats launched, euros
    "waiting_days",  # days spent at the hub waiting to cross, including after push-backs
    "repeat_attempts",  # attempts by people who had tried before
    "boats_seized",
    "smugglers_arrested",
    "smuggler_revenue",  # euros
    "returns",  # people returned from the EU to their origin
    "gave_up",
    "legal_pathway",
    "set_out",  # people who left their origin
    "switched_crossing",  # people who chose another crossing after a failed attempt
    "expelled",  # people stopped or pushed back who were expelled inland to their origin
    "relocated",  # people taken away from a land-border hub by partner police
)

#: Flows also counted by the country boats and groups leave from.
COUNTRY_METRICS: Final[tuple[str, ...]] = (
    "departures",
    "partner_interceptions",
    "arrivals",
)

#: Stock metrics, read at the end of each day (not summed over days).
STOCK_METRICS: Final[tuple[str, ...]] = (
    "waiting",  # people waiting at departure points and border hubs
    "at_sea",
    "price",  # mean smuggling price asked, euros per person
)

METRICS: Final[tuple[str, ...]] = FLOW_METRICS + STOCK_METRICS

_ROUTE_INDEX: Final[dict[str, int]] = {route: i for i, route in enumerate(ROUTES)}
_METRIC_INDEX: Final[dict[str, int]] = {metric: i for i, metric in enumerate(METRICS)}


class OutcomeLedger:
    """Daily counts per route and metric, kept in one preallocated array."""

    def __init__(self, start: dt.date, days: int) -> None:
        self.start = start
        self.days = days
        self._counts = np.zeros((days, len(ROUTES), len(METRICS)), dtype=np.float64)
        self._by_country: dict[tuple[str, str], float] = defaultdict(float)

    def add(self, day: int, route: str, metric: str, amount: float) -> None:
        """Add `amount` to a flow metric of `route` on `day`.

        Days past the end of the run are ignored: a boat launched on the last
        evening may land after the scenario ends.
        """
        if 0 <= day < self.days:
            self._counts[day, _ROUTE_INDEX[route], _METRIC_INDEX[metric]] += amount

    def add_routes(self, day: int, metric: str, amounts: np.ndarray) -> None:
        """Add each route's amount (in the order of `ROUTES`) to a flow metric on `day`."""
        if 0 <= day < self.days:
            self._counts[day, :, _METRIC_INDEX[metric]] += amounts[: len(ROUTES)]

    def add_country(self, day: int, country: str, metric: str, amount: float) -> None:
        """Add to a run total counted by departure country (ISO3)."""
        if 0 <= day < self.days:
            self._by_country[country, metric] += amount

    def country_totals(self) -> pd.DataFrame:
        """Run totals by departure country: one row per country, a column per metric."""
        # Built from an explicit two-level index so that a run with nothing counted yet
        # (a few days long) still gives the table, empty.
        index = pd.MultiIndex.from_tuples(list(self._by_country), names=["country", "metric"])
        values = list(self._by_country.values())
        frame = pd.Series(values, index=index, dtype=float).unstack(fill_value=0.0)
        return frame.reindex(columns=list(COUNTRY_METRICS), fill_value=0.0).rename_axis("country")

    def set_stock(self, day: int, route: str, metric: str, value: float) -> None:
        """Record the end-of-day value of a stock metric."""
        self._counts[day, _ROUTE_INDEX[route], _METRIC_INDEX[metric]] = value

    def total(self, metric: str, route: str | None = None) -> float:
        """Sum of a flow metric over the run, for one route or all."""
        column = self._counts[:, :, _METRIC_INDEX[metric]]
        if route is None:
            return float(column.sum())
        return float(column[:, _ROUTE_INDEX[route]].sum())

    def to_frame(self) -> pd.DataFrame:
        """The tidy daily table: one row per day and route, a column per metric."""
        self._fill_derived()
        days = np.repeat(np.arange(self.days), len(ROUTES))
        frame = pd.DataFrame(self._counts.reshape(-1, len(METRICS)), columns=list(METRICS))
        frame.insert(0, "route", pd.Categorical(np.tile(ROUTES, self.days), categories=ROUTES))
        frame.insert(0, "date", pd.to_datetime(self.start) + pd.to_timedelta(days, unit="D"))
        frame.insert(0, "day", days)
        return frame

    def _fill_derived(self) -> None:
        dead = self._counts[:, :, _METRIC_INDEX["dead"]]
        missing = self._counts[:, :, _METRIC_INDEX["missing"]]
        self._counts[:, :, _METRIC_INDEX["dead_missing"]] = dead + missing


#: Targets that are ratios of two flows: name -> (numerator, denominator terms).
RATIO_TARGETS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "undetected_share": ("undetected_arrivals", ("undetected_arrivals", "detections")),
    "boat_risk": ("boat_hazard", ("boats_launched",)),
    "boat_cost": ("boat_cost", ("boats_launched",)),
    "death_rate": ("dead_missing", ("departures",)),
    "mean_wait": ("waiting_days", ("arrivals", "undetected_arrivals")),
    "repeat_share": ("repeat_attempts", ("attempts",)),
    # Detections count crossings, not people: per person who got into the EU, seen or not.
    "detections_per_person": ("detections", ("arrivals", "undetected_arrivals")),
    # Crossing attempts per person who left home (or set out again for another crossing).
    "attempts_per_person": ("attempts", ("set_out",)),
}


def target_value(target: str, daily: pd.DataFrame, by_country: pd.DataFrame) -> float:
    """The value of an outcome target (as levers and experiments name them) in one run.

    A target is a flow metric (`returns`) or a ratio (`death_rate`, `mean_wait`, ... see
    `RATIO_TARGETS`), over all routes or after a dot over one route
    (`departures.central_med`), one SAR area for `death_rate` (`death_rate.atlantic`),
    or a departure country (`partner_interceptions.tunisia`).
    """
    from routesim.partners import PARTNER_ISO3
    from routesim.routes import AREA_OF_ROUTE

    name, _, where = target.partition(".")
    if where in PARTNER_ISO3:
        iso3 = PARTNER_ISO3[where]
        return float(by_country[name].get(iso3, 0.0)) if name in by_country else 0.0
    if not where or where == "all":
        rows = daily
    elif name == "death_rate":
        rows = daily[daily["route"].isin([r for r, a in AREA_OF_ROUTE.items() if a == where])]
    else:
        rows = daily[daily["route"] == where]
    if name in RATIO_TARGETS:
        numerator, denominator = RATIO_TARGETS[name]
        return float(rows[numerator].sum()) / max(float(rows[list(denominator)].sum().sum()), 1.0)
    return float(rows[name].sum())
