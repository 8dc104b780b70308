"""Smuggling networks: how seizures change the boats they pick."""

from collections import Counter

import pytest

from routesim.geography import shared_geography
from routesim.model import RouteModel
from routesim.scenario import load_scenario
from routesim.smugglers import BoatOption


def option(visibility: float) -> BoatOption:
    return BoatOption("boat", cost=1000, rated=40, max_overload=2, visibility=visibility, flimsy=0)


def test_a_typical_boat_is_seized_at_the_lever_setting():
    assert option(1.0).seizure_chance(0.3) == pytest.approx(0.3)
    assert option(0.5).seizure_chance(0.0) == 0.0
    assert option(2.0).seizure_chance(1.0) == 1.0


def test_more_visible_boats_are_seized_more_often():
    chances = [option(v).seizure_chance(0.4) for v in (0.5, 1.0, 1.5, 3.0)]
    assert chances == sorted(chances)
    assert len(set(chances)) == len(chances)


def tunisian_choices(boat_seizure: float, draws: int = 3000) -> Counter:
    """Boats a Tunisian network picks for a long line, at one seizure setting."""
    scenario = load_scenario("baseline-2023").with_overrides({"levers.boat_seizure": boat_seizure})
    model = RouteModel(scenario, seed=3, scale=50, geography=shared_geography())
    network = next(s for s in model.smugglers if s.crossings[0].country == "TUN")
    crossing = network.crossings[0]
    return Counter(network.choose_boat(crossing, 500)[0].name for _ in range(draws))


def test_seizures_move_networks_from_moored_boats_to_makeshift_ones():
    # Tunisian networks choose between a makeshift metal boat and a moored wooden one.
    none, heavy = tunisian_choices(0.0), tunisian_choices(0.8)
    assert set(none) == set(heavy) == {"metal_boat", "wooden_boat"}
    assert heavy["metal_boat"] / sum(heavy.values()) > none["metal_boat"] / sum(none.values()) + 0.2
