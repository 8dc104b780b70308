"""Time axes that suit the run's length, and a scenario's dated changes on the charts."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from routesim.app.charts import PANELS, WEEKLY_AT_MOST_DAYS, flows_chart, panel_period
from routesim.app.live import LiveSettings
from routesim.app.page import status_line
from routesim.app.recording import Recording
from routesim.app.svgplot import MARK_LABEL_GAP, Frame, Mark, Series, line_panel
from routesim.app.timeaxis import (
    MAX_TICKS,
    ONE_OFF_COLOUR,
    latest_event,
    one_off_events,
    time_ticks,
    timeline_events,
)
from routesim.routes import ROUTES
from routesim.scenario import MAX_DAYS, TimelineChange, load_scenario

HISTORY = "history-2015-2023"


def test_a_year_is_labelled_by_month() -> None:
    ticks = time_ticks(dt.date(2023, 1, 1), 365)
    assert [label for _, label in ticks] == [f"{dt.date(2023, m, 1):%b}" for m in range(1, 13)]
    assert [x for x, _ in ticks][:3] == [0.0, 31.0, 59.0]


def test_a_year_across_new_year_labels_its_january_with_the_year() -> None:
    labels = [label for _, label in time_ticks(dt.date(2023, 7, 1), 365)]
    assert labels == [
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "2024",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
    ]


def test_two_years_are_labelled_by_quarter_with_years_at_january() -> None:
    labels = [label for _, label in time_ticks(dt.date(2023, 1, 1), 731)]
    assert labels == ["2023", "Apr", "Jul", "Oct", "2024", "Apr", "Jul", "Oct"]


def test_the_history_is_labelled_by_year_at_each_january() -> None:
    start = dt.date(2015, 1, 1)
    ticks = time_ticks(start, load_scenario(HISTORY).scenario.days)
    assert ticks == [(float((dt.date(y, 1, 1) - start).days), str(y)) for y in range(2015, 2024)]


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    days=st.integers(min_value=1, max_value=MAX_DAYS),
)
def test_ticks_are_few_in_order_within_the_run_and_on_firsts_of_months(
    start: dt.date, days: int
) -> None:
    ticks = time_ticks(start, days)
    assert len(ticks) <= MAX_TICKS
    offsets = [x for x, _ in ticks]
    assert offsets == sorted(offsets) and all(0 <= x < days for x in offsets)
    assert all((start + dt.timedelta(days=int(x))).day == 1 for x in offsets)
    if days >= 2 * 366:  # at least one January: long runs say which year is which
        assert any(re.fullmatch(r"\d{4}", label) for _, label in ticks)


def test_the_history_events_are_numbered_in_date_order_from_its_timeline() -> None:
    scenario = load_scenario(HISTORY)
    events = timeline_events(scenario)
    assert len(events) == len(scenario.timeline)
    assert [e.number for e in events] == list(range(1, len(events) + 1))
    assert [e.date for e in events] == sorted(c.date for c in scenario.timeline)
    first = events[0]
    assert (first.date, first.day) == (dt.date(2015, 9, 15), 257)
    assert first.title == "15 Sep 2015: Hungary fences its border with Serbia"
    assert first.changes == "National guards on land borders 0.6"


def test_only_changes_within_the_run_are_events_and_an_unlabelled_one_is_named() -> None:
    base = load_scenario("baseline-2023")
    timeline = [
        TimelineChange(date=dt.date(2022, 6, 1), label="before", set={"levers.ngo_vessels": 1}),
        TimelineChange(date=dt.date(2023, 3, 1), set={"levers.ngo_vessels": 5}),
        TimelineChange(date=dt.date(2024, 1, 1), label="after", set={"levers.ngo_vessels": 2}),
    ]
    (event,) = timeline_events(base.model_copy(update={"timeline": timeline}))
    assert (event.number, event.day) == (1, 59)
    assert event.label == event.changes == "NGO rescue vessels 5"


def test_the_latest_event_is_the_last_in_force_on_the_last_day_done() -> None:
    events = timeline_events(load_scenario(HISTORY))
    first = events[0]
    assert latest_event(events, first.day) is None  # days 0 to day - 1 done
    assert latest_event(events, first.day + 1) is first
    assert latest_event(events, events[1].day + 1) is events[1]
    assert latest_event(events, 10_000) is events[-1]


def test_marks_are_lines_with_titles_and_close_ones_share_a_label() -> None:
    frame = Frame(width=200, height=100, left=20, right=10, top=10, bottom=10)  # 170 px wide
    near = MARK_LABEL_GAP / 170 * 100 / 2  # half the gap, in x units (x from 0 to 100)
    marks = [Mark(10, "1", "first"), Mark(50, "2", "second"), Mark(50 + near, "3", "third")]
    svg = line_panel(
        "t", [Series("a", "#000", [0, 100], [0, 8])], (0, 100), [], frame=frame, marks=marks
    )
    assert svg.count('class="event-mark"') == 3
    assert [m.group(1) for m in re.finditer(r'x1="([\d.]+)"[^>]*stroke-dasharray="3 2"', svg)] == [
        "37.0",
        "105.0",
        f"{105 + MARK_LABEL_GAP / 2:.1f}",
    ]
    labels = re.findall(r'class="event-label"[^>]*>([^<]*)<title>([^<]*)</title>', svg)
    assert labels == [("1", "first"), ("2–3", "second\nthird")]


def test_the_flows_chart_of_the_history_marks_every_event_and_keys_the_latest() -> None:
    scenario = load_scenario(HISTORY)
    meta = scenario.scenario
    events = timeline_events(scenario)
    assert meta.days > WEEKLY_AT_MOST_DAYS and panel_period("week", meta.days) == "month"
    empty = pd.DataFrame(
        columns=[
            "day",
            "route",
            "detections",
            "eu_interceptions",
            "partner_interceptions",
            "rescues",
            "dead_missing",
        ]
    )
    html = flows_chart(empty, ROUTES, None, meta.start, meta.days, events[2].day + 1, None, events)
    assert html.count('class="event-mark"') == len(PANELS) * len(events)
    assert "Crossings detected (the Frontex count), per month" in html
    assert "per week" not in html
    latest = re.findall(r'routesim-event-key latest"><b>(\d+)</b>', html)
    assert latest == [str(events[2].number)]
    assert panel_period("week", 365) == "week"


def test_the_status_line_names_the_latest_change_as_it_happens() -> None:
    recording = Recording(LiveSettings(HISTORY, scale=400))
    try:
        first = recording.events[0]
        before = status_line(recording, recording.settings, first.day)
        assert "latest change" not in before and "14 Sep 2015" in before
        after = status_line(recording, recording.settings, first.day + 1)
        assert after.endswith(f"15 Sep 2015 · latest change 1, {first.title}")
    finally:
        recording.stop()


def test_one_off_events_are_those_the_run_covers_with_their_lever_on() -> None:
    history = load_scenario(HISTORY)
    marks = one_off_events(history)
    assert [(m.letter, m.date, m.label) for m in marks] == [
        ("A", dt.date(2020, 2, 28), "Crowd at the Evros border"),
        ("B", dt.date(2021, 5, 17), "Mass entry into Ceuta"),
        ("C", dt.date(2023, 9, 11), "Lampedusa surge"),
    ]
    assert marks[0].size == "13,000 people pushed towards the border"
    (lampedusa,) = one_off_events(load_scenario("baseline-2023"))  # Evros and Ceuta are 0
    assert lampedusa.title == "11 Sep 2023: Lampedusa surge"
    assert one_off_events(LiveSettings(HISTORY, years=(2016, 2018)).resolve()) == []
    # An event is sized by the levers in force on its date, the timeline's included.
    off = TimelineChange(date=dt.date(2020, 1, 1), set={"levers.instrumentalisation": 0})
    quiet = history.model_copy(update={"timeline": [*history.timeline, off]})
    assert [(m.letter, m.label) for m in one_off_events(quiet)][0] == ("A", "Mass entry into Ceuta")


def test_one_off_events_are_marked_beside_the_changes_and_keyed_apart() -> None:
    scenario = load_scenario(HISTORY)
    meta = scenario.scenario
    events, one_offs = timeline_events(scenario), one_off_events(scenario)
    empty = pd.DataFrame(
        columns=["day", "route", "detections", "eu_interceptions", "partner_interceptions"]
        + ["rescues", "dead_missing"]
    )
    html = flows_chart(empty, ROUTES, None, meta.start, meta.days, 10, None, events, one_offs)
    assert html.count('class="event-mark"') == len(PANELS) * len(events)
    assert html.count('class="event-mark low"') == len(PANELS) * len(one_offs)
    assert html.count(
        f'stroke="{ONE_OFF_COLOUR}" stroke-width="0.8" stroke-dasharray="1 2"'
    ) == len(PANELS) * len(one_offs)
    labels = re.findall(r'class="event-label"[^>]*fill="([^"]+)"[^>]*>([^<]*)<title>', html)
    assert labels.count((ONE_OFF_COLOUR, "A")) == len(PANELS)
    assert "13,000 people pushed towards the border" in html  # the hover text
    key = re.search(r'routesim-timeline-key">(.*)</div>', html).group(1)
    assert key.count("routesim-event-key") == len(events)
    assert key.count("routesim-one-off-key") == 3 and "One-off events" in key
    assert "28 Feb 2020: Crowd at the Evros border" in key
