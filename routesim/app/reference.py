"""Observed figures beside a run's charts: what was counted, by whom, month by month.

The project carries two sets of observed figures, and a run is drawn beside one:

- A run of exactly a calendar year with an ``observed/<year>.toml`` (2023), other than
  the history scenario, is drawn beside that year's figures (`routesim.observed`), the
  ones the 2023 scenarios are calibrated against: Frontex detections by month, and IOM
  dead and missing as the year's total per route only.
- The history scenario, over whichever of its years is run, is drawn beside the
  detections and dead and missing of each month of 2015-2023
  (`routesim.hindcast.load_observed_history`). The history keeps to this one file even
  for its 2023: its IOM download codes some 2023 incidents differently from the year
  file's, and a class comparing windows should see one series.

Neither holds a figure after 2023. The figures are drawn at full strength beside the
run that should reproduce them (the unchanged 2023 baseline, the unchanged history) and
faintly, as a reference only, beside a run whose levers differ.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from routesim.app.live import LiveSettings
from routesim.app.svgplot import Series
from routesim.hindcast import FIRST_YEAR, HISTORY_SCENARIO, LAST_YEAR, load_observed_history
from routesim.observed import Observed, load_observed, observed_year
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES

#: Who counts each metric, as the charts' labels name them.
COUNTED_BY: Final[dict[str, str]] = {"detections": "Frontex", "dead_missing": "IOM"}
#: What each observed count is, and is not, in the legend's words.
MEANING: Final[dict[str, str]] = {
    "detections": (
        "Frontex detections of irregular border crossings by month: events, not people "
        "(one person caught twice counts twice)"
    ),
    "dead_missing": (
        "IOM Missing Migrants Project dead and missing by month: a lower bound (only "
        "recorded deaths; a month with no record counts 0)"
    ),
}
HISTORY_FILE: Final[str] = "routesim/data/observed/history-2015-2023.csv"


@dataclass(frozen=True)
class Reference:
    """Observed figures to draw beside a run, and whether only as a faint reference.

    Attributes:
        label: How the charts name them ("observed 2023", "observed").
        monthly: Per metric observed month by month: a table indexed by each month's
            first day, one column per route, covering the months of the run.
        year_totals: Per metric observed only as a year's total, per route.
        note: Where the figures come from and what they count, under the totals.
        faint: True when the run's levers differ from those the figures go with, so
            the figures are a reference point rather than what the run should reproduce.
    """

    label: str
    monthly: dict[str, pd.DataFrame]
    year_totals: dict[str, dict[str, int]]
    note: str
    faint: bool

    def series(
        self, metric: str, routes: tuple[str, ...], start: dt.date, days: int, period: str
    ) -> list[Series]:
        """Dashed observed lines of a metric, one per route, per week or month of the run."""
        return [
            Series(
                f"{self.label}, {ROUTE_LABELS[r]} ({COUNTED_BY[metric]})",
                ROUTE_COLOURS[r],
                *observed_steps(self.monthly[metric][r], start, days, period),
                dashed=True,
                width=1.1,
                opacity=0.45 if self.faint else 1.0,
            )
            for r in routes
        ]

    def to_date(
        self, metric: str, routes: tuple[str, ...], start: dt.date, done: int
    ) -> list[float]:
        """Observed totals over the run's first `done` days, per route.

        Monthly figures are taken pro rata within the month; a year's total pro rata to
        the days run.
        """
        if metric in self.monthly:
            return [observed_to_date(self.monthly[metric][r], start, done) for r in routes]
        return [self.year_totals[metric][r] * done / 365 for r in routes]

    def per_period(self, metric: str, start: dt.date, edges: np.ndarray) -> pd.DataFrame:
        """Observed counts per period of a run, for its CSV beside the simulated ones.

        Each month's count is spread evenly over its days, so a week gets its days' share
        (the weekly rate the charts draw, for a week within one month) and a month its count.

        Args:
            metric: The metric.
            start: First day of the run.
            edges: Period boundaries in days from `start` (`charts.period_edges`).

        Returns:
            A table indexed by each period's first day, one column per route; NaN where
            a day of the period has no observed month, or the metric no monthly figures.
        """
        days = int(edges[-1])
        daily = np.full((days, len(ROUTES)), np.nan)
        if metric in self.monthly:
            table = self.monthly[metric].reindex(columns=list(ROUTES))
            for first, counts in zip(table.index, table.to_numpy(dtype=float), strict=True):
                last = _next_month(first)
                begin, end = max((first - start).days, 0), min((last - start).days, days)
                if begin < end:
                    daily[begin:end] = counts / (last - first).days
        sums = np.add.reduceat(daily, edges[:-1].astype(int), axis=0)
        return pd.DataFrame(sums, index=edges[:-1], columns=list(ROUTES))

    def to_date_label(self, metric: str) -> str:
        """The name of `to_date`'s bars, saying how the figures are spread over the days."""
        if metric in self.monthly:
            return f"{self.label} to the same date ({COUNTED_BY[metric]}, months pro rata)"
        return f"{self.label}, {COUNTED_BY[metric]} year total x share of the year run"


