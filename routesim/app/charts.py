"""Charts of a live run: flows per route and totals to date, beside a band and observed figures.

Built from the run's tidy daily table as SVG text (see `routesim.app.svgplot`), so a
redraw is cheap enough to happen every frame and needs no browser library. The band is
the range of a few other seeds of the same settings (`routesim.app.live.seed_band`),
drawn once it is ready; the observed figures (`routesim.app.reference`) are drawn beside
the runs they go with, faintly where the levers differ from them. A
scenario's dated changes (its timeline) are numbered lines on each panel, its one-off
events lettered ones, keyed below (`routesim.app.timeaxis`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import pandas as pd

from routesim.app.live import BAND_SCALE
from routesim.app.reference import MEANING, Reference
from routesim.app.style import GUARD_PARTNER
from routesim.app.svgplot import (
    Band,
    Bars,
    Frame,
    Series,
    bar_panel,
    exportable,
    line_panel,
)
from routesim.app.timeaxis import (
    OneOffMark,
    TimelineEvent,
    event_marks,
    month_firsts,
    time_ticks,
    timeline_key,
)
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES


def unit(metrics: tuple[str, ...]) -> str:
    """What a count of `metrics` counts: detections are events, the rest people.

    Frontex counts detections, not people (one person caught twice counts twice), and
    the model's detections are its counterpart, so their axes say "detections".
    """
    return "detections" if metrics == ("detections",) else "people"


class Panel(NamedTuple):
    """A panel of the flows chart: its title, the daily metrics added up, the period summed."""

    title: str
    metrics: tuple[str, ...]
    period: str


#: Dead and missing are few and lumpy, so they are summed by month, as IOM reports them.
PANELS: Final[tuple[Panel, ...]] = (
    Panel("Crossings detected (the Frontex count)", ("detections",), "week"),
    Panel("Departures (people setting off)", ("departures",), "week"),
    # Apart, not summed: lessons on partner coast guards claim that one rises while
    # the other does not.
    Panel("Interceptions by partner forces", ("partner_interceptions",), "week"),
    Panel("Interceptions by EU forces", ("eu_interceptions",), "week"),
    Panel("Rescues", ("rescues",), "week"),
    Panel("Dead and missing", ("dead_missing",), "month"),
)
#: Runs longer than this are drawn by month, not week: the 470 weeks of 2015-2023 put
#: a point on every pixel of a panel.
WEEKLY_AT_MOST_DAYS: Final[int] = 3 * 366
#: How a month's observed count is drawn on a weekly panel.
WEEKLY_NOTE: Final[str] = " (on a weekly panel, the month's weekly rate)"
EMPTY_NOTE: Final[str] = "no day completed yet: press Play or Step"


def panel_period(period: str, days: int) -> str:
    """The period a panel sums over for a run of `days`: its own, or months for a long run."""
    return period if days <= WEEKLY_AT_MOST_DAYS else "month"


def period_edges(start: dt.date, days: int, period: str) -> np.ndarray:
    """Day offsets where each week or calendar month of a run starts, and the run's end."""
    if period == "week":
        starts = list(range(0, days, 7))
    else:
        starts = [
            0,
            *[(first - start).days for first in month_firsts(start, days) if first > start],
        ]
    return np.array([*starts, days])


def period_rates(
    daily: pd.DataFrame, metrics: tuple[str, ...], edges: np.ndarray, done: int
) -> pd.DataFrame:
    """People per period and route, the period in progress scaled up to its full length.

    Scaling the period in progress lets a chart show a rate from the first day instead of
    waiting a week or a month, at the price of a noisy last point.

    Args:
        daily: The tidy daily table (``day``, ``route`` and metric columns).
        metrics: Metrics to add up.
        edges: Period boundaries in days (`period_edges`).
        done: Days completed; days at or after it are ignored.

    Returns:
        A table indexed by the day each period starts, one column per route; periods
        with no completed day are left out.
    """
    starts, lengths = edges[:-1], np.diff(edges)
    sums = np.zeros((len(starts), len(ROUTES)))
    if not daily.empty:
        day = daily["day"].to_numpy()
        keep = day < done
        period = np.searchsorted(edges, day[keep], side="right") - 1
        route = pd.Categorical(daily["route"], categories=ROUTES).codes[keep]
        values = daily[list(metrics)].to_numpy(dtype=float).sum(axis=1)[keep]
        np.add.at(sums, (period, route), values)
    covered = np.clip(done - starts, 0, lengths)
    some = covered > 0
    rates = sums[some] * (lengths[some] / covered[some])[:, None]
    return pd.DataFrame(rates, index=starts[some], columns=list(ROUTES))


