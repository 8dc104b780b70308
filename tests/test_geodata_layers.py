"""Data-quality tests of the committed geodata layers (routesim/data/geodata/*.geojson).

They read the layers through ``routesim.geography.load_geography`` (which also checks
the schema) and test the geography itself: sea legs stay at sea, places lie in their
countries, the network connects origins to Europe, SAR regions and patrol areas cover
what the simulator needs. Every failure message names the offending feature.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import pyproj
import pytest
import shapely
from shapely.geometry import Point

from routesim.geography import DEFAULT_GEODATA_DIR, EU_MEMBERS, load_geography
from routesim.routes import ROUTES

GEOD = pyproj.Geod(ellps="WGS84")
END_ZONE_KM = 5.0
PLACE_TOLERANCE_KM = 2.0


@pytest.fixture(scope="module")
def geo():
    return load_geography()


@pytest.fixture(scope="module")
def land(geo):
    return shapely.union_all(geo.countries.geometry.values)


def _local(lon: float, lat: float) -> pyproj.CRS:
    return pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    )


def _circle(lon: float, lat: float, km: float):
    """A geodesic circle of radius ``km`` around (lon, lat), as a lon/lat polygon."""
    s = gpd.GeoSeries([Point(0, 0)], crs=_local(lon, lat)).buffer(km * 1000, quad_segs=16)
    return s.to_crs(4326).iloc[0]


def _middle(line):
    """The part of a leg farther than END_ZONE_KM from both of its ends."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    ends = shapely.union(_circle(x0, y0, END_ZONE_KM), _circle(x1, y1, END_ZONE_KM))
    return line.difference(ends)


def _km(geom) -> float:
    if geom.is_empty:
        return 0.0
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "LineString"]
    return sum(GEOD.geometry_length(p) for p in parts) / 1000.0


def _distance_km(point, polygon) -> float:
    """Geodesic-ish distance from a point to a polygon (0 inside), via a local projection."""
    if polygon.covers(point):
        return 0.0
    crs = _local(point.x, point.y)
    window = shapely.box(point.x - 1, point.y - 1, point.x + 1, point.y + 1)
    near = polygon.intersection(window)
    if near.is_empty:
        return float("inf")
    projected = gpd.GeoSeries([near], crs=4326).to_crs(crs).iloc[0]
    return projected.distance(Point(0, 0)) / 1000.0


def _sea_legs(geo):
    return geo.legs[geo.legs["mode"] == "sea"]


def _with_role(geo, role):
    return [pid for pid, roles in geo.places["roles"].items() if role in roles]


# --- sea legs -------------------------------------------------------------------------


def test_sea_legs_cross_no_land_except_near_their_ends(geo, land):
    bad = []
    for leg_id, line in _sea_legs(geo).geometry.items():
        over_land = _middle(line).intersection(land)
        km = _km(over_land)
        if km > 0.01:
            where = shapely.get_coordinates(over_land)[0]
            bad.append(
                f"{leg_id}: {km:.1f} km over land, first at lon {where[0]:.3f} lat {where[1]:.3f}"
            )
    assert not bad, "sea legs crossing land:\n" + "\n".join(bad)


def test_sar_regions_cover_every_sea_leg(geo):
    sar = shapely.union_all(geo.sar_regions.geometry.values)
    bad = []
    for leg_id, line in _sea_legs(geo).geometry.items():
        outside = _middle(line).difference(sar)
        km = _km(outside)
        if km > 0.1:
            where = shapely.get_coordinates(outside)[0]
            bad.append(
                f"{leg_id}: {km:.1f} km in no SAR region, first at lon {where[0]:.3f} "
                f"lat {where[1]:.3f}"
            )
    assert not bad, "sea legs outside every SAR region:\n" + "\n".join(bad)


def test_sea_legs_run_from_a_departure_point_to_a_landing_point(geo):
    roles = geo.places["roles"]
    bad = [
        f"{leg_id}: {leg['from']} -> {leg['to']}"
        for leg_id, leg in _sea_legs(geo).iterrows()
        if leg["crossing"]
        and ("departure_point" not in roles[leg["from"]] or "landing_point" not in roles[leg["to"]])
    ]
    assert not bad, "crossing sea legs not from a departure to a landing point:\n" + "\n".join(bad)


def test_crossing_flag_matches_entry_into_the_eu(geo):
    in_eu = geo.places["in_eu"]
    bad = []
    for leg_id, leg in geo.legs.iterrows():
        if leg["mode"] == "air":
            if leg["crossing"]:
                bad.append(f"{leg_id}: air legs are not border crossings")
            continue
        enters_eu = bool(in_eu[leg["to"]]) and not bool(in_eu[leg["from"]])
        if leg["crossing"] != enters_eu:
            bad.append(f"{leg_id}: crossing={leg['crossing']} but enters the EU: {enters_eu}")
    assert not bad, "\n".join(bad)


