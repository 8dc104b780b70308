"""Model parameters: departure prices and boat menus, and their one-line errors."""

import pytest

from routesim.parameters import Parameters
from routesim.scenario import ScenarioError, load_scenario


def test_a_departure_price_is_by_country_and_route_then_country_then_route():
    p = Parameters(
        price={
            "central_med": 2500,
            "eastern_med": 1000,
            "western_balkans": 1800,
            "western_med": 1500,
            "western_african": 1000,
        },
        price_by_departure={"TUN": 1500, "LBY:central_med": 3200},
    )
    assert p.base_price("LBY", "central_med") == 3200
    assert p.base_price("LBY", "eastern_med") == 1000  # Tobruk to Crete: the route's price
    assert p.base_price("TUN", "central_med") == 1500
    assert p.base_price("EGY", "central_med") == 2500


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "parameters.price_by_departure.TUN=0",
            r"price_by_departure.TUN=0: expected a number above 0",
        ),
        ("parameters.price_by_departure.Tunisia=900", r"key 'Tunisia': expected a country's ISO3"),
        ("parameters.price_by_departure.LBY:central=900", r"key 'LBY:central': expected"),
        (
            'parameters.boat_menus.TUN=["metal_bot"]',
            r"menu 'TUN' names an unknown boat 'metal_bot'",
        ),
        ("parameters.boat_menus.TUN=[]", r"menu 'TUN' is empty"),
    ],
)
def test_bad_departure_tables_name_the_key_and_what_was_expected(override, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario("baseline-2023", [override])
