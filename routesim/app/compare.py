"""Compare: two scenarios run as small ensembles, side by side, and their difference.

Both ensembles use the same replicate seeds, so each replicate of B is paired with the
replicate of A that drew the same random numbers; the difference B − A is taken per
pair and summarised by its mean and 5-95% band, which is tighter than comparing two
independent bands. The charts mark each scenario's dated changes and one-off events as
the Simulate tab's do.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html import escape
from typing import Final

import numpy as np
import pandas as pd
import solara

from routesim.app.charts import unit
from routesim.app.live import LiveSettings
from routesim.app.svgplot import Band, Frame, Mark, Series, exportable, line_panel
from routesim.app.timeaxis import (
    OneOffMark,
    TimelineEvent,
    event_marks,
    one_off_events,
    time_ticks,
    timeline_events,
    timeline_key,
)
from routesim.app.whatif import OFF, WHAT_IF, WhatIfRow, what_if
from routesim.ensemble import Ensemble, run_ensemble
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES
from routesim.scenario import Scenario, available_scenarios, load_scenario

#: Metrics offered for comparison: label and the run-total metrics added up.
METRICS: Final[dict[str, tuple[str, ...]]] = {
    "Crossings detected": ("detections",),
    "Dead and missing": ("dead_missing",),
    "Rescues": ("rescues",),
    "Interceptions (EU and partner)": ("eu_interceptions", "partner_interceptions"),
    "Departures": ("departures",),
}
#: Whether fewer (-1) or more (+1) of a metric is better. Only deaths are judged: more
#: detections, rescues, interceptions or departures is better or worse depending on the
#: question asked, so those differences are coloured as more or fewer, not as good or bad.
BETTER: Final[dict[str, int]] = {"Dead and missing": -1}
BETTER_COLOUR, WORSE_COLOUR = "#1b6e20", "#b00020"
MORE_COLOUR, FEWER_COLOUR = "#1f4e8c", "#7b3f98"
SIMULATE_TAB = "Simulate tab settings"
COMPARE_SCALE: Final[float] = 200.0
COMPARE_SEED: Final[int] = 1


@dataclass(frozen=True)
class SideBySide:
    """Two ensembles run with the same replicate seeds, A and B, for the Compare tab.

    Not a `routesim.comparison.Comparison` (a lever comparison as stylised facts and
    lessons declare it): this one holds two whole runs to draw side by side.
    """

    name_a: str
    name_b: str
    a: Ensemble
    b: Ensemble

    def totals(self, metrics: tuple[str, ...]) -> pd.DataFrame:
        """Run totals of a metric per route and all routes: A, B and the paired B − A.

        Returns:
            One row per route (then ``all``) with mean, p05 and p95 of A, B and B − A.
        """
        a = self.a.per_replicate()
        b = self.b.per_replicate()
        rows = []
        for route in [*ROUTES, "all"]:
            va = a.loc[a["route"] == route, list(metrics)].sum(axis=1).to_numpy(dtype=float)
            vb = b.loc[b["route"] == route, list(metrics)].sum(axis=1).to_numpy(dtype=float)
            row: dict[str, object] = {"route": route}
            for key, values in (("a", va), ("b", vb), ("diff", vb - va)):
                low, high = np.percentile(values, [5.0, 95.0])
                row |= {f"{key}_mean": values.mean(), f"{key}_p05": low, f"{key}_p95": high}
            rows.append(row)
        return pd.DataFrame(rows)

    def monthly_difference(self, metrics: tuple[str, ...]) -> pd.DataFrame:
        """Monthly all-routes totals of B − A, paired by replicate: mean, p05 and p95."""

        def per_replicate(ensemble: Ensemble) -> pd.DataFrame:
            table = ensemble.monthly()
            table = table.assign(value=table[list(metrics)].sum(axis=1))
            return table.groupby(["replicate", "month"], observed=True)["value"].sum().unstack()

        diff = per_replicate(self.b) - per_replicate(self.a)
        low, high = np.percentile(diff.to_numpy(dtype=float), [5.0, 95.0], axis=0)
        return pd.DataFrame({"mean": diff.mean(), "p05": low, "p95": high}, index=diff.columns)

    def monthly_mean(self, which: str, metrics: tuple[str, ...]) -> pd.DataFrame:
        """Ensemble-mean monthly totals of a metric, one column per route."""
        ensemble = self.a if which == "a" else self.b
        table = ensemble.monthly()
        table = table.assign(value=table[list(metrics)].sum(axis=1))
        means = table.groupby(["month", "route"], observed=True)["value"].mean().unstack("route")
        return means.reindex(columns=list(ROUTES)).fillna(0.0)

    @property
    def same_timeline(self) -> bool:
        """Whether A and B have the same dated changes and one-off events in their runs."""
        return _dated(self.a.scenario) == _dated(self.b.scenario)

    def marks(self, which: str) -> list[Mark]:
        """The dated changes and one-off events of A or B (the shared ones for "both").

        The charts' time axis is A's, so the marks are placed by date from A's start.
        """
        if which == "both":
            return self.marks("a") if self.same_timeline else []
        scenario = (self.a if which == "a" else self.b).scenario
        return event_marks(*_dated(scenario), self.a.scenario.scenario.start)

    def key(self) -> str:
        """The key of the marks: one for both scenarios, or one each when they differ."""
        if self.same_timeline:
            return timeline_key(*_dated(self.a.scenario), 0)
        return "".join(
            timeline_key(*_dated(ensemble.scenario), 0, whose=f"{which}: {name}")
            for which, name, ensemble in (
                ("A", self.name_a, self.a),
                ("B", self.name_b, self.b),
            )
        )


def _dated(scenario: Scenario) -> tuple[list[TimelineEvent], list[OneOffMark]]:
    return timeline_events(scenario), one_off_events(scenario)


def resolve(choice: str, simulate: LiveSettings) -> tuple[str, Scenario]:
    """The scenario a picker choice stands for, and how to name it."""
    if choice == SIMULATE_TAB:
        n = len(simulate.overrides)
        years = " {}-{}".format(*simulate.years) if simulate.years else ""
        name = f"{simulate.scenario}{years} with {n} lever change{'s' * (n != 1)}"
        return name, simulate.resolve()
    return choice, load_scenario(choice)


def run_side_by_side(
    a: tuple[str, Scenario], b: tuple[str, Scenario], replicates: int
) -> SideBySide:
    """Run both ensembles in this process, with the same seeds."""

    def run(scenario: Scenario) -> Ensemble:
        return run_ensemble(
            scenario,
            replicates=replicates,
            seed=COMPARE_SEED,
            scale=COMPARE_SCALE,
            workers=1,
            progress=False,
        )

    return SideBySide(a[0], b[0], run(a[1]), run(b[1]))


def _band(mean: float, low: float, high: float, signed: bool = False) -> str:
    sign = "+" if signed else ""
    return (
        f"{mean:{sign},.0f} <span style='color:#777'>[{low:{sign},.0f} to {high:{sign},.0f}]</span>"
    )


def difference_table(comparison: SideBySide, metric: str) -> str:
    """HTML table of run totals: A, B and B − A (mean and 5-95% band) per route."""
    table = comparison.totals(METRICS[metric])
    head = (
        f"<tr><th>Route</th><th>A: {escape(comparison.name_a)}</th><th>B: {escape(comparison.name_b)}</th>"
        "<th>B − A (paired)</th></tr>"
    )
    body = []
    for row in table.itertuples():
        label = "All routes" if row.route == "all" else ROUTE_LABELS[row.route]
        clear = row.diff_p05 > 0 or row.diff_p95 < 0
        colour = difference_colour(metric, row.diff_mean) if clear else "#333"
        weight = "600" if row.route == "all" else "400"
        body.append(
            f"<tr style='font-weight:{weight}'><td>{label}</td><td>{_band(row.a_mean, row.a_p05, row.a_p95)}</td>"
            f"<td>{_band(row.b_mean, row.b_p05, row.b_p95)}</td>"
            f"<td style='color:{colour}'>{_band(row.diff_mean, row.diff_p05, row.diff_p95, signed=True)}</td></tr>"
        )
    return (
        "<table class='routesim-compare-table' style='border-collapse:collapse;width:100%;font-size:13px'>"
        "<style>.routesim-compare-table td,.routesim-compare-table th{padding:4px 8px;"
        "border-bottom:1px solid #e5e5e5;text-align:right}.routesim-compare-table td:first-child,"
        ".routesim-compare-table th:first-child{text-align:left}</style>"
        f"{head}{''.join(body)}</table>"
    )


def difference_colour(metric: str, difference: float) -> str:
    """Green for better and red for worse where a metric is judged, else more or fewer."""
    direction = BETTER.get(metric, 0)
    if direction:
        return BETTER_COLOUR if difference * direction > 0 else WORSE_COLOUR
    return MORE_COLOUR if difference > 0 else FEWER_COLOUR


def colour_note(metric: str) -> str:
    """What the colours of a difference mean for a metric."""
    if metric in BETTER:
        better = "fewer" if BETTER[metric] < 0 else "more"
        return f"Green: better ({better} {metric.lower()}); red: worse"
    return "Blue: more; purple: fewer (neither better nor worse in itself)"


def difference_chart(comparison: SideBySide, metric: str) -> str:
    """SVG and CSV links of the monthly paired difference B − A, all routes, with its band."""
    table = comparison.monthly_difference(METRICS[metric])
    start = comparison.a.scenario.scenario.start
    days = comparison.a.scenario.scenario.days
    xs = [float((pd.Timestamp(m).date() - start).days) + 15 for m in table.index]
    overall = float(table["mean"].sum())
    colour = difference_colour(metric, overall)
    zero = Series("no difference", "#444", [0.0, float(days)], [0.0, 0.0], dashed=True)
    mean = Series("B − A, mean", colour, xs, list(table["mean"]), width=2.4)
    band = Band("B − A, 5-95% of pairs", colour, xs, list(table["p05"]), list(table["p95"]))
    svg = line_panel(
        f"B − A (paired): {metric.lower()} per month, all routes; band: 5-95% of pairs",
        [zero, mean],
        (0.0, float(days)),
        time_ticks(start, days),
        y_label=f"{unit(METRICS[metric])} per month",
        frame=Frame(width=1060, height=230),
        css_class="routesim-compare-diff",
        bands=[band],
        marks=comparison.marks("both"),
    )
    csv = table.rename_axis("month").reset_index().to_csv(index=False, float_format="%.1f")
    return exportable(svg, "routesim-compare-difference", csv)


def route_key() -> str:
    """A legend of the route colours, for the Compare charts."""
    items = "".join(
        f'<span class="routesim-key"><span style="display:inline-block;width:18px;height:3px;'
        f'background:{ROUTE_COLOURS[r]};vertical-align:middle;margin-right:5px"></span>'
        f"{ROUTE_LABELS[r]}</span>"
        for r in ROUTES
    )
    return f'<div class="routesim-legend routesim-compare-key">{items}</div>'


def monthly_chart(comparison: SideBySide, which: str, metric: str, high: float) -> str:
    """SVG and CSV links of the ensemble-mean monthly totals of one scenario, per route."""
    table = comparison.monthly_mean(which, METRICS[metric])
    start = comparison.a.scenario.scenario.start
    days = comparison.a.scenario.scenario.days
    xs = [float((pd.Timestamp(m).date() - start).days) + 15 for m in table.index]
    series = [Series(ROUTE_LABELS[r], ROUTE_COLOURS[r], xs, list(table[r])) for r in ROUTES]
    series.append(Series("", "none", [0.0], [high], width=0))  # same y axis on both sides
    name = comparison.name_a if which == "a" else comparison.name_b
    title = (
        f"{which.upper()}: {name} — {metric.lower()} per month (mean of {comparison.a.replicates})"
    )
    svg = line_panel(
        title,
        series,
        (0.0, float(days)),
        time_ticks(start, days),
        y_label=f"{unit(METRICS[metric])} per month",
        frame=Frame(width=520, height=230),
        css_class=f"routesim-compare-{which}",
        marks=comparison.marks(which),
    )
    csv = table.rename_axis("month").reset_index().to_csv(index=False, float_format="%.1f")
    return exportable(svg, f"routesim-compare-{which}", csv)


@solara.component
def CompareView(simulate: LiveSettings) -> None:
    """Pick two scenarios, run a small ensemble of each, and show them and their difference."""
    choices = [*available_scenarios(), SIMULATE_TAB]
    choice_a = solara.use_reactive("baseline-2023")
    choice_b = solara.use_reactive("no-ngo-rescue" if "no-ngo-rescue" in choices else SIMULATE_TAB)
    change = solara.use_reactive("")
    mode = solara.use_reactive(OFF)
    moved_to = solara.use_reactive("")
    asks_what_if = choice_b.value == WHAT_IF
    # A's scenario lists the changes a what-if can take (loading the history takes a second).
    scenario_a = solara.use_memo(
        lambda: resolve(choice_a.value, simulate)[1] if asks_what_if else None,
        [choice_a.value, simulate, asks_what_if],
    )
    replicates = solara.use_reactive(5)
    metric = solara.use_reactive("Dead and missing")
    request = solara.use_reactive(0)
    result: solara.Reactive[SideBySide | None] = solara.use_reactive(None)
    error = solara.use_reactive("")

    def work(cancel: threading.Event) -> None:
        if request.value == 0:
            return
        try:
            a = resolve(choice_a.value, simulate)
            if choice_b.value == WHAT_IF:
                b = what_if(a, change.value, mode.value, moved_to.value)
            else:
                b = resolve(choice_b.value, simulate)
            comparison = run_side_by_side(a, b, replicates.value)
        except Exception as exc:  # shown to the user, not swallowed
            error.set(f"{type(exc).__name__}: {exc}")
            return
        if not cancel.is_set():
            error.set("")
            result.set(comparison)

    running = solara.use_thread(work, dependencies=[request.value], intrusive_cancel=False)
    busy = running.state == solara.ResultState.RUNNING

    with solara.Card("Compare two scenarios", style={"margin-bottom": "12px"}):
        solara.Text(
            f"Each scenario runs as an ensemble of replicates ({COMPARE_SCALE:g} people per agent, "
            f"seed {COMPARE_SEED}), both with the same replicate seeds, so B − A is taken replicate by "
            "replicate. Bands are the 5th to 95th percentile over replicates. "
            f"'{SIMULATE_TAB}' is the scenario and lever changes set on the Simulate tab "
            "(and the history's years). 'What if…' as B is A with one of its dated changes "
            "switched off or moved, e.g. the history without the EU-Turkey Statement.",
            style={"font-size": "13px", "color": "#444", "display": "block"},
        )
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Select(
                "Scenario A", values=choices, value=choice_a, classes=["routesim-compare-pick-a"]
            )
            solara.Select(
                "Scenario B",
                values=[*choices, WHAT_IF],
                value=choice_b,
                classes=["routesim-compare-pick-b"],
            )
            solara.Select(
                "Replicates",
                values=[3, 5, 10],
                value=replicates,
                classes=["routesim-compare-replicates"],
            )
            solara.Button(
                "Running…" if busy else "Run comparison",
                icon_name="mdi-play-box-multiple",
                color="primary",
                disabled=busy,
                on_click=lambda: request.set(request.value + 1),
                classes=["routesim-compare-run"],
            )
        if scenario_a is not None:
            WhatIfRow(scenario_a, change, mode, moved_to)
        if busy:
            solara.ProgressLinear(True)
        if error.value:
            solara.Error(error.value)
    comparison: SideBySide | None = result.value
    if comparison is None:
        return
    solara.ToggleButtonsSingle(value=metric, values=list(METRICS), dense=True)
    both = [comparison.monthly_mean(w, METRICS[metric.value]).to_numpy().max() for w in ("a", "b")]
    high = float(max(both))
    with solara.Columns([1, 1]):
        solara.HTML(tag="div", unsafe_innerHTML=monthly_chart(comparison, "a", metric.value, high))
        solara.HTML(tag="div", unsafe_innerHTML=monthly_chart(comparison, "b", metric.value, high))
    solara.HTML(tag="div", unsafe_innerHTML=route_key() + comparison.key())
    solara.HTML(tag="div", unsafe_innerHTML=difference_chart(comparison, metric.value))
    solara.HTML(tag="div", unsafe_innerHTML=difference_table(comparison, metric.value))
    solara.Text(
        f"{metric.value}: run totals over {comparison.a.scenario.scenario.days} days from "
        f"{comparison.a.scenario.scenario.start:%d %B %Y}. Coloured: the paired band excludes "
        f"zero. {colour_note(metric.value)}.",
        style={"font-size": "12px", "color": "#555"},
    )
