"""Charts of a live run: weekly flows per route and totals to date, beside observed 2023 figures.

Built from the run's tidy daily table as SVG text (see `routesim.app.svgplot`), so a
redraw is cheap enough to happen every frame and needs no browser library.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import pandas as pd

from routesim.app.svgplot import Bars, Frame, Series, bar_panel, line_panel
from routesim.observed import Observed
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES

#: Panels of the flows chart: title and the daily metrics added up in it.
PANELS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("Crossings detected (the Frontex count)", ("detections",)),
    ("Interceptions by EU and partner forces", ("eu_interceptions", "partner_interceptions")),
    ("Rescues", ("rescues",)),
    ("Dead and missing", ("dead_missing",)),
)


def weekly(daily: pd.DataFrame, metrics: tuple[str, ...]) -> pd.DataFrame:
    """People per complete week and route: the sum of `metrics` over each week.

    Args:
        daily: The tidy daily table (``day``, ``route`` and metric columns) of the
            completed days.
        metrics: Metrics to add up.

    Returns:
        A table indexed by the day each week starts (0, 7, ...), one column per route;
        a week still in progress is left out.
    """
    weeks = (int(daily["day"].max()) + 1) // 7 if not daily.empty else 0
    sums = np.zeros((weeks, len(ROUTES)))
    if weeks:
        day = daily["day"].to_numpy()
        keep = day < weeks * 7
        route = pd.Categorical(daily["route"], categories=ROUTES).codes
        values = daily[list(metrics)].to_numpy(dtype=float).sum(axis=1)
        np.add.at(sums, (day[keep] // 7, route[keep]), values[keep])
    return pd.DataFrame(sums, index=np.arange(weeks) * 7, columns=list(ROUTES))


def month_starts(start: dt.date, days: int) -> list[tuple[float, str]]:
    """Day offsets from `start` of each first of the month within `days`, with month names."""
    ticks = []
    first = dt.date(start.year, start.month, 1)
    while (first - start).days < days:
        offset = (first - start).days
        if offset >= 0:
            ticks.append((float(offset), first.strftime("%b")))
        first = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return ticks


def observed_weekly(
    observed: Observed, route: str, start: dt.date
) -> tuple[list[float], list[float]]:
    """Observed detections as a weekly rate within each month: a step line in days from `start`."""
    xs: list[float] = []
    ys: list[float] = []
    for month, count in enumerate(observed.detections[route], start=1):
        first = dt.date(start.year, month, 1)
        last = dt.date(start.year + (month == 12), month % 12 + 1, 1)
        rate = count / (last - first).days * 7
        xs += [float((first - start).days), float((last - start).days)]
        ys += [rate, rate]
    return xs, ys


def observed_to_date(observed: Observed, route: str, until: dt.date) -> float:
    """Observed detections on a route from 1 January to `until` inclusive (months pro rata)."""
    total = 0.0
    for month, count in enumerate(observed.detections[route], start=1):
        first = dt.date(until.year, month, 1)
        last = dt.date(until.year + (month == 12), month % 12 + 1, 1)
        length = (last - first).days
        covered = min(max((until - first).days + 1, 0), length)
        total += count * covered / length
    return total


def flows_chart(
    daily: pd.DataFrame,
    routes: tuple[str, ...],
    observed: Observed | None,
    start: dt.date,
    days: int,
) -> str:
    """Weekly crossings, interceptions, rescues and deaths per route, as HTML.

    Args:
        daily: The run's daily table so far.
        routes: Routes to draw.
        observed: Observed 2023 detections to draw alongside, or None.
        start: First day of the scenario.
        days: Length of the scenario in days (fixes the time axis).

    Returns:
        Four SVG panels in a grid, and a legend.
    """
    ticks = month_starts(start, days)
    panels = []
    for title, metrics in PANELS:
        table = weekly(daily, metrics)
        xs = [float(w) + 3.5 for w in table.index]
        series = [Series(ROUTE_LABELS[r], ROUTE_COLOURS[r], xs, list(table[r])) for r in routes]
        if observed is not None and metrics == ("detections",):
            for r in routes:
                ox, oy = observed_weekly(observed, r, start)
                series.append(
                    Series(
                        f"observed 2023, {ROUTE_LABELS[r]}",
                        ROUTE_COLOURS[r],
                        ox,
                        oy,
                        dashed=True,
                        width=1.1,
                    )
                )
        total = float(daily[list(metrics)].to_numpy().sum()) if not daily.empty else 0.0
        frame = Frame(extra={"data-total": f"{total:.0f}", "data-metric": "+".join(metrics)})
        panels.append(
            line_panel(
                title,
                series,
                (0.0, float(days)),
                ticks,
                y_label="people per week",
                frame=frame,
                css_class="routesim-flow-panel",
            )
        )
    grid = "".join(f"<div>{p}</div>" for p in panels)
    return (
        '<div class="routesim-flows" style="display:grid;grid-template-columns:1fr 1fr;gap:4px 18px">'
        f"{grid}</div>{_legend(routes, observed is not None)}"
    )


def totals_chart(
    daily: pd.DataFrame, routes: tuple[str, ...], observed: Observed | None, until: dt.date | None
) -> str:
    """Totals to date per route, detections and dead and missing, with observed 2023 figures.

    Args:
        daily: The run's daily table so far.
        routes: Routes to draw.
        observed: Observed 2023 figures, or None when the run is not the baseline.
        until: The last completed date, for observed detections to the same date.

    Returns:
        Two SVG bar panels side by side, as HTML.
    """
    sums = daily.groupby("route")[["detections", "dead_missing"]].sum() if not daily.empty else None
    labels = [ROUTE_LABELS[r] for r in routes]
    colours = [ROUTE_COLOURS[r] for r in routes]
    panels = []
    for metric, title in (
        ("detections", "Detections to date"),
        ("dead_missing", "Dead and missing to date"),
    ):
        simulated = [
            float(sums.at[r, metric]) if sums is not None and r in sums.index else 0.0
            for r in routes
        ]
        bars = [Bars("simulated", simulated, colours)]
        if observed is not None:
            if metric == "detections":
                seen = [observed_to_date(observed, r, until) if until else 0.0 for r in routes]
                bars.append(
                    Bars("observed 2023 to the same date (Frontex)", seen, colours, hatched=True)
                )
            else:
                seen = [float(observed.dead_missing[r]) for r in routes]
                bars.append(
                    Bars(
                        "observed, all of 2023 (IOM Missing Migrants, a minimum)",
                        seen,
                        colours,
                        hatched=True,
                    )
                )
        frame = Frame(
            width=470, height=190, left=150, right=56, extra={"data-total": f"{sum(simulated):.0f}"}
        )
        panels.append(
            bar_panel(title, labels, bars, frame=frame, css_class=f"routesim-total-{metric}")
        )
    note = (
        '<div style="font-size:12px;color:#555;margin-top:2px">Solid: this run. Hatched: observed '
        "2023 — Frontex detections to the same date (months pro rata), IOM dead and missing for the "
        "whole year. Source: routesim/data/observed/2023.toml.</div>"
        if observed is not None
        else '<div style="font-size:12px;color:#555">Observed 2023 figures are shown beside the '
        "unchanged baseline-2023 scenario only.</div>"
    )
    grid = "".join(f"<div>{p}</div>" for p in panels)
    return (
        '<div class="routesim-totals" style="display:grid;grid-template-columns:1fr 1fr;gap:18px">'
        f"{grid}</div>{note}"
    )


def _legend(routes: tuple[str, ...], observed: bool) -> str:
    items = [
        f'<span style="margin-right:14px;white-space:nowrap"><span style="display:inline-block;width:18px;'
        f'height:3px;background:{ROUTE_COLOURS[r]};vertical-align:middle;margin-right:5px"></span>'
        f"{ROUTE_LABELS[r]}</span>"
        for r in routes
    ]
    if observed:
        items.append(
            '<span style="white-space:nowrap"><span style="display:inline-block;width:18px;'
            'border-top:2px dashed #555;vertical-align:middle;margin-right:5px"></span>'
            "observed 2023 detections (Frontex; weekly rate of each month)</span>"
        )
    return f'<div style="font-size:12px;color:#333;margin:4px 0 0 6px">{"".join(items)}</div>'