@dataclass(frozen=True)
class BandSummary:
    """What the charts draw of the band's replicates, computed once when they finish.

    Attributes:
        seeds: Number of replicates.
        flows: Per flows panel title, the lowest and highest `period_rates` over replicates.
        cumulative: Per metric, running totals shaped (replicate, day, route).
    """

    seeds: int
    flows: dict[str, tuple[pd.DataFrame, pd.DataFrame]]
    cumulative: dict[str, np.ndarray]

    def to_date(self, metric: str, done: int, routes: tuple[str, ...]) -> np.ndarray:
        """Lowest and highest total to day `done` over replicates, shaped (2, routes)."""
        columns = [ROUTES.index(r) for r in routes]
        if done == 0:
            return np.zeros((2, len(columns)))
        totals = self.cumulative[metric][:, min(done, self.cumulative[metric].shape[1]) - 1]
        return np.stack([totals.min(axis=0), totals.max(axis=0)])[:, columns]


def summarise_band(band: pd.DataFrame, start: dt.date, days: int) -> BandSummary:
    """The `BandSummary` of the band's daily tables (with a ``replicate`` column)."""
    groups = [group for _, group in band.groupby("replicate")]
    flows = {}
    for title, metrics, period in PANELS:
        edges = period_edges(start, days, panel_period(period, days))
        tables = [period_rates(group, metrics, edges, days) for group in groups]
        stacked = np.stack([t.to_numpy() for t in tables])
        index, columns = tables[0].index, tables[0].columns
        flows[title] = (
            pd.DataFrame(stacked.min(axis=0), index=index, columns=columns),
            pd.DataFrame(stacked.max(axis=0), index=index, columns=columns),
        )
    replicate = band["replicate"].to_numpy()
    day = band["day"].to_numpy()
    route = pd.Categorical(band["route"], categories=ROUTES).codes
    keep = day < days
    cumulative = {}
    for metric in ("detections", "dead_missing"):
        sums = np.zeros((len(groups), days, len(ROUTES)))
        values = band[metric].to_numpy(dtype=float)
        np.add.at(sums, (replicate[keep], day[keep], route[keep]), values[keep])
        cumulative[metric] = sums.cumsum(axis=1)
    return BandSummary(len(groups), flows, cumulative)


def _positions(table: pd.DataFrame, edges: np.ndarray, period: str) -> list[float]:
    """X values of a period table: mid-week points, or each month as a flat step."""
    if period == "week":
        return [float(s) + 3.5 for s in table.index]
    ends = dict(zip(edges[:-1], edges[1:], strict=True))
    return [float(x) for s in table.index for x in (s, ends[s])]


def _values(column: pd.Series, period: str) -> list[float]:
    values = [float(v) for v in column]
    return values if period == "week" else [v for v in values for _ in (0, 1)]


