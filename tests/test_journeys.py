"""Journeys on the synthetic geodata: the crossings and what each carries, and how far (in
km and flights) every place is from every crossing's start."""

import numpy as np
import pytest
from synthetic_geodata import LEGS, make_world, write_world

from routesim.geography import load_geography
from routesim.journeys import Journeys
from routesim.routes import ROUTES


@pytest.fixture(scope="module")
def with_legs(tmp_path_factory):
    """Journeys on the synthetic world with some legs added (each set loaded once)."""
    loaded = {}

    def load(**extra) -> Journeys:
        key = tuple(sorted(extra))
        if key not in loaded:
            folder = tmp_path_factory.mktemp("world")
            loaded[key] = Journeys(load_geography(write_world(folder, make_world(LEGS | extra))))
        return loaded[key]

    return load


def km(journeys: Journeys, leg: str) -> float:
    return float(journeys.geography.legs.at[leg, "length_km"])


def distance(journeys: Journeys, place: str, leg: str) -> tuple[float, int]:
    """Km and flights from a place to the start of crossing `leg`."""
    row = journeys.place_index[place]
    column = next(c.index for c in journeys.crossings if c.leg == leg)
    return float(journeys.distance_km[row, column]), int(journeys.flights[row, column])


def test_the_crossings_are_the_crossing_legs_with_what_lies_along_them(with_legs):
    j = with_legs()
    zuwara, tripoli = j.crossings
    assert [c.index for c in j.crossings] == [0, 1]
    assert (zuwara.leg, zuwara.start, zuwara.end) == ("zuwara__lampedusa", "zuwara", "lampedusa")
    assert (tripoli.leg, tripoli.start, tripoli.end) == ("tripoli__pozzallo", "tripoli", "pozzallo")
    assert zuwara.sea and zuwara.route == "central_med" and zuwara.sea_area == "sicily_channel"
    assert zuwara.country == "LBY", "a crossing's country is that of its start"
    assert zuwara.length_km == km(j, "zuwara__lampedusa")
    assert zuwara.patrol_areas == ("off_zuwara", "lampedusa_approach")
    assert tripoli.patrol_areas == ()


def test_the_crossings_arrays_index_routes_places_and_departure_countries(with_legs):
    j = with_legs()
    assert j.route.tolist() == [ROUTES.index("central_med")] * 2
    assert [j.place_ids[i] for i in j.start] == ["zuwara", "tripoli"]
    assert [j.place_ids[i] for i in j.end] == ["lampedusa", "pozzallo"]
    assert j.countries == ["LBY"] and j.country.tolist() == [0, 0]


def test_the_distance_to_a_crossing_is_the_overland_km_to_its_start(with_legs):
    j = with_legs()
    assert distance(j, "sabha", "tripoli__pozzallo") == (km(j, "sabha__tripoli"), 0)
    assert distance(j, "tripoli", "tripoli__pozzallo") == (0.0, 0)
    # No road leads from Sabha to Zuwara, nor back from the landing points.
    assert distance(j, "sabha", "zuwara__lampedusa")[0] == np.inf
    assert distance(j, "pozzallo", "tripoli__pozzallo")[0] == np.inf


def test_travel_to_a_crossing_never_uses_another_crossing(with_legs):
    # Zuwara reaches Tripoli only over the sea to Lampedusa and a (made-up) road from there.
    j = with_legs(lampedusa__tripoli=("land", [], False, False, ""))
    assert distance(j, "lampedusa", "tripoli__pozzallo")[0] == km(j, "lampedusa__tripoli")
    assert distance(j, "zuwara", "tripoli__pozzallo")[0] == np.inf


def test_a_flight_costs_no_km_and_counts_as_one_flight(with_legs):
    j = with_legs(sabha__zuwara=("air", [], False, False, ""))
    assert distance(j, "sabha", "zuwara__lampedusa") == (0.0, 1)


def test_a_road_under_a_thousand_km_is_taken_rather_than_a_flight(with_legs):
    j = with_legs(
        sabha__zuwara=("air", [], False, False, ""), tripoli__zuwara=("land", [], True, False, "")
    )
    by_road = km(j, "sabha__tripoli") + km(j, "tripoli__zuwara")
    assert by_road < 1000.0
    assert distance(j, "sabha", "zuwara__lampedusa") == (pytest.approx(by_road), 0)