def observed_steps(
    months: pd.Series, start: dt.date, days: int, period: str
) -> tuple[list[float], list[float]]:
    """Monthly counts as a step line in days from `start`, over the run's `days`.

    Args:
        months: Counts indexed by each month's first day.
        start: First day of the run.
        days: Length of the run: months are cut at its ends.
        period: "week" draws each month's count as a weekly rate, "month" as it is,
            matching the simulated line of the same panel.
    """
    end = start + dt.timedelta(days=days)
    xs: list[float] = []
    ys: list[float] = []
    for first, count in months.items():
        last = _next_month(first)
        if last <= start or first >= end:
            continue
        value = count / (last - first).days * 7 if period == "week" else float(count)
        xs += [float((max(first, start) - start).days), float((min(last, end) - start).days)]
        ys += [value, value]
    return xs, ys


def observed_to_date(months: pd.Series, start: dt.date, done: int) -> float:
    """Monthly counts over the `done` days from `start`, each month pro rata to its days in."""
    until = start + dt.timedelta(days=done)
    total = 0.0
    for first, count in months.items():
        last = _next_month(first)
        covered = (min(last, until) - max(first, start)).days
        total += count * max(covered, 0) / (last - first).days
    return total


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def year_reference(observed: Observed, year: int, *, faint: bool) -> Reference:
    """A year's observed figures: detections by month, dead and missing as year totals."""
    firsts = [dt.date(year, month, 1) for month in range(1, 13)]
    detections = pd.DataFrame(
        {route: counts for route, counts in observed.detections.items()}, index=firsts
    )
    note = (
        f"Hatched: observed {year} to the same date — Frontex detections by month, pro rata "
        "within the month; IOM dead and missing are in the observed file as year totals only, "
        "so they are taken pro rata to the days run."
        + (f" A reference only: this run's levers differ from {year}'s." if faint else "")
        + f" Source: routesim/data/observed/{year}.toml."
    )
    return Reference(
        f"observed {year}",
        {"detections": detections},
        {"dead_missing": dict(observed.dead_missing)},
        note,
        faint,
    )


def history_reference(start: dt.date, days: int, *, faint: bool) -> Reference | None:
    """The observed months of 2015-2023 a run covers; None if it runs outside them."""
    end = start + dt.timedelta(days=days)
    if start < dt.date(FIRST_YEAR, 1, 1) or end > dt.date(LAST_YEAR + 1, 1, 1):
        return None
    table = _history_table()
    covered = table[
        (table["first"] < end) & (table["first"] >= dt.date(start.year, start.month, 1))
    ]
    monthly = {
        metric: covered.pivot(index="first", columns="route", values=metric)
        for metric in COUNTED_BY
    }
    note = (
        "Hatched: observed to the same date, months pro rata. Frontex counts detections, not "
        "people: one person caught twice counts twice, and in 2015-16 most people were counted "
        "on the Eastern Mediterranean and again on the Western Balkans. IOM's dead and missing "
        "are those recorded: a lower bound."
        + (" A reference only: this run's levers differ from the history's." if faint else "")
        + f" Source: {HISTORY_FILE} (Frontex as of 3 June 2025; IOM Missing Migrants Project)."
    )
    return Reference("observed", monthly, {}, note, faint)


@functools.cache
def _history_table() -> pd.DataFrame:
    # Read once per server process: every chart of every history session draws from it.
    table = load_observed_history()
    return table.assign(first=table["month"].dt.date)


@functools.cache
def _year_file(year: int) -> Observed:
    return load_observed(year)


@functools.lru_cache(maxsize=32)
def reference_for(settings: LiveSettings, start: dt.date, days: int) -> Reference | None:
    """The observed figures a run of `settings` over `days` from `start` is drawn beside."""
    if settings.scenario == HISTORY_SCENARIO:
        return history_reference(start, days, faint=bool(settings.overrides))
    year = observed_year(start, days)
    if year is None:
        return None
    return year_reference(_year_file(year), year, faint=not settings.is_baseline)