def flows_chart(
    daily: pd.DataFrame,
    routes: tuple[str, ...],
    reference: Reference | None,
    start: dt.date,
    days: int,
    done: int,
    band: BandSummary | None = None,
    events: Sequence[TimelineEvent] = (),
    one_offs: Sequence[OneOffMark] = (),
    y_floors: Mapping[str, float] | None = None,
    caption: Sequence[str] = (),
) -> str:
    """Weekly crossings, departures, interceptions and rescues and monthly deaths, as HTML.

    A run longer than `WEEKLY_AT_MOST_DAYS` is drawn by month throughout.

    Args:
        daily: The run's daily table so far.
        routes: Routes to draw.
        reference: Observed figures to draw alongside, or None.
        start: First day of the scenario.
        days: Length of the scenario in days (fixes the time axis).
        done: Days completed.
        band: The band of other seeds, or None while they run.
        events: The scenario's dated changes (`timeline_events`), marked on each panel.
        one_offs: The run's one-off events (`one_off_events`), marked beside them.
        y_floors: Per panel (its metrics joined by "+"), the least height of its y axis:
            the tops of another run's panels (`panel_tops`), to compare on one scale.
        caption: Lines under each exported PNG: the run and its date (`export_caption`).

    Returns:
        Six SVG panels in a grid, each with CSV and PNG links (the CSV has the
        observed figures beside the simulated ones, where there are any), a legend
        and the key of the dated changes and events.
    """
    ticks = time_ticks(start, days)
    marks = event_marks(events, one_offs, start)
    observed = reference.label.replace(" ", "_") if reference is not None else "observed"
    panels = []
    for title, metrics, shortest in PANELS:
        period = panel_period(shortest, days)
        edges = period_edges(start, days, period)
        table = period_rates(daily, metrics, edges, done)
        xs = _positions(table, edges, period)
        series = [
            Series(ROUTE_LABELS[r], ROUTE_COLOURS[r], xs, _values(table[r], period)) for r in routes
        ]
        # Empty where nothing is observed: the panels of interceptions and rescues, dead
        # and missing beside 2023 (year totals only), periods outside the observed months.
        seen = (
            reference.per_period(metrics[0], start, edges)
            if reference is not None and len(metrics) == 1
            else pd.DataFrame(np.nan, index=edges[:-1], columns=list(ROUTES))
        )
        columns = {"simulated": table, observed: seen.loc[table.index]}
        bands = []
        if band is not None:
            low, high = band.flows[title]
            bxs = _positions(low, edges, period)
            bands = [
                Band(
                    f"{ROUTE_LABELS[r]}: where {band.seeds} more runs with other chance "
                    "events landed",
                    ROUTE_COLOURS[r],
                    bxs,
                    _values(low[r], period),
                    _values(high[r], period),
                )
                for r in routes
            ]
            columns |= {"band_low": low, "band_high": high}
        if reference is not None and metrics[0] in reference.monthly and len(metrics) == 1:
            series += reference.series(metrics[0], routes, start, days, period)
        total = float(daily[list(metrics)].to_numpy().sum()) if not daily.empty else 0.0
        frame = Frame(extra={"data-total": f"{total:.0f}", "data-metric": "+".join(metrics)})
        svg = line_panel(
            f"{title}, per {period}",
            series,
            (0.0, float(days)),
            ticks,
            y_label=f"{unit(metrics)} per {period}",
            frame=frame,
            css_class="routesim-flow-panel",
            bands=bands,
            empty_note=EMPTY_NOTE if done == 0 else "",
            marks=marks,
            y_at_least=(y_floors or {}).get("+".join(metrics), 0.0),
        )
        csv = _period_csv(columns, routes, start)
        legend = [(ROUTE_LABELS[r], ROUTE_COLOURS[r]) for r in routes]
        name = f"routesim-{metrics[0]}-per-{period}"
        panels.append(exportable(svg, name, csv, caption, legend))
    grid = "".join(f"<div>{p}</div>" for p in panels)
    return (
        f'<div class="routesim-flows routesim-grid">{grid}</div>{_legend(routes, reference, band)}'
        + timeline_key(events, one_offs, done)
    )


def panel_tops(
    daily: pd.DataFrame, routes: tuple[str, ...], start: dt.date, days: int, done: int
) -> dict[str, float]:
    """The highest simulated rate on each flows panel, keyed as `flows_chart`'s `y_floors`."""
    tops = {}
    for _, metrics, shortest in PANELS:
        edges = period_edges(start, days, panel_period(shortest, days))
        table = period_rates(daily, metrics, edges, done)[list(routes)]
        tops["+".join(metrics)] = float(table.to_numpy().max(initial=0.0))
    return tops


