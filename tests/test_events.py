"""Dated one-off events happen once, on their own date, only in runs that cover it.

Most tests walk the calendar through a small fake world that records the crowds the
events gather (no migrants, no boats), so years of days take a fraction of a second;
two short runs of the model check that a crowd really reaches its hub.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from types import SimpleNamespace

import pytest
from stub_world import CROSSING

from routesim.errors import RoutesimError
from routesim.events import EVENTS, OneOffEvents
from routesim.geography import load_geography
from routesim.journeys import Crossing, Journeys
from routesim.levers import Levers, lever_specs
from routesim.model import RouteModel
from routesim.scenario import Scenario, load_scenario

ALL_ON = Levers(instrumentalisation=13000, ceuta_entry=10000, lampedusa_surge=8500)


@cache
def geography():
    return load_geography()


@cache
def journeys() -> Journeys:
    return Journeys(geography())


class CalendarWorld:
    """Days on a calendar, the levers in force each day, and the crowds gathered."""

    def __init__(self, start: dt.date, levers_on) -> None:
        self.date = start
        self.day = 0
        self.levers_on = levers_on
        self.levers = levers_on(start)
        self.journeys = journeys()
        self.crowds: list[tuple[dt.date, tuple[str, ...], float]] = []
        self.migration = SimpleNamespace(crowd=self._crowd)

    def _crowd(self, crossings, people) -> None:
        self.crowds.append((self.date, tuple(c.leg for c in crossings), people))

    def run(self, days: int, smugglers=()) -> list[tuple[dt.date, tuple[str, ...], float]]:
        events = OneOffEvents(self, smugglers)
        for _ in range(days):
            self.levers = self.levers_on(self.date)
            events.happen()
            self.date += dt.timedelta(days=1)
            self.day += 1
        return self.crowds


def crowds(start: dt.date, end: dt.date, levers: Levers = ALL_ON):
    """The crowds gathered from `start` to `end` (inclusive) with fixed levers."""
    return CalendarWorld(start, lambda date: levers).run((end - start).days + 1)


def following_timeline(scenario: Scenario):
    """The levers a scenario has in force on a date, following its timeline."""

    phases = scenario.phases()

    def levers_on(date: dt.date) -> Levers:
        started = [phase for phase in phases if phase.date <= date]
        return started[-1].scenario.levers if started else scenario.levers

    return levers_on


def legs_of(event_lever: str) -> tuple[str, ...]:
    event = next(e for e in EVENTS if e.lever == event_lever)
    return tuple(c.leg for c in journeys().crossings if event.crossings(c))


def test_each_event_gathers_at_its_crossings_in_the_geodata():
    assert legs_of("ceuta_entry") == ("fnideq__ceuta",)
    assert legs_of("instrumentalisation")  # the Evros land crossings from Türkiye
    assert legs_of("lampedusa_surge")  # the sea crossings from Tunisia and Libya


def test_every_event_is_a_lever_of_the_events_theme_named_with_its_year():
    specs = {spec.name: spec for spec in lever_specs()}
    for event in EVENTS:
        spec = specs[f"levers.{event.lever}"]
        assert spec.theme == "events"
        assert str(event.date.year) in spec.label


def test_a_multi_year_run_has_each_event_once_on_its_date():
    gathered = crowds(dt.date(2019, 6, 1), dt.date(2024, 6, 30))
    assert gathered == [
        (dt.date(2020, 2, 28), legs_of("instrumentalisation"), 13000),
        (dt.date(2021, 5, 17), legs_of("ceuta_entry"), 10000),
        (dt.date(2023, 9, 11), legs_of("lampedusa_surge"), 8500),
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2022, 1, 1), dt.date(2022, 12, 31)),  # a year with no event
        (dt.date(2019, 1, 1), dt.date(2020, 2, 27)),  # ends the day before Evros
        (dt.date(2023, 9, 12), dt.date(2024, 12, 31)),  # starts the day after Lampedusa
    ],
)
def test_a_run_that_does_not_cover_an_events_date_has_no_event(start, end):
    assert crowds(start, end) == []


def test_a_lever_at_zero_turns_its_event_off():
    levers = ALL_ON.model_copy(update={"ceuta_entry": 0.0})
    gathered = crowds(dt.date(2021, 1, 1), dt.date(2021, 12, 31), levers)
    assert gathered == []
    on = crowds(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert [(date, legs) for date, legs, _ in on] == [
        (dt.date(2021, 5, 17), legs_of("ceuta_entry"))
    ]


def test_the_surge_sets_the_networks_at_its_hubs_launching_for_three_days():
    hubs = {c.start for c in journeys().crossings if c.leg in legs_of("lampedusa_surge")}
    sfax = SimpleNamespace(hub=next(iter(hubs)), surge_until=-1.0)
    elsewhere = SimpleNamespace(hub="tangier", surge_until=-1.0)
    world = CalendarWorld(dt.date(2023, 9, 1), lambda date: ALL_ON)
    world.run(30, smugglers=[sfax, elsewhere])
    assert sfax.surge_until == 10 + 3  # 11 September is day 10 of this run
    assert elsewhere.surge_until == -1.0


def test_the_history_scenario_has_a_crowd_at_ceuta_in_may_2021_only():
    history = load_scenario("history-2015-2023")
    start = history.scenario.start
    world = CalendarWorld(start, following_timeline(history))
    gathered = world.run(history.scenario.days)
    at_ceuta = [(date, people) for date, legs, people in gathered if "fnideq__ceuta" in legs]
    assert at_ceuta == [(dt.date(2021, 5, 17), 10000)]
    # Each of the record's events once, on its day, with the record's size.
    assert [(date, people) for date, _, people in gathered] == [
        (dt.date(2020, 2, 28), 13000),
        (dt.date(2021, 5, 17), 10000),
        (dt.date(2023, 9, 11), 8500),
    ]


def test_an_event_has_the_size_a_timeline_puts_in_force_on_its_date(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        '[scenario]\nname = "t"\nstart = 2021-01-01\ndays = 365\n'
        '[[timeline]]\ndate = 2021-03-01\nset = { "levers.ceuta_entry" = 2500 }\n'
        '[[timeline]]\ndate = 2021-06-01\nset = { "levers.ceuta_entry" = 0 }\n',
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    gathered = CalendarWorld(dt.date(2021, 1, 1), following_timeline(scenario)).run(365)
    assert [(date, people) for date, _, people in gathered] == [(dt.date(2021, 5, 17), 2500)]


def test_an_event_lever_out_of_range_is_refused_in_one_line():
    with pytest.raises(RoutesimError) as error:
        load_scenario("baseline-2023", ["levers.ceuta_entry=-1"])
    assert "levers.ceuta_entry" in str(error.value)
    assert "\n" not in str(error.value)


def step_to(model: RouteModel, date: dt.date) -> None:
    """Step the model until `date` is the last day done."""
    while model.date < date:
        model.step()


def waiting_at(model: RouteModel, legs: tuple[str, ...]) -> float:
    """People waiting at the hubs of some crossings."""
    hubs = {c.start for c in model.journeys.crossings if c.leg in legs}
    return sum(people for place, people in model.waiting_by_place().items() if place in hubs)


def departures_by_day(model: RouteModel, route: str) -> list[float]:
    """People who set off on a route each day of the scenario period so far."""
    daily = model.daily_so_far()
    return daily[daily["route"] == route].sort_values("day")["departures"].tolist()


def short_run(name: str, start: dt.date, **levers: float) -> RouteModel:
    overrides = {
        "scenario.start": start,
        "scenario.days": 20,
        "parameters.warmup_days": 10,
        **{f"levers.{lever}": value for lever, value in levers.items()},
    }
    scenario = load_scenario(name).with_overrides(overrides)
    return RouteModel(scenario, seed=1, scale=100, geography=geography())


def test_the_history_scenarios_ceuta_crowd_reaches_fnideq_on_17_may_2021():
    model = short_run("history-2015-2023", dt.date(2021, 5, 10))
    ceuta = legs_of("ceuta_entry")
    step_to(model, dt.date(2021, 5, 16))
    before = waiting_at(model, ceuta)
    model.step()
    assert model.date == dt.date(2021, 5, 17)
    assert waiting_at(model, ceuta) - before > 5000  # 10,000 gathered, some try tonight


def test_the_baseline_2023_surge_still_happens_on_11_september_2023():
    model = short_run("baseline-2023", dt.date(2023, 9, 1))
    surge = legs_of("lampedusa_surge")
    step_to(model, dt.date(2023, 9, 10))
    assert not any(s.surge_until > model.day for s in model.smugglers)
    model.step()
    assert model.date == dt.date(2023, 9, 11)
    departures = departures_by_day(model, "central_med")
    # 8,500 gathered at Sfax and Zuwara, and tonight's boats take most of them.
    assert departures[-1] - departures[-2] > 4000
    surging = {s.hub for s in model.smugglers if s.surge_until == model.day + 3}
    assert surging == {c.start for c in model.journeys.crossings if c.leg in surge}


# --- which crossings an event's crowd gathers at, on made-up crossings ----------------


def crossing(**attributes) -> Crossing:
    """A crossing like the stub world's (Libya to Italy by sea), with `attributes` changed."""
    return replace(CROSSING, **attributes)