# --- places ---------------------------------------------------------------------------


def test_places_lie_in_their_country(geo):
    bad = []
    for pid, place in geo.places.iterrows():
        polygon = geo.countries.geometry.get(place["country"])
        if polygon is None:
            bad.append(f"{pid}: unknown country {place['country']}")
            continue
        km = _distance_km(place.geometry, polygon)
        if km > PLACE_TOLERANCE_KM:
            bad.append(
                f"{pid} ({place.geometry.y:.3f}, {place.geometry.x:.3f}) is {km:.1f} km "
                f"from {place['country']}"
            )
    assert not bad, "places outside their country:\n" + "\n".join(bad)


def test_enough_places(geo):
    assert len(geo.places) >= 70, f"only {len(geo.places)} places"


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_has_places_and_legs(geo, route):
    places = [pid for pid, routes in geo.places["routes"].items() if route in routes]
    legs = geo.legs.index[geo.legs["route"] == route]
    assert len(places) >= 5, f"route {route}: only {len(places)} places"
    assert len(legs) >= 5, f"route {route}: only {len(legs)} legs"
    sea_or_crossing = geo.legs[(geo.legs["route"] == route) & geo.legs["crossing"]]
    assert len(sea_or_crossing) >= 1, f"route {route}: no crossing leg"


# --- network --------------------------------------------------------------------------


def test_every_origin_hub_reaches_the_eu(geo):
    targets = {
        pid
        for pid, place in geo.places.iterrows()
        if place["in_eu"]
        and ("landing_point" in place["roles"] or "arrival_point" in place["roles"])
    }
    bad = [
        origin
        for origin in _with_role(geo, "origin_hub")
        if not (nx.descendants(geo.network, origin) & targets)
    ]
    assert not bad, f"origin hubs with no path to an EU landing or arrival point: {bad}"


def test_every_departure_point_has_a_sea_or_crossing_leg(geo):
    bad = [
        pid
        for pid in _with_role(geo, "departure_point")
        if not any(
            data["mode"] == "sea" or data["crossing"]
            for _, _, data in geo.network.out_edges(pid, data=True)
            if not data["reversed"]
        )
    ]
    assert not bad, f"departure points without a sea or crossing leg: {bad}"


def test_several_routes_share_origins(geo):
    """Displacement needs origins that can reach more than one reporting route."""
    for origin in ("bamako", "niamey", "damascus"):
        reachable = nx.descendants(geo.network, origin) | {origin}
        routes = {
            data["route"]
            for u, _, data in geo.network.edges(data=True)
            if u in reachable and (data["mode"] == "sea" or data["crossing"])
        }
        assert len(routes) >= 2, f"{origin} reaches crossings of only {routes}"


# --- SAR regions ----------------------------------------------------------------------


def test_sar_regions_have_known_ports_of_their_state(geo):
    bad = []
    for sar_id, region in geo.sar_regions.iterrows():
        if not region["ports"]:
            bad.append(f"{sar_id}: no ports")
        for port in region["ports"]:
            if port not in geo.places.index:
                bad.append(f"{sar_id}: unknown port {port}")
            elif geo.places.at[port, "country"] != region["state"]:
                bad.append(f"{sar_id}: port {port} is not in {region['state']}")
    assert not bad, "\n".join(bad)


def test_sar_regions_are_sea_only(geo, land):
    bad = []
    for sar_id, geom in geo.sar_regions.geometry.items():
        overlap = geom.intersection(land)
        km2 = abs(GEOD.geometry_area_perimeter(overlap)[0]) / 1e6 if not overlap.is_empty else 0
        if km2 > 1.0:
            bad.append(f"{sar_id}: {km2:.1f} km² of land")
    assert not bad, "SAR regions overlapping land:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("lat", "lon", "sar_id"),
    [
        (35.30, 12.60, "italy"),  # south of Lampedusa
        (35.00, 14.00, "malta"),
        (33.60, 13.00, "libya"),  # off Tripoli
        (34.60, 11.40, "tunisia"),  # off Kerkennah (east of 11.5E is Malta)
        (34.70, 24.50, "greece"),  # south of Crete
        (39.10, 26.62, "greece"),  # Mytilene strait, Lesvos side
        (38.55, 26.75, "turkiye"),  # Gulf of Izmir
        (36.00, -4.00, "spain"),  # Alboran Sea
        (28.50, -14.50, "spain_canaries"),  # between Fuerteventura and Gran Canaria
        (27.50, -13.50, "morocco"),  # off Laayoune
        (19.00, -16.80, "mauritania"),
        (14.60, -17.60, "senegal"),
    ],
)
def test_sar_regions_are_recognisable(geo, lat, lon, sar_id):
    point = Point(lon, lat)
    hits = [s for s, geom in geo.sar_regions.geometry.items() if geom.covers(point)]
    assert hits == [sar_id], f"({lat}, {lon}) lies in SAR regions {hits}, expected {sar_id}"


