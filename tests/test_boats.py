"""A boat's crossing on a stub world: landing, partner interception, foundering, its story."""

import pytest
from stub_world import CROSSING, StubWorld

from routesim.boats import HOURS, Boat


def _launch(world: StubWorld, people: int, per_row: int = 1) -> Boat:
    boat = Boat(world, CROSSING, "rubber_dinghy", world.people(people, per_row), price=1200.0)
    world.fleet.put_to_sea([boat])
    return boat


def test_on_a_calm_sea_a_boat_lands_everyone_after_its_sailing_time():
    world = StubWorld(sea_hazard={"libyan_sea": 0.0}, exposure_deaths_per_day=0.0)
    boat = _launch(world, 40, per_row=8)
    sailing_days = CROSSING.length_km / world.parameters.boats["rubber_dinghy"].speed_kmh / HOURS
    assert boat.duration == pytest.approx(sailing_days)
    world.run_for(3)
    assert world.fates == [("landed", 40)]
    assert world.counts["central_med", "departures"] == 40
    assert world.counts["LBY", "departures"] == 40
    assert world.migrants.attempts.tolist() == [1] * 5
    assert not boat.at_sea
    assert [(e.what, e.people, e.by) for e in boat.story] == [("landed", 40, "seen")]
    assert boat.story[0].time == pytest.approx(boat.launched_at + sailing_days)


def test_a_partner_coast_guard_stops_the_boat_before_half_way():
    world = StubWorld(partner_stops=True)
    boat = _launch(world, 25)
    world.run_for(3)
    assert world.fates == [("stopped", 25)]
    assert boat.fraction == 0.0
    assert [(e.what, e.people) for e in boat.story] == [("stopped", 25)]


def test_a_boat_in_distress_with_no_rescuer_loses_everyone_dead_or_missing():
    world = StubWorld(sea_hazard={"libyan_sea": 1000.0}, alarm_probability=1.0)
    boat = _launch(world, 60, per_row=20)
    assert boat.at_sea and boat.story == []
    world.run_for(3)
    assert world.fate("landed") == 0
    assert world.fate("dead") + world.fate("missing") == 60
    assert world.counts["central_med", "boats_in_distress"] == 1
    assert [(e.what, e.by) for e in boat.story] == [("distress", ""), ("sank", "")]
    assert (boat.story[1].people, boat.story[1].dead) == (60, world.fate("dead"))