def gathers_at(event_lever: str, candidate: Crossing) -> bool:
    return next(e for e in EVENTS if e.lever == event_lever).crossings(candidate)


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (crossing(sea=False, route="eastern_med", country="TUR"), True),
        (crossing(sea=True, route="eastern_med", country="TUR"), False),  # the Aegean
        (crossing(sea=False, route="western_balkans", country="TUR"), False),
        (crossing(sea=False, route="eastern_med", country="GRC"), False),
    ],
)
def test_the_evros_crowd_gathers_at_land_crossings_from_turkiye_only(candidate, expected):
    assert gathers_at("instrumentalisation", candidate) is expected


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (crossing(sea=False, end="ceuta", country="MAR"), True),
        (crossing(sea=True, end="ceuta", country="MAR"), False),  # swimmers and boats
        (crossing(sea=False, end="melilla", country="MAR"), False),
    ],
)
def test_the_ceuta_crowd_gathers_at_the_land_crossings_into_ceuta_only(candidate, expected):
    assert gathers_at("ceuta_entry", candidate) is expected


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (crossing(country="LBY"), True),
        (crossing(country="TUN"), True),
        (crossing(country="EGY"), False),
        (crossing(country="LBY", sea=False), False),
        (crossing(country="TUN", route="western_med"), False),
    ],
)
def test_the_lampedusa_surge_gathers_at_sea_crossings_from_libya_and_tunisia_only(
    candidate, expected
):
    assert gathers_at("lampedusa_surge", candidate) is expected


def test_an_event_with_no_surge_leaves_the_networks_at_its_hubs_as_they_were():
    fnideq = SimpleNamespace(hub="fnideq", surge_until=-1.0)
    world = CalendarWorld(dt.date(2021, 5, 1), lambda date: ALL_ON)
    assert world.run(30, smugglers=[fnideq])  # the Ceuta crowd gathered
    assert fnideq.surge_until == -1.0


def test_an_event_turned_off_starts_no_surge():
    hubs = {c.start for c in journeys().crossings if c.leg in legs_of("lampedusa_surge")}
    sfax = SimpleNamespace(hub=next(iter(hubs)), surge_until=-1.0)
    levers = ALL_ON.model_copy(update={"lampedusa_surge": 0.0})
    world = CalendarWorld(dt.date(2023, 9, 1), lambda date: levers)
    assert world.run(30, smugglers=[sfax]) == []
    assert sfax.surge_until == -1.0
