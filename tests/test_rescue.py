"""A rescue response on a stub world with the bundled geography: who answers, when, and after."""

from __future__ import annotations

import functools
from types import SimpleNamespace

import pytest
from stub_world import StubWorld

from routesim.boats import HOURS, Boat
from routesim.geography import EU_MEMBERS, load_geography
from routesim.journeys import Journeys
from routesim.levers import Levers
from routesim.migrants import State
from routesim.rescue import RescueCoordination, distance_km


@functools.cache
def _journeys() -> Journeys:
    return Journeys(load_geography())


class RescueWorld(StubWorld):
    """The stub world with real geography, no merchant ships and no partner answering."""

    def __init__(self, seed: int = 0, *, levers: Levers | None = None, **parameters) -> None:
        super().__init__(seed, **parameters)
        self.journeys = _journeys()
        self.geography = self.journeys.geography
        self.eu_members = frozenset(EU_MEMBERS)
        self.levers = levers or Levers()
        self.guards = SimpleNamespace(answer_distress=lambda country: False)
        self.migration.land_detected = lambda rows: self._fate("disembarked", rows)
        self.rescue = RescueCoordination(self)


def _libya_crossing():
    return next(c for c in _journeys().crossings if c.route == "central_med" and c.country == "LBY")


def _boat_in_distress(world: RescueWorld, people: int = 30, fraction: float = 0.5) -> Boat:
    boat = Boat(world, _libya_crossing(), "rubber_dinghy", world.people(people), price=1200.0)
    boat.fraction = fraction
    return boat


def _world(**kwargs) -> RescueWorld:
    no_merchants = {
        "central_med": 0.0,
        "eastern_med": 0.0,
        "western_balkans": 0.0,
        "western_med": 0.0,
        "western_african": 0.0,
    }
    return RescueWorld(merchant_rescue=no_merchants, **kwargs)


def test_the_vessel_that_can_reach_the_boat_first_is_tasked_after_the_coordination_delay():
    world = _world()
    boat = _boat_in_distress(world)
    position = world.geography.position(boat.crossing.leg, boat.fraction)
    delay = world.levers.sar_coordination_delay
    vessels = world.rescue.vessels["central_med"]
    etas = [v.eta(position, delay) for v in vessels]
    response = world.rescue.respond(boat)
    assert response is not None
    assert response.vessel is vessels[etas.index(min(etas))]
    sailing = distance_km(response.vessel.station, position) / response.vessel.speed_kmh
    assert response.arrival == pytest.approx(world.time + (delay + sailing) / HOURS)
    # Tasked: busy until it gets there, so the next call goes to another vessel or waits.
    assert response.vessel.busy_until == pytest.approx(response.arrival)
    second = world.rescue.respond(_boat_in_distress(world))
    assert second is not None
    assert second.vessel is not response.vessel or second.arrival > response.arrival


def test_rescued_people_are_landed_at_an_eu_port_and_the_vessel_returns_to_station():
    world = _world()
    boat = _boat_in_distress(world, people=30)
    response = world.rescue.respond(boat)
    assert response is not None and response.vessel is not None and response.port is not None
    assert world.geography.places.loc[response.port, "in_eu"]
    world.schedule_event(response.rescue, at=response.arrival)
    world.run_for(3)
    assert world.counts["central_med", "rescues"] == 30
    assert world.counts["central_med", f"rescues_{response.actor}"] == 30
    assert world.migrants.counts[:, State.RESCUED].sum() == 30
    assert world.fate("disembarked") == 30
    assert not world.rescue.pending  # nothing is kept alive once done
    assert [(e.what, e.people, e.by, e.port) for e in boat.story] == [
        ("aboard", 30, response.actor, ""),
        ("disembarked", 30, "", response.port),
    ]
    assert not boat.at_sea
    turnaround = world.rescue.turnaround(response.actor) / HOURS
    assert response.vessel.busy_until == pytest.approx(
        response.arrival + response.port_hours / HOURS + turnaround
    )


def test_with_no_vessels_and_no_one_else_nobody_answers():
    levers = Levers().model_copy(
        update={
            "ngo_vessels": 0.0,
            "sar_state_vessels": Levers().sar_state_vessels.model_copy(update={"central_med": 0.0}),
        }
    )
    world = _world(levers=levers)
    assert world.rescue.respond(_boat_in_distress(world)) is None
    assert world.rescue.capacity("central_med") == 0.0


def test_capacity_is_measured_against_the_reference_vessels_of_the_parameters():
    doubled = Levers().model_copy(
        update={
            "ngo_vessels": 6.0,
            "sar_state_vessels": Levers().sar_state_vessels.model_copy(
                update={"central_med": 12.0}
            ),
        }
    )
    assert _world(levers=doubled).rescue.capacity("central_med") == pytest.approx(2.0)
    assert _world().rescue.capacity("central_med") == pytest.approx(1.0)
    halved_reference = _world(
        rescue_reference_vessels={
            "central_med": 18.0,
            "eastern_med": 5.0,
            "western_med": 5.0,
            "atlantic": 4.0,
        }
    )
    assert halved_reference.rescue.capacity("central_med") == pytest.approx(0.5)
