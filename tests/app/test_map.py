"""The map's builders on the synthetic geodata (Libya, Malta, Italy): the projection, a
route's extent, the base layer and the overlay of a made-up day."""

from __future__ import annotations

import datetime as dt
import math
import re
from types import SimpleNamespace

import pytest
from synthetic_geodata import PLACES, write_world

from routesim.app.frame import BoatMark, Frame, PatrolMark, VesselMark
from routesim.app.map import ALL_ROUTES_EXTENT, WIDTH, MapLayers, Projection, extent_for
from routesim.geography import Geography, load_geography

#: The synthetic world's hubs on the Central Mediterranean: departure and landing points.
HUBS = ("tripoli", "zuwara", "lampedusa", "pozzallo")


@pytest.fixture(scope="module")
def geography(tmp_path_factory) -> Geography:
    return load_geography(write_world(tmp_path_factory.mktemp("world")))


@pytest.fixture(scope="module")
def central(geography: Geography) -> MapLayers:
    return MapLayers(geography, "central_med")


def test_the_projection_puts_the_extents_corners_at_the_canvas_corners():
    projection = Projection(10.0, 30.0, 20.0, 40.0)
    assert projection.xy(10.0, 40.0) == (0.0, 0.0)
    assert projection.xy(20.0, 30.0) == pytest.approx((WIDTH, projection.height))
    # Away from the equator a degree of longitude is shorter than one of latitude.
    assert projection.ky == pytest.approx(projection.kx / math.cos(math.radians(35.0)))
    assert projection.contains(20.0, 30.0) and not projection.contains(20.1, 35.0)


def test_the_all_routes_view_has_the_fixed_extent(geography: Geography):
    assert extent_for(geography, None) == Projection(*ALL_ROUTES_EXTENT)


def test_a_routes_view_frames_its_hubs_with_a_margin_and_no_taller_than_wide(geography):
    projection = extent_for(geography, "central_med")
    for hub in HUBS:
        lon, lat = PLACES[hub][:2]
        # At least a degree of margin on every side.
        assert projection.contains(lon - 1.0, lat) and projection.contains(lon + 1.0, lat)
        assert projection.contains(lon, lat - 1.0) and projection.contains(lon, lat + 1.0)
    assert projection.height <= 0.75 * WIDTH + 1e-6
    # Sabha, an origin hub far inland, is not what the view is framed on.
    assert not projection.contains(*PLACES["sabha"][:2])


def test_the_base_layer_draws_countries_legs_and_the_places_on_the_route(central: MapLayers):
    base = central.base_svg
    for country in ("Libya", "Italy", "Malta"):
        assert f"<title>{country}</title>" in base
    assert "<title>zuwara → lampedusa (" in base
    assert "<title>Patrol area: Off Zuwara</title>" in base
    shown = re.findall(r"<circle [^>]*><title>([^<]+)</title>", base)
    assert set(shown) == {"Tripoli", "Zuwara", "Lampedusa", "Pozzallo", "Valletta"}


def frame(**marks) -> Frame:
    """A day with nothing on the map but `marks` (waiting, patrols, vessels, boats)."""
    empty = {"waiting": {}, "patrols": (), "vessels": (), "boats": ()}
    return Frame(day=1, time=1.0, date=dt.date(2023, 1, 2), **(empty | marks))


def test_the_overlay_draws_a_crowd_where_people_wait_and_none_where_nobody_does(
    central: MapLayers,
):
    overlay = central.overlay(frame(waiting={"zuwara": 400.0, "tripoli": 0.0}))
    assert overlay.count('class="crowd"') == 1
    assert "400 people waiting at Zuwara" in overlay
    assert central.view_box in overlay


def test_the_overlay_draws_each_patrol_in_its_area_and_skips_areas_not_on_the_map(
    central: MapLayers,
):
    patrols = (
        PatrolMark("off_zuwara", "partner", 1.0),
        PatrolMark("lampedusa_approach", "eu", 0.5),
        PatrolMark("aegean", "eu", 1.0),
    )
    overlay = central.overlay(frame(patrols=patrols))
    assert overlay.count('class="guard"') == 2
    assert "Partner patrol, Off Zuwara: effort 1.00" in overlay


def test_the_overlay_draws_rescue_vessels_of_the_routes_sea_only(central: MapLayers):
    vessels = (
        VesselMark("central_med", "ngo", (13.0, 34.5), busy=True),
        VesselMark("central_med", "state", (13.0, 34.5), busy=False),
        VesselMark("aegean", "ngo", (13.0, 34.5), busy=False),
        VesselMark("central_med", "ngo", (40.0, 34.5), busy=False),  # off the map
    )
    overlay = central.overlay(frame(vessels=vessels))
    assert overlay.count('class="rescue"') == 2
    assert "NGO rescue vessel (central med): on a rescue" in overlay


def test_the_overlay_rings_a_boat_in_distress_and_the_boat_followed(central: MapLayers):
    boat = SimpleNamespace(crossing=SimpleNamespace(route="central_med"), boat_type="rubber_dinghy")
    other = SimpleNamespace(crossing=SimpleNamespace(route="eastern_med"), boat_type="sailing")
    boats = (
        BoatMark(boat, 12.5, 34.0, 40, distress=True),
        BoatMark(other, 12.5, 34.0, 10, distress=False),  # not on this route's view
    )
    overlay = central.overlay(frame(boats=boats), followed=boat)
    assert overlay.count('class="boat"') == 1
    assert overlay.count('class="distress"') == 1 and overlay.count('class="followed"') == 1
    assert "rubber_dinghy with 40 people (" in overlay and "in distress" in overlay
