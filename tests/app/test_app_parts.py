"""The app's parts without a browser: charts add up, the map draws what the model holds."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape

import pandas as pd
import pytest

from routesim.app.assets import PACKAGES, missing_assets
from routesim.app.charts import (
    flows_chart,
    period_edges,
    period_rates,
    summarise_band,
    totals_chart,
)
from routesim.app.controls import slider_step, tooltip_text
from routesim.app.frame import Frame
from routesim.app.live import LiveRun, LiveSettings
from routesim.app.map import map_layers
from routesim.app.page import export_caption
from routesim.app.reference import observed_to_date, year_reference
from routesim.app.svgplot import exportable
from routesim.app.timeaxis import timeline_events
from routesim.app.words import GLOSSARY, glossary_html
from routesim.ensemble import Ensemble
from routesim.lever_fields import THEMES
from routesim.levers import lever_specs
from routesim.observed import load_observed
from routesim.routes import ROUTES
from routesim.scenario import Scenario, load_scenario


@pytest.fixture(scope="module")
def run() -> LiveRun:
    live = LiveRun(LiveSettings(scale=100))
    live.advance(23)
    return live


def test_weekly_rates_scale_the_week_in_progress(run: LiveRun) -> None:
    daily = run.daily()
    meta = run.scenario.scenario
    table = period_rates(daily, ("detections",), period_edges(meta.start, meta.days, "week"), 23)
    assert list(table.index) == [0, 7, 14, 21]  # days 21-22: the week so far
    first_weeks = daily[daily["day"] < 21].groupby("route")["detections"].sum()
    assert table.loc[[0, 7, 14]].sum().to_dict() == pytest.approx(
        first_weeks.reindex(ROUTES).to_dict()
    )
    so_far = daily[daily["day"] >= 21].groupby("route")["detections"].sum() * 7 / 2
    assert table.loc[21].to_dict() == pytest.approx(so_far.reindex(ROUTES).to_dict())


def test_monthly_periods_follow_the_calendar() -> None:
    edges = period_edges(dt.date(2023, 1, 1), 365, "month")
    assert list(edges[:3]) == [0, 31, 59] and edges[-1] == 365 and len(edges) == 13


def test_charts_show_band_reference_and_totals_to_the_same_day(run: LiveRun) -> None:
    daily = run.daily()
    meta = run.scenario.scenario
    band = summarise_band(
        pd.concat([daily.assign(replicate=k) for k in range(2)]), meta.start, meta.days
    )
    reference = year_reference(load_observed(), 2023, faint=True)
    flows = flows_chart(daily, ROUTES, reference, meta.start, meta.days, 23, band)
    assert flows.count('class="band"') == 6 * len(ROUTES)
    assert "observed 2023" in flows and "a reference only" in flows
    assert flows.count('stroke-opacity="0.45"') == len(ROUTES)  # faint observed lines
    assert flows.count('class="routesim-csv"') == 6 and flows.count('class="routesim-png"') == 6
    totals = totals_chart(daily, ROUTES, reference, meta.start, 23, band)
    assert totals.count('class="whisker"') == 2 * len(ROUTES)
    observed = load_observed()
    expected = observed_to_date(reference.monthly["detections"]["central_med"], meta.start, 23)
    assert f"{expected:,.0f}" in totals
    assert f"{observed.dead_missing['central_med'] * 23 / 365:,.0f}" in totals


def test_charts_say_why_they_are_empty_before_the_first_day() -> None:
    empty = LiveRun(LiveSettings(scale=400))
    meta = empty.scenario.scenario
    assert "no day completed yet" in flows_chart(
        empty.daily(), ROUTES, None, meta.start, meta.days, 0
    )


def test_observed_to_date_covers_the_year() -> None:
    observed = load_observed()
    route = "central_med"
    months = year_reference(observed, 2023, faint=False).monthly["detections"][route]
    start = dt.date(2023, 1, 1)
    assert observed_to_date(months, start, 365) == pytest.approx(observed.detections_total(route))
    assert observed_to_date(months, start, 31) == pytest.approx(observed.detections[route][0])
    half_feb = observed_to_date(months, start, 31 + 14)
    assert half_feb == pytest.approx(
        observed.detections[route][0] + observed.detections[route][1] / 2
    )


def test_map_overlay_draws_every_boat_on_the_map(run: LiveRun) -> None:
    layers = map_layers(run.model.geography, None)
    overlay = layers.overlay(Frame.of(run))
    boats = [
        b for b in run.model.fleet.at_sea.values() if layers.projection.contains(*b.position())
    ]
    assert boats
    assert overlay.count('class="boat"') == len(boats)
    assert overlay.count('class="guard"') > 0 and overlay.count('class="rescue"') > 0
    one = map_layers(run.model.geography, "central_med").overlay(Frame.of(run))
    assert one.count('class="boat"') == sum(1 for b in boats if b.crossing.route == "central_med")


def test_lever_change_restarts_with_the_new_value() -> None:
    name = "levers.ngo_vessels"
    changed = LiveSettings().with_lever(name, 0.0)
    assert changed.overrides == ((name, 0.0),) and not changed.is_baseline
    assert changed.resolve().levers.ngo_vessels == 0
    spec = next(s for s in lever_specs() if s.name == name)
    assert changed.with_lever(name, spec.default).overrides == ()


def test_every_lever_has_a_theme_panel_step_and_tooltip() -> None:
    for spec in lever_specs():
        assert spec.theme in THEMES
        step = slider_step(spec)
        assert 0 < step <= (spec.high - spec.low)
        assert spec.unit in tooltip_text(spec) and spec.passage in tooltip_text(spec)


def test_missing_assets_lists_what_is_not_unpacked(tmp_path) -> None:
    assert missing_assets(tmp_path) == list(PACKAGES)
    (tmp_path / PACKAGES[0]).mkdir(parents=True)
    (tmp_path / PACKAGES[0] / "package.json").write_text("{}")
    assert missing_assets(tmp_path) == list(PACKAGES[1:])


def _ensemble(run: LiveRun, factor: float, scenario: Scenario | None = None) -> Ensemble:
    """Three made-up replicates of the run's days, dead and missing scaled by `factor`."""
    daily = run.daily()
    replicates = [
        daily.assign(replicate=k, seed=k, dead_missing=daily["dead_missing"] * factor * (k + 1))
        for k in range(3)
    ]
    return Ensemble(
        scenario or run.scenario, 1, (0, 1, 2), run.settings.scale, pd.concat(replicates)
    )