def _period_csv(columns: dict[str, pd.DataFrame], routes: tuple[str, ...], start: dt.date) -> str:
    """CSV of period tables (`period_rates`), one row per period and route.

    Written by hand: it is rebuilt every frame, and pandas' stack, join and to_csv took
    most of a frame's chart time.
    """
    rows = {name: dict(zip(t.index, t.to_numpy(), strict=True)) for name, t in columns.items()}
    index = sorted(set().union(*(t.index for t in columns.values())))
    at = {r: ROUTES.index(r) for r in routes}
    lines = [",".join(["period_start", "route", *columns])]
    for day in index:
        date = (start + dt.timedelta(days=int(day))).isoformat()
        for r in routes:
            values = [rows[n][day][at[r]] if day in rows[n] else np.nan for n in columns]
            cells = ["" if np.isnan(v) else f"{v:.1f}" for v in values]
            lines.append(",".join([date, r, *cells]))
    return "\n".join(lines) + "\n"


def totals_chart(
    daily: pd.DataFrame,
    routes: tuple[str, ...],
    reference: Reference | None,
    start: dt.date,
    done: int,
    band: BandSummary | None = None,
    caption: Sequence[str] = (),
) -> str:
    """Totals to date per route, detections and dead and missing, with observed figures.

    Args:
        daily: The run's daily table so far.
        routes: Routes to draw.
        reference: Observed figures, or None.
        start: First day of the scenario.
        done: Days completed: every total, simulated or observed, runs to the same day.
        band: The band of other seeds, or None while they run.
        caption: Lines under each exported PNG (`export_caption`).

    Returns:
        Two SVG bar panels side by side, each with CSV and PNG links, and a note.
    """
    labels = [ROUTE_LABELS[r] for r in routes]
    colours = [ROUTE_COLOURS[r] for r in routes]
    panels = []
    for metric, title in (
        ("detections", "Detections to date"),
        ("dead_missing", "Dead and missing to date"),
    ):
        simulated = _to_date(daily, metric, done).reindex(list(routes), fill_value=0.0)
        data = pd.DataFrame({"route": list(routes), "simulated": simulated.to_numpy()})
        ranges = None
        if band is not None:
            low, high = band.to_date(metric, done, routes)
            ranges = list(zip(low, high, strict=True))
            data = data.assign(band_low=low, band_high=high)
        bars = [Bars("this run", list(simulated), colours, ranges=ranges)]
        if reference is not None:
            seen = reference.to_date(metric, routes, start, done)
            bars.append(Bars(reference.to_date_label(metric), seen, colours, hatched=True))
            data = data.assign(**{f"{reference.label.replace(' ', '_')}_to_date": seen})
        frame = Frame(
            width=470,
            height=190,
            left=150,
            right=56,
            extra={"data-total": f"{float(simulated.sum()):.0f}"},
        )
        svg = bar_panel(title, labels, bars, frame=frame, css_class=f"routesim-total-{metric}")
        csv = data.assign(route=labels).to_csv(index=False, float_format="%.1f")
        panels.append(exportable(svg, f"routesim-{metric}-to-date", csv, caption))
    grid = "".join(f"<div>{p}</div>" for p in panels)
    return f'<div class="routesim-totals routesim-grid">{grid}</div>{_totals_note(reference)}'


#: The country panels: metric counted by departure country, title, bar colour.
COUNTRY_PANELS: Final[tuple[tuple[str, str, str], ...]] = (
    ("departures", "Departures to date by country left (all routes)", "#4c78a8"),
    ("partner_interceptions", "Partner interceptions to date (all routes)", GUARD_PARTNER),
)


