"""History mode without a browser: the observed months beside a run, its years, a jump's day."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from urllib.parse import unquote

import pandas as pd
import pytest

from routesim.app.charts import flows_chart, totals_chart
from routesim.app.compare import SIMULATE_TAB, resolve
from routesim.app.history import fast_forward, history_years, jump_day
from routesim.app.live import LiveSettings
from routesim.app.page import status_line
from routesim.app.recording import Recording
from routesim.app.reference import (
    HISTORY_FILE,
    history_reference,
    observed_steps,
    observed_to_date,
    reference_for,
)
from routesim.app.timeaxis import timeline_events
from routesim.hindcast import HISTORY_SCENARIO, load_observed_history
from routesim.routes import ROUTES

START = dt.date(2015, 1, 1)
#: 2015-2023: 3,287 days.
HISTORY_DAYS = 3287


def _observed(route: str, metric: str, first: str, last: str) -> pd.Series:
    """The observed file's months of a route from `first` to `last` ("YYYY-MM"), inclusive."""
    table = load_observed_history()
    chosen = (table["route"] == route) & table["month"].between(first, last)
    return table[chosen].set_index("month")[metric]


def test_the_years_picked_keep_the_last_at_or_after_the_first() -> None:
    assert history_years(2016, 2018) == (2016, 2018)
    assert history_years(2019, 2016) == (2019, 2019)
    assert history_years(2015, 2023) is None  # the scenario as shipped: one shared recording


def test_a_window_runs_its_years_and_numbers_only_its_own_changes() -> None:
    scenario = LiveSettings(HISTORY_SCENARIO, years=(2016, 2018)).resolve()
    assert (scenario.scenario.start, scenario.end) == (dt.date(2016, 1, 1), dt.date(2018, 12, 31))
    events = timeline_events(scenario)
    assert events[0].title == "9 Mar 2016: Western Balkans corridor closed"
    assert all(dt.date(2016, 1, 1) <= e.date <= dt.date(2018, 12, 31) for e in events)


def test_the_compare_tab_names_the_simulate_tabs_years() -> None:
    name, scenario = resolve(SIMULATE_TAB, LiveSettings(HISTORY_SCENARIO, years=(2016, 2018)))
    assert name == "history-2015-2023 2016-2018 with 0 lever changes"
    assert scenario.scenario.start == dt.date(2016, 1, 1)


def test_a_jump_lands_on_the_day_the_date_is_complete() -> None:
    assert jump_day("2015-01-01", START, HISTORY_DAYS) == 1
    assert jump_day("2016-03-20", START, HISTORY_DAYS) == 365 + 31 + 29 + 20
    assert jump_day(" 2016-03 ", START, HISTORY_DAYS) == 365 + 31 + 29 + 1
    assert jump_day("2023-12-31", START, HISTORY_DAYS) == HISTORY_DAYS
    with pytest.raises(ValueError, match="is not in this run"):
        jump_day("2024-01-01", START, HISTORY_DAYS)
    with pytest.raises(ValueError, match="not a date like 2016-03-20"):
        jump_day("20 March 2016", START, HISTORY_DAYS)


def test_a_jump_fast_forwards_and_the_status_line_shows_the_date_and_its_change() -> None:
    settings = LiveSettings(HISTORY_SCENARIO, scale=400, years=(2016, 2016))
    recording = Recording(settings)
    try:
        target = jump_day("2016-03-20", dt.date(2016, 1, 1), recording.days)
        reached: list[int] = []
        assert fast_forward(recording, target, reached.append, threading.Event())
        assert reached == sorted(reached) and reached[-1] == target
        assert recording.recorded >= target
        status = status_line(recording, settings, target)
        assert "20 Mar 2016 · latest" in status
        assert status.endswith("latest change 2, 20 Mar 2016: EU-Turkey Statement")
        cancelled = threading.Event()
        cancelled.set()
        assert not fast_forward(recording, recording.days, reached.append, cancelled)
    finally:
        recording.stop()


def test_the_history_is_drawn_beside_its_observed_months_and_nothing_after_2023() -> None:
    reference = history_reference(dt.date(2016, 1, 1), 1096, faint=False)
    assert reference is not None and reference.label == "observed"
    for metric in ("detections", "dead_missing"):
        table = reference.monthly[metric]
        assert list(table.columns) == sorted(ROUTES)
        assert (table.index[0], table.index[-1]) == (dt.date(2016, 1, 1), dt.date(2018, 12, 1))
        expected = _observed("central_med", metric, "2016-01", "2018-12")
        assert table["central_med"].tolist() == expected.tolist()
    whole = reference_for(LiveSettings(HISTORY_SCENARIO), START, HISTORY_DAYS)
    assert whole is not None and whole.monthly["detections"].index[-1] == dt.date(2023, 12, 1)
    assert history_reference(dt.date(2023, 1, 1), 366, faint=False) is None  # into 2024