# --- patrol areas ---------------------------------------------------------------------


def test_every_crossing_leg_passes_an_eu_patrol_area(geo):
    force = geo.patrol_areas["force"]
    bad = [
        leg_id
        for leg_id in geo.legs.index[geo.legs["crossing"]]
        if not any(force[a] == "eu" for a in geo.leg_patrol_areas[leg_id])
    ]
    assert not bad, f"crossing legs through no EU patrol area: {bad}"


def test_partner_departure_points_lie_in_a_partner_patrol_area(geo):
    partner = geo.patrol_areas[geo.patrol_areas["force"] == "partner"]
    bad = []
    for pid in _with_role(geo, "departure_point"):
        place = geo.places.loc[pid]
        if place["in_eu"]:
            continue
        own = partner[partner["country"] == place["country"]]
        if not own.geometry.covers(place.geometry).any():
            bad.append(f"{pid} ({place['country']})")
    assert not bad, f"partner departure points outside their country's patrol areas: {bad}"


def test_land_border_sections_follow_their_border(geo):
    """Each land border section lies along (covers part of) its country's boundary."""
    bad = []
    for area_id, area in geo.patrol_areas[geo.patrol_areas["kind"] == "land_border"].iterrows():
        boundary = geo.countries.geometry[area["country"]].boundary
        if _km(area.geometry.intersection(boundary)) < 1.0:
            bad.append(area_id)
    assert not bad, f"land border sections away from their country's border: {bad}"


# --- countries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lat", "lon", "iso3"),
    [
        ("Lampedusa", 35.50, 12.60, "ITA"),
        ("Linosa", 35.865, 12.865, "ITA"),
        ("Pantelleria", 36.78, 11.99, "ITA"),
        ("Malta", 35.88, 14.45, "MLT"),
        ("Gozo", 36.045, 14.25, "MLT"),
        ("Lesvos", 39.20, 26.30, "GRC"),
        ("Chios", 38.37, 26.00, "GRC"),
        ("Samos", 37.73, 26.80, "GRC"),
        ("Kos", 36.85, 27.15, "GRC"),
        ("Leros", 37.15, 26.85, "GRC"),
        ("Crete", 35.25, 24.80, "GRC"),
        ("Gavdos", 34.845, 24.09, "GRC"),
        ("Cyprus", 34.90, 33.00, "CYP"),
        ("Northern Cyprus", 35.25, 33.60, "CYN"),
        ("Ceuta", 35.889, -5.316, "ESP"),
        ("Melilla", 35.292, -2.945, "ESP"),
        ("Lanzarote", 29.05, -13.65, "ESP"),
        ("Fuerteventura", 28.40, -14.00, "ESP"),
        ("Gran Canaria", 27.95, -15.60, "ESP"),
        ("Tenerife", 28.27, -16.60, "ESP"),
        ("La Gomera", 28.10, -17.23, "ESP"),
        ("La Palma", 28.65, -17.85, "ESP"),
        ("El Hierro", 27.75, -18.00, "ESP"),
        ("Sicily", 37.50, 14.00, "ITA"),
        ("Laayoune (Natural Earth Morocco)", 27.142, -13.188, "MAR"),
    ],
)
def test_islands_and_enclaves_survive(geo, name, lat, lon, iso3):
    point = Point(lon, lat)
    hits = [iso for iso, geom in geo.countries.geometry.items() if geom.covers(point)]
    assert hits == [iso3], f"{name} ({lat}, {lon}) lies in {hits or 'no country'}, expected {iso3}"


def test_country_names_are_current(geo):
    names = geo.countries["name"]
    assert names["MKD"] == "North Macedonia"
    assert names["TUR"] == "Türkiye"
    assert names["ESP"] == "Spain"
    assert set(EU_MEMBERS) & set(geo.countries.index) >= {"ITA", "GRC", "ESP", "MLT", "CYP"}


def test_layers_are_small(geo):
    files = sorted(DEFAULT_GEODATA_DIR.glob("*.geojson"))
    total = sum(f.stat().st_size for f in files)
    sizes = ", ".join(f"{f.name} {f.stat().st_size / 1e6:.2f} MB" for f in files)
    assert total < 3_000_000, f"the layers total {total / 1e6:.2f} MB >= 3 MB: {sizes}"
