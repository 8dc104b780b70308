"""The charts' arithmetic on small made-up daily tables: units, periods, rates so far and
the band's lowest and highest over seeds. (Whole charts of a live run:
test_app_parts.py.)"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest

from routesim.app.charts import (
    PANELS,
    WEEKLY_AT_MOST_DAYS,
    countries_chart,
    flows_chart,
    panel_period,
    panel_tops,
    period_edges,
    period_rates,
    summarise_band,
    unit,
)
from routesim.routes import ROUTES

START = dt.date(2023, 1, 1)


def daily_table(days: int, per_day: dict[str, float]) -> pd.DataFrame:
    """A tidy daily table: every route each day, each metric at its daily value."""
    rows = [{"day": day, "route": route, **per_day} for day in range(days) for route in ROUTES]
    return pd.DataFrame(rows)


def test_detections_are_counted_as_detections_and_everything_else_as_people():
    assert unit(("detections",)) == "detections"
    assert unit(("eu_interceptions", "partner_interceptions")) == "people"
    assert unit(("dead_missing",)) == "people"


def test_a_long_run_is_drawn_by_month_and_a_short_one_by_each_panels_period():
    assert [panel_period(p.period, 365) for p in PANELS] == ["week"] * 5 + ["month"]
    assert {panel_period(p.period, WEEKLY_AT_MOST_DAYS + 1) for p in PANELS} == {"month"}


def test_weeks_run_from_the_first_day_and_the_last_ends_with_the_run():
    assert period_edges(START, 20, "week").tolist() == [0, 7, 14, 20]


def test_rates_add_up_the_metrics_and_leave_out_the_days_not_done():
    metrics = ("eu_interceptions", "partner_interceptions")
    daily = daily_table(14, {"eu_interceptions": 1.0, "partner_interceptions": 2.0})
    # Ten days done of two weeks: days 10-13 are in the table but not counted.
    table = period_rates(daily, metrics, np.array([0, 7, 14]), 10)
    assert table.index.tolist() == [0, 7]
    assert table.loc[0].tolist() == [3.0 * 7] * len(ROUTES)
    # Days 7-9 done, three of seven: 9 people so far, a rate of 21 a week.
    assert table.loc[7].tolist() == [pytest.approx(21.0)] * len(ROUTES)


def test_before_the_first_day_there_is_no_rate():
    table = period_rates(daily_table(0, {"detections": 0.0}), ("detections",), np.array([0, 7]), 0)
    assert table.empty


def band_of(levels: list[float], days: int = 14) -> pd.DataFrame:
    """Replicates whose every daily count is the replicate's level, on every route."""
    metrics = {metric for panel in PANELS for metric in panel.metrics}
    return pd.concat(
        daily_table(days, dict.fromkeys(metrics, level)).assign(replicate=k)
        for k, level in enumerate(levels)
    )


def test_the_band_holds_the_lowest_and_highest_rate_over_its_seeds():
    band = summarise_band(band_of([1.0, 4.0, 2.0]), START, 14)
    assert band.seeds == 3
    low, high = band.flows[PANELS[0].title]
    assert low.loc[0].tolist() == [7.0] * len(ROUTES)
    assert high.loc[7].tolist() == [28.0] * len(ROUTES)


def test_the_bands_totals_to_date_are_the_lowest_and_highest_over_its_seeds():
    band = summarise_band(band_of([1.0, 4.0, 2.0]), START, 14)
    routes = ("central_med", "eastern_med")
    assert band.to_date("detections", 0, routes).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert band.to_date("detections", 5, routes).tolist() == [[5.0, 5.0], [20.0, 20.0]]
    # Past the band's last day: its totals at the end.
    assert band.to_date("dead_missing", 30, routes).tolist() == [[14.0, 14.0], [56.0, 56.0]]


def test_partner_and_eu_interceptions_are_drawn_apart():
    levels = {metric: 0.0 for panel in PANELS for metric in panel.metrics}
    daily = daily_table(14, levels | {"eu_interceptions": 1.0, "partner_interceptions": 3.0})
    html = flows_chart(daily, ("central_med",), None, START, 14, 14)
    by_metric = {
        metric: float(total)
        for total, metric in re.findall(r'data-total="(\d+)" data-metric="([a-z_+]+)"', html)
    }
    per_route_days = 14 * len(ROUTES)
    assert by_metric["partner_interceptions"] == 3.0 * per_route_days
    assert by_metric["eu_interceptions"] == 1.0 * per_route_days
    assert "departures" in by_metric and "eu_interceptions+partner_interceptions" not in by_metric


def test_the_country_panels_draw_each_country_asked_for_in_order_with_its_totals():
    by_country = pd.DataFrame(
        {"departures": [100.0, 40.0], "partner_interceptions": [60.0, 0.0], "arrivals": 0.0},
        index=pd.Index(["TUN", "LBY"], name="country"),
    )
    html = countries_chart(by_country, [("LBY", "Libya"), ("TUN", "Tunisia"), ("EGY", "Egypt")])
    panels = re.findall(r"<svg[^>]*routesim-country-panel.*?</svg>", html, flags=re.S)
    assert len(panels) == 2
    assert 'data-total="140"' in panels[0] and 'data-total="60"' in panels[1]
    # Categories top to bottom as given, Egypt (nothing counted) included at zero.
    for panel in panels:
        assert panel.index("Libya") < panel.index("Tunisia") < panel.index("Egypt")
    assert quote("LBY,Libya,40.0") in html and quote("EGY,Egypt,0.0") in html


def _y_ticks(svg: str) -> list[list[str]]:
    """Each panel's y tick labels, top panel first."""
    panels = re.findall(r"<svg[^>]*routesim-flow-panel.*?</svg>", svg, flags=re.S)
    return [re.findall(r'text-anchor="end" font-size="10" fill="#555">([^<]+)<', p) for p in panels]


def test_kept_axes_draw_a_smaller_run_on_the_scale_of_the_kept_one():
    metrics = {metric for panel in PANELS for metric in panel.metrics}
    small = daily_table(14, dict.fromkeys(metrics, 1.0))
    large = daily_table(14, dict.fromkeys(metrics, 300.0))
    tops = panel_tops(large, ROUTES, START, 14, 14)
    assert tops["detections"] == 300.0 * 7 and tops["dead_missing"] == 300.0 * 14
    on_its_own = _y_ticks(flows_chart(small, ROUTES, None, START, 14, 14))
    kept = _y_ticks(flows_chart(small, ROUTES, None, START, 14, 14, y_floors=tops))
    assert kept == _y_ticks(flows_chart(large, ROUTES, None, START, 14, 14))
    assert kept != on_its_own
    # A run above the kept scale still fits: the axis grows rather than clip it.
    grown = _y_ticks(flows_chart(large, ROUTES, None, START, 14, 14, y_floors={"detections": 1}))
    assert grown == _y_ticks(flows_chart(large, ROUTES, None, START, 14, 14))