def test_observed_months_are_steps_per_week_or_month_and_totals_pro_rata() -> None:
    months = _observed("eastern_med", "detections", "2016-01", "2016-03")
    months.index = [m.date() for m in months.index]
    jan, feb, mar = months.tolist()
    start = dt.date(2016, 1, 1)
    xs, ys = observed_steps(months, start, 366, "month")
    assert xs == [0, 31, 31, 60, 60, 91] and ys == [jan, jan, feb, feb, mar, mar]
    _, weekly = observed_steps(months, start, 366, "week")
    assert weekly[0] == pytest.approx(jan / 31 * 7)
    assert observed_to_date(months, start, 31 + 29 + 20) == pytest.approx(jan + feb + mar * 20 / 31)
    assert observed_to_date(months, dt.date(2016, 2, 1), 29) == pytest.approx(feb)


def test_which_figures_a_run_is_drawn_beside() -> None:
    baseline = reference_for(LiveSettings(), dt.date(2023, 1, 1), 365)
    assert baseline is not None and baseline.label == "observed 2023" and not baseline.faint
    # The history keeps to its own file in 2023 too, and is faint once a lever changes.
    history_2023 = reference_for(LiveSettings(HISTORY_SCENARIO), dt.date(2023, 1, 1), 365)
    assert history_2023 is not None and history_2023.label == "observed"
    changed = LiveSettings(HISTORY_SCENARIO, overrides=(("levers.ngo_vessels", 0.0),))
    counterfactual = reference_for(changed, START, HISTORY_DAYS)
    assert counterfactual is not None and counterfactual.faint


def test_the_history_charts_label_the_observed_lines_and_say_what_they_count() -> None:
    start, days = dt.date(2016, 1, 1), 1096
    reference = history_reference(start, days, faint=False)
    empty = pd.DataFrame(
        columns=["day", "route", "detections", "departures", "eu_interceptions"]
        + ["partner_interceptions", "rescues", "dead_missing"]
    )
    flows = flows_chart(empty, ROUTES, reference, start, days, 80)
    assert flows.count("stroke-dasharray=") == 2 * len(ROUTES)  # detections, dead and missing
    assert "observed, Central Mediterranean (Frontex)" in flows
    assert "observed, Central Mediterranean (IOM)" in flows
    assert "events, not people" in flows and "a lower bound" in flows
    totals = totals_chart(empty, ROUTES, reference, start, 80)
    assert HISTORY_FILE in totals and "observed to the same date (IOM, months pro rata)" in totals
    to_date = _observed("central_med", "detections", "2016-01", "2016-03")
    expected = to_date.iloc[0] + to_date.iloc[1] + to_date.iloc[2] * 20 / 31
    assert f"observed to the same date (Frontex, months pro rata): {expected:,.0f}" in totals


def _csvs(html: str) -> list[pd.DataFrame]:
    """The CSV of each chart in `html`, in order."""
    links = re.findall(r'href="data:text/csv;charset=utf-8,([^"]*)"', html)
    return [pd.read_csv(io.StringIO(unquote(link))) for link in links]


def test_the_flows_csv_has_the_observed_figures_beside_the_simulated_ones() -> None:
    start, days = dt.date(2016, 1, 1), 1096  # weekly panels: a week gets its days' share
    reference = history_reference(start, days, faint=False)
    assert reference is not None
    daily = pd.DataFrame(
        [(d, r, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0) for d in range(70) for r in ROUTES],
        columns=["day", "route", "detections", "departures", "eu_interceptions"]
        + ["partner_interceptions", "rescues", "dead_missing"],
    )
    detections, _, interceptions, _, rescues, deaths = _csvs(
        flows_chart(daily, ROUTES, reference, start, days, 70)
    )
    assert list(detections.columns) == ["period_start", "route", "simulated", "observed"]
    jan, feb = _observed("central_med", "detections", "2016-01", "2016-02").tolist()
    central = detections[detections["route"] == "central_med"].set_index("period_start")
    assert central.loc["2016-01-01", "observed"] == pytest.approx(jan * 7 / 31, abs=0.05)
    # The week from 29 January: three days of January's count and four of February's.
    assert central.loc["2016-01-29", "observed"] == pytest.approx(
        jan * 3 / 31 + feb * 4 / 29, abs=0.05
    )
    assert central.loc["2016-01-01", "simulated"] == 7.0
    # Nothing observed of interceptions and rescues: the column is there, and empty.
    assert interceptions["observed"].isna().all() and rescues["observed"].isna().all()
    dead_jan = _observed("eastern_med", "dead_missing", "2016-01", "2016-01").iloc[0]
    eastern = deaths[deaths["route"] == "eastern_med"].set_index("period_start")
    assert eastern.loc["2016-01-01", "observed"] == pytest.approx(dead_jan)
    # Beside 2023 the dead and missing are year totals only: no month to put beside a month.
    baseline = reference_for(LiveSettings(), dt.date(2023, 1, 1), 365)
    flows_2023 = _csvs(flows_chart(daily, ROUTES, baseline, dt.date(2023, 1, 1), 365, 70))
    assert "observed_2023" in flows_2023[0] and flows_2023[0]["observed_2023"].notna().all()
    assert flows_2023[5]["observed_2023"].isna().all()