def test_compare_difference_chart_has_a_band_and_judges_deaths_only(run: LiveRun) -> None:
    from routesim.app.compare import SideBySide, difference_chart, difference_colour, route_key

    comparison = SideBySide("a", "b", _ensemble(run, 1.0), _ensemble(run, 2.0))
    chart = difference_chart(comparison, "Dead and missing")
    assert 'class="band"' in chart and "routesim-compare-difference.csv" in chart
    assert difference_colour("Dead and missing", -5) == difference_colour("Dead and missing", -1)
    assert difference_colour("Dead and missing", -5) != difference_colour("Dead and missing", 5)
    assert difference_colour("Rescues", 5) != difference_colour("Dead and missing", 5)
    assert route_key().count("routesim-key") == len(ROUTES)


def _y_labels(svg: str) -> list[str]:
    return re.findall(r'rotate\(-90\)"[^>]*>([^<]*)</text>', svg)


def test_axes_count_detections_as_events_and_the_rest_as_people(run: LiveRun) -> None:
    from routesim.app.compare import SideBySide, difference_chart, monthly_chart

    meta = run.scenario.scenario
    flows = flows_chart(run.daily(), ROUTES, None, meta.start, meta.days, 23)
    assert _y_labels(flows) == [
        "detections per week",
        *["people per week"] * 4,  # departures, partner and EU interceptions, rescues
        "people per month",
    ]
    comparison = SideBySide("a", "b", _ensemble(run, 1.0), _ensemble(run, 2.0))
    for metric, unit in (
        ("Crossings detected", "detections"),
        ("Dead and missing", "people"),
        ("Departures", "people"),
    ):
        charts = monthly_chart(comparison, "a", metric, 1.0) + difference_chart(comparison, metric)
        assert _y_labels(charts) == [f"{unit} per month"] * 2


def test_compare_marks_the_dated_changes_and_one_off_events(run: LiveRun) -> None:
    from routesim.app.compare import SideBySide, difference_chart, monthly_chart

    history = load_scenario("history-2015-2023")
    changes = len(timeline_events(history))
    same = SideBySide("a", "b", _ensemble(run, 1.0, history), _ensemble(run, 2.0, history))
    for chart in (
        monthly_chart(same, "a", "Rescues", 1.0),
        monthly_chart(same, "b", "Rescues", 1.0),
        difference_chart(same, "Rescues"),
    ):
        assert chart.count('class="event-mark"') == changes
        assert chart.count('class="event-mark low"') == 3  # Evros, Ceuta, Lampedusa
    key = same.key()
    assert key.count("routesim-event-key") == changes and key.count("routesim-one-off-key") == 3
    # Another timeline: each scenario's chart has its own marks and key, the difference none.
    mixed = SideBySide("baseline", "history", _ensemble(run, 1.0), _ensemble(run, 2.0, history))
    assert monthly_chart(mixed, "a", "Rescues", 1.0).count("event-mark") == 1  # Lampedusa
    assert "event-mark" not in difference_chart(mixed, "Rescues")
    assert "A: baseline" in mixed.key() and "B: history" in mixed.key()


def test_the_glossary_tells_detections_from_people_and_names_both_forces() -> None:
    html = glossary_html()
    assert html.count("<dt") == len(GLOSSARY)
    meanings = dict(GLOSSARY)
    assert "not people" in meanings["Detections"]
    assert "partner forces" in meanings["Interception"] and "EU forces" in meanings["Interception"]
    assert "never found" in meanings["Dead and missing"]


def test_an_exported_chart_names_its_run_dates_and_lever_changes() -> None:
    changed = LiveSettings(seed=3, scale=200, overrides=(("levers.ngo_vessels", 0.0),))
    lines = export_caption(changed, "baseline-2023", dt.date(2023, 1, 1), 31)
    assert lines[0] == (
        "routesim · baseline-2023 · seed 3 · 200 people/agent · 01 Jan 2023 to 31 Jan 2023"
    )
    assert lines[1:] == ["Levers changed: NGO rescue vessels: 0 vessels on station (was 3)"]
    assert export_caption(LiveSettings(), "x", dt.date(2023, 1, 1), 0)[1:] == [
        "Levers: as in the scenario"
    ]
    html = exportable("<svg></svg>", "n", "a\n", lines, [("Central Mediterranean", "#123456")])
    assert escape(json.dumps(lines)) in html
    assert escape(json.dumps([["Central Mediterranean", "#123456"]])) in html