def countries_chart(
    by_country: pd.DataFrame, countries: Sequence[tuple[str, str]], caption: Sequence[str] = ()
) -> str:
    """Departures and partner interceptions to date per departure country, as HTML.

    A route's total hides where its people leave from: a partner that stops more boats
    can push departures to its neighbour, which only shows country by country.

    Args:
        by_country: Totals to date, indexed by ISO3, a column per metric (as
            `OutcomeLedger.country_totals` gives them).
        countries: ISO3 code and name of each country to draw, top to bottom. A
            country's totals are over all its routes (Türkiye's boats to Italy and to
            Greece alike): the ledger counts by country only.
        caption: Lines under each exported PNG (`export_caption`).

    Returns:
        Two SVG bar panels side by side, each with CSV and PNG links.
    """
    codes = [code for code, _ in countries]
    names = [name for _, name in countries]
    panels = []
    for metric, title, colour in COUNTRY_PANELS:
        values = (
            by_country[metric].reindex(codes, fill_value=0.0).to_numpy(dtype=float)
            if metric in by_country
            else np.zeros(len(codes))
        )
        frame = Frame(
            width=470,
            height=max(110, 40 + 22 * len(codes)),
            left=150,
            right=56,
            extra={"data-total": f"{float(values.sum()):.0f}", "data-metric": metric},
        )
        bars = [Bars("this run", list(values), [colour] * len(codes))]
        svg = bar_panel(title, names, bars, frame=frame, css_class="routesim-country-panel")
        csv = pd.DataFrame({"country": codes, "name": names, metric: values}).to_csv(
            index=False, float_format="%.1f"
        )
        panels.append(exportable(svg, f"routesim-{metric}-by-country", csv, caption))
    grid = "".join(f"<div>{p}</div>" for p in panels)
    return f'<div class="routesim-countries routesim-grid">{grid}</div>'


def _to_date(daily: pd.DataFrame, metric: str, done: int) -> pd.Series:
    if daily.empty:
        return pd.Series(dtype=float)
    kept = daily[daily["day"] < done]
    return kept.groupby("route", observed=True)[metric].sum().astype(float)


def _totals_note(reference: Reference | None) -> str:
    if reference is None:
        text = (
            "No observed figures for this run: there are figures for the calendar year 2023, "
            "and for each month of 2015-2023 beside the history scenario."
        )
    else:
        text = (
            "Solid: this run (whiskers: where the more runs with other chance events stood "
            "on the same day). " + reference.note
        )
    return f'<div class="routesim-note">{text}</div>'


def _legend(routes: tuple[str, ...], reference: Reference | None, band: BandSummary | None) -> str:
    items = [
        f'<span class="routesim-key"><span style="display:inline-block;width:18px;'
        f'height:3px;background:{ROUTE_COLOURS[r]};vertical-align:middle;margin-right:5px"></span>'
        f"{ROUTE_LABELS[r]}</span>"
        for r in routes
    ]
    swatch = "display:inline-block;width:18px;vertical-align:middle;margin-right:5px"
    if band is not None:
        items.append(
            f'<span class="routesim-key routesim-band-key"><span style="{swatch};height:9px;'
            f'background:#888;opacity:.35"></span>shaded: where {band.seeds} more runs of '
            "the same settings landed, each with other chance events (run quicker, at "
            f"{BAND_SCALE:,.0f} people per agent)</span>"
        )
    else:
        items.append(
            '<span class="routesim-key routesim-band-pending">band of other seeds: running…</span>'
        )
    if reference is not None:
        items += _observed_keys(reference, swatch)
    items.append(
        '<span class="routesim-key">Last point: the week or month so far, scaled to its full '
        "length.</span>"
    )
    return f'<div class="routesim-legend">{"".join(items)}</div>'


def _observed_keys(reference: Reference, swatch: str) -> list[str]:
    """Legend items of the observed lines, each saying what its source counts."""
    faint = " — a reference only, this run's levers differ" if reference.faint else ""
    keys = [
        f'<span class="routesim-key routesim-observed-key"><span style="{swatch};'
        f'border-top:2px dashed #555"></span>{reference.label}: {MEANING[metric]}'
        f"{WEEKLY_NOTE * (metric == 'detections')}{faint}</span>"
        for metric in reference.monthly
    ]
    if "dead_missing" in reference.year_totals:
        keys.append(
            '<span class="routesim-key">Dead and missing: the observed file holds IOM\'s year '
            "totals per route, not months, so that panel has no observed line.</span>"
        )
    return keys
