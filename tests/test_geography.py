"""Tests of routesim.geography: loading, derived geometry and validation errors."""

import networkx as nx
import numpy as np
import pytest
from synthetic_geodata import LEGS, PLACES, feature, make_world, write_world

import routesim
from routesim.geography import (
    DEFAULT_GEODATA_DIR,
    EU_MEMBERS,
    GeodataError,
    Geography,
    SarSegment,
    load_geography,
)

LAYER_FILES = ("countries", "places", "legs", "sar_regions", "patrol_areas")
REAL_LAYERS_PRESENT = all((DEFAULT_GEODATA_DIR / f"{n}.geojson").is_file() for n in LAYER_FILES)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Geography:
    return load_geography(write_world(tmp_path_factory.mktemp("world")))


@pytest.fixture(scope="module")
def real() -> Geography:
    if not REAL_LAYERS_PRESENT:
        pytest.skip("the real geodata layers have not been built yet")
    return load_geography()


# --- the API on a synthetic world -----------------------------------------------------


def test_layers_are_indexed_by_id_and_lists_are_tuples(synthetic):
    assert synthetic.countries.index.name == "iso3"
    assert list(synthetic.countries.index) == ["LBY", "ITA", "MLT"]
    for frame in (synthetic.places, synthetic.legs, synthetic.sar_regions, synthetic.patrol_areas):
        assert frame.index.name == "id"
        assert frame.crs.to_epsg() == 4326
    assert synthetic.places.at["tripoli", "roles"] == ("departure_point", "disembarkation_port")
    assert synthetic.places.at["sabha", "routes"] == ("central_med",)
    assert synthetic.sar_regions.at["italy", "ports"] == ("lampedusa", "pozzallo")
    assert synthetic.legs.at["sabha__tripoli", "two_way"]
    assert synthetic.legs.at["sabha__tripoli", "sea_area"] == ""


def test_load_accepts_a_str_path(tmp_path):
    geography = load_geography(str(write_world(tmp_path)))
    assert set(geography.places.index) == set(PLACES)


def test_network_has_one_edge_per_leg_and_reverse_edges_for_two_way_land_legs(synthetic):
    network = synthetic.network
    assert isinstance(network, nx.MultiDiGraph)
    assert set(network.nodes) == set(PLACES)
    assert network.nodes["lampedusa"]["roles"] == ("landing_point", "disembarkation_port")
    assert network.nodes["lampedusa"]["lon"] == pytest.approx(12.606)
    assert network.number_of_edges() == len(LEGS) + 1
    forward = network.edges["sabha", "tripoli", "sabha__tripoli"]
    backward = network.edges["tripoli", "sabha", "sabha__tripoli"]
    assert (forward["reversed"], backward["reversed"]) == (False, True)
    assert forward["patrol_areas"] == ("fezzan_south", "fezzan_north")
    assert backward["patrol_areas"] == ("fezzan_north", "fezzan_south")
    sea = network.edges["zuwara", "lampedusa", "zuwara__lampedusa"]
    assert sea["mode"] == "sea" and sea["crossing"] and sea["length_km"] > 250
    assert not network.has_edge("lampedusa", "zuwara")


def test_patrol_areas_are_listed_in_order_along_each_leg(synthetic):
    assert synthetic.leg_patrol_areas == {
        "zuwara__lampedusa": ("off_zuwara", "lampedusa_approach"),
        "tripoli__pozzallo": (),
        "sabha__tripoli": ("fezzan_south", "fezzan_north"),
    }


def test_sar_segments_follow_the_regions_along_a_sea_leg(synthetic):
    # Zuwara -> Lampedusa is straight, so fractions are fractions of latitude.
    span = 35.5 - 32.931
    segments = synthetic.sar_segments["zuwara__lampedusa"]
    assert [s.sar_id for s in segments] == ["libya", "italy"]
    assert isinstance(segments[0], SarSegment)
    assert segments[0].f_start == pytest.approx((33.0 - 32.931) / span)
    assert segments[0].f_end == pytest.approx((34.5 - 32.931) / span)
    assert segments[1].f_start == pytest.approx(segments[0].f_end)
    assert segments[1].f_end == pytest.approx(1.0)
    assert synthetic.sar_segments["sabha__tripoli"] == ()


@pytest.mark.parametrize(
    ("leg_id", "f", "expected"),
    [
        ("zuwara__lampedusa", 0.0, None),  # still off the Libyan coast, in no region
        ("zuwara__lampedusa", 0.3, "libya"),
        ("zuwara__lampedusa", 0.9, "italy"),
        ("tripoli__pozzallo", 0.6, "malta"),
        ("tripoli__pozzallo", 0.95, None),  # the gap north of the boxes
        ("sabha__tripoli", 0.5, None),  # land legs lie in no SAR region
    ],
)
def test_sar_region_at_a_fraction_of_a_leg(synthetic, leg_id, f, expected):
    assert synthetic.sar_region_at(leg_id, f) == expected


def test_position_along_a_leg(synthetic):
    assert synthetic.position("zuwara__lampedusa", 0.0) == pytest.approx(PLACES["zuwara"][:2])
    assert synthetic.position("zuwara__lampedusa", 1.0) == pytest.approx(PLACES["lampedusa"][:2])
    middle = np.mean([PLACES["zuwara"][:2], PLACES["lampedusa"][:2]], axis=0)
    assert synthetic.position("zuwara__lampedusa", 0.5) == pytest.approx(tuple(middle))
    many = synthetic.positions("tripoli__pozzallo", np.array([0.0, 1.0]))
    assert many.shape == (2, 2)
    assert many[1] == pytest.approx(PLACES["pozzallo"][:2])


@pytest.mark.parametrize("f", [-0.1, 1.5])
def test_fractions_outside_the_leg_are_refused(synthetic, f):
    with pytest.raises(ValueError, match="fraction"):
        synthetic.position("zuwara__lampedusa", f)
    with pytest.raises(ValueError, match="fraction"):
        synthetic.sar_region_at("zuwara__lampedusa", f)


def test_unknown_leg_and_place_ids_raise_key_error(synthetic):
    with pytest.raises(KeyError, match="no_such_leg"):
        synthetic.position("no_such_leg", 0.5)
    with pytest.raises(KeyError, match="atlantis"):
        synthetic.in_eu("atlantis")


def test_eu_membership(synthetic):
    assert len(EU_MEMBERS) == 27
    assert {"ITA", "MLT", "GRC", "ESP", "CYP", "HRV"} <= EU_MEMBERS
    assert not {"CYN", "TUR", "LBY", "SRB", "GBR"} & EU_MEMBERS
    assert synthetic.in_eu("valletta") and synthetic.in_eu("lampedusa")
    assert not synthetic.in_eu("zuwara")


def test_package_exports_the_loader_without_importing_geopandas_eagerly():
    assert routesim.load_geography is load_geography
    assert routesim.Geography is Geography
    assert issubclass(routesim.GeodataError, ValueError)
    with pytest.raises(AttributeError):
        _ = routesim.no_such_name


# --- validation: every malformed layer stops with one clear message ------------------


def _set(layer, feature_id, **changes):
    def mutate(world):
        feature(world, layer, feature_id)["properties"].update(changes)

    return mutate


def _drop(layer, feature_id, field):
    def mutate(world):
        del feature(world, layer, feature_id)["properties"][field]

    return mutate


def _geometry(layer, feature_id, geometry):
    def mutate(world):
        feature(world, layer, feature_id)["geometry"] = geometry

    return mutate


def _move_leg_end(world):
    feature(world, "legs", "zuwara__lampedusa")["geometry"]["coordinates"][-1] = [12.606, 35.7]


def _duplicate_place(world):
    world["places"]["features"].append(feature(world, "places", "zuwara"))


def _unnamed_place(world):
    del feature(world, "places", "zuwara")["properties"]["id"]


def _null_properties(world):
    feature(world, "legs", "zuwara__lampedusa")["properties"] = None


def _crs(world):
    world["legs"]["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}


def _not_a_collection(world):
    world["patrol_areas"] = {"type": "Feature", "properties": {}, "geometry": None}


BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[13, 34.5], [16, 36.3], [16, 34.5], [13, 36.3], [13, 34.5]]],
}
LINE = {"type": "LineString", "coordinates": [[12.6, 35.5], [12.7, 35.6]]}

MALFORMED = {
    "missing field": (
        _drop("legs", "zuwara__lampedusa", "mode"),
        "legs.geojson: feature 'zuwara__lampedusa': properties.mode: required, but not given",
    ),
    "null properties": (
        _null_properties, "legs.geojson: feature #0: properties: expected a table, got null"
    ),
    "feature without id is named by row": (
        _unnamed_place, "places.geojson: feature #2: properties.id: required, but not given"
    ),
    "bool field holds a string": (
        _set("legs", "zuwara__lampedusa", crossing="yes"),
        "feature 'zuwara__lampedusa': properties.crossing: expected true or false, got 'yes'",
    ),
    "number field holds a string": (
        _set("legs", "zuwara__lampedusa", length_km="286 km"),
        "properties.length_km: expected a number, got '286 km'",
    ),
    "empty roles": (
        _set("places", "sabha", roles=""),
        "feature 'sabha': properties.roles: expected one or more ';'-separated items, got ''",
    ),
    "wrong geometry type": (
        _geometry("places", "lampedusa", LINE),
        "places.geojson: feature 'lampedusa': geometry.type: expected 'Point', got 'LineString'",
    ),
    "missing geometry": (
        _geometry("legs", "sabha__tripoli", None),
        "legs.geojson: feature 'sabha__tripoli': geometry: expected a table, got null",
    ),
    "malformed coordinates": (
        _geometry("places", "sabha", {"type": "Point", "coordinates": "14,27"}),
        "places.geojson: feature 'sabha': geometry.coordinates: expected a list in [brackets], "
        "got '14,27'",
    ),
    "self-intersecting polygon": (
        _geometry("sar_regions", "malta", BOWTIE),
        "sar_regions.geojson: feature 'malta': invalid geometry: Self-intersection",
    ),
    "empty polygon": (
        _geometry("patrol_areas", "off_zuwara", {"type": "Polygon", "coordinates": []}),
        "patrol_areas.geojson: feature 'off_zuwara': geometry.coordinates: expected at least 1 "
        "item, got []",
    ),
    "point for a country": (
        _geometry("countries", "MLT", {"type": "Point", "coordinates": [14.4, 35.9]}),
        "countries.geojson: feature 'MLT': geometry.type: expected one of 'Polygon', "
        "'MultiPolygon', got 'Point'",
    ),
    "geometry without a type": (
        _geometry("sar_regions", "malta", {"coordinates": []}),
        "sar_regions.geojson: feature 'malta': geometry.type: required, but not given",
    ),
    "ring of a multipolygon too short": (
        _geometry("countries", "ITA", {"type": "MultiPolygon", "coordinates": [[[[12, 36]] * 3]]}),
        "countries.geojson: feature 'ITA': geometry.coordinates[0][0]: expected at least 4 items",
    ),
    "altitude": (
        _geometry("places", "sabha", {"type": "Point", "coordinates": [14.43, 27.04, 400]}),
        "places.geojson: feature 'sabha': geometry.coordinates: expected at most 2 items",
    ),
    "multipolygon patrol area": (
        _geometry("patrol_areas", "off_zuwara", {"type": "MultiPolygon", "coordinates": []}),
        "feature 'off_zuwara': geometry.type: expected 'Polygon', got 'MultiPolygon'",
    ),
    "duplicate id": (_duplicate_place, "places.geojson: feature 'zuwara': duplicate id"),
    "unknown role": (
        _set("places", "zuwara", roles="departure_point;smuggler_den"),
        "places.geojson: feature 'zuwara': properties.roles[1]: expected a role (origin_hub, "
        "transit_hub, air_entry, departure_point, landing_point, border_crossing, arrival_point, "
        "disembarkation_port), got 'smuggler_den'",
    ),
    "unknown route of a place": (
        _set("places", "zuwara", routes="central_med;northern"),
        "feature 'zuwara': properties.routes[1]: expected a route (central_med, eastern_med, "
        "western_balkans, western_med, western_african), got 'northern'",
    ),
    "unknown route of a leg": (
        _set("legs", "zuwara__lampedusa", route="central"),
        "feature 'zuwara__lampedusa': properties.route: expected a route (central_med, ",
    ),
    "unknown mode": (
        _set("legs", "zuwara__lampedusa", mode="boat"),
        "feature 'zuwara__lampedusa': properties.mode: expected a mode (land, sea, air), "
        "got 'boat'",
    ),
    "unknown sea area": (
        _set("legs", "zuwara__lampedusa", sea_area="north_sea"),
        "properties.sea_area: expected a sea area (alboran, gibraltar, canaries, sicily_channel, "
        "ionian, libyan_sea, aegean, levantine) or '', got 'north_sea'",
    ),
    "unknown kind": (
        _set("patrol_areas", "off_zuwara", kind="air"),
        "patrol_areas.geojson: feature 'off_zuwara': properties.kind: expected a kind "
        "(land_border, sea), got 'air'",
    ),
    "unknown force": (
        _set("patrol_areas", "off_zuwara", force="nato"),
        "feature 'off_zuwara': properties.force: expected a force (eu, partner), got 'nato'",
    ),
    "country code not ISO3": (
        _set("places", "zuwara", country="Libya"),
        "feature 'zuwara': properties.country: expected an ISO3 code (three capital letters), "
        "got 'Libya'",
    ),
    "unknown country": (
        _set("places", "zuwara", country="TUN"),
        "places.geojson: feature 'zuwara': field 'country' names unknown country 'TUN'",
    ),
    "place far from its country": (
        _set("places", "valletta", country="ITA"),
        "places.geojson: feature 'valletta': point (14.515, 35.900) lies",
    ),
    "leg names an unknown place": (
        _set("legs", "zuwara__lampedusa", to="lampdusa"),
        "legs.geojson: feature 'zuwara__lampedusa': field 'to' names unknown place 'lampdusa'",
    ),
    "leg id is not from__to": (
        _set("legs", "zuwara__lampedusa", to="pozzallo"),
        "feature 'zuwara__lampedusa': id should be 'zuwara__pozzallo'",
    ),
    "leg ends far from its place": (
        _move_leg_end,
        "legs.geojson: feature 'zuwara__lampedusa': line ends 22.2 km from its 'to' place "
        "'lampedusa' (expected within 5 km)",
    ),
    "sea leg without sea area": (
        _set("legs", "zuwara__lampedusa", sea_area=""), "sea leg has no 'sea_area'"
    ),
    "land leg with a sea area": (
        _set("legs", "sabha__tripoli", sea_area="ionian"),
        "feature 'sabha__tripoli': land leg has sea_area 'ionian', expected ''",
    ),
    "two-way sea leg": (
        _set("legs", "zuwara__lampedusa", two_way=True), "sea leg has two_way true"
    ),
    "wrong length": (
        _set("legs", "zuwara__lampedusa", length_km=100.0),
        "feature 'zuwara__lampedusa': length_km is 100 but the line is",
    ),
    "crossing flag off on a leg into the EU": (
        _set("legs", "zuwara__lampedusa", crossing=False),
        "feature 'zuwara__lampedusa': crossing is false, expected true: the leg goes from LBY "
        "to ITA",
    ),
    "crossing flag on a leg inside one country": (
        _set("legs", "sabha__tripoli", crossing=True),
        "feature 'sabha__tripoli': crossing is true, expected false",
    ),
    "SAR port names an unknown place": (
        _set("sar_regions", "italy", ports="lampedusa;pozalo"),
        "sar_regions.geojson: feature 'italy': field 'ports' names unknown place 'pozalo'",
    ),
    "SAR port that is not a disembarkation port": (
        _set("sar_regions", "libya", ports="zuwara"),
        "feature 'libya': port 'zuwara' lacks the role 'disembarkation_port'",
    ),
    "empty layer": (
        lambda world: world["sar_regions"].update(features=[]),
        "sar_regions.geojson: features: expected at least 1 item, got []",
    ),
    "not EPSG:4326": (
        _crs,
        "legs.geojson: crs.properties.name: expected coordinates in EPSG:4326 (lon, lat), such "
        "as OGC:CRS84, got 'EPSG:3857'",
    ),
    "not a FeatureCollection": (
        _not_a_collection, "patrol_areas.geojson: type: expected 'FeatureCollection', got 'Feature'"
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_layer_gives_one_clear_message(tmp_path, case):
    mutate, expected = MALFORMED[case]
    world = make_world()
    mutate(world)
    folder = write_world(tmp_path, world)
    with pytest.raises(GeodataError) as caught:
        load_geography(folder)
    message = str(caught.value)
    assert expected in message
    assert message.startswith(f"{folder}/")
    assert "\n" not in message


def test_null_or_absent_optional_fields_are_read_as_empty(tmp_path):
    world = make_world()
    feature(world, "legs", "sabha__tripoli")["properties"]["sea_area"] = None
    del feature(world, "sar_regions", "malta")["properties"]["ports"]
    feature(world, "sar_regions", "libya")["properties"]["ports"] = None
    geography = load_geography(write_world(tmp_path, world))
    assert geography.legs.at["sabha__tripoli", "sea_area"] == ""
    assert geography.sar_regions.at["malta", "ports"] == ()
    assert geography.sar_regions.at["libya", "ports"] == ()


def test_foreign_members_are_left_out(tmp_path):
    world = make_world()
    world["places"]["bbox"] = [0, 0, 1, 1]
    feature(world, "places", "sabha")["properties"]["population"] = 130_000
    geography = load_geography(write_world(tmp_path, world))
    assert "population" not in geography.places.columns


def test_missing_file(tmp_path):
    folder = write_world(tmp_path)
    (folder / "legs.geojson").unlink()
    with pytest.raises(GeodataError, match=r"legs\.geojson: file not found"):
        load_geography(folder)


def test_missing_folder(tmp_path):
    with pytest.raises(GeodataError, match=r"nowhere.countries\.geojson: file not found"):
        load_geography(tmp_path / "nowhere")


def test_invalid_json(tmp_path):
    folder = write_world(tmp_path)
    (folder / "places.geojson").write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    with pytest.raises(GeodataError, match=r"places\.geojson: not valid GeoJSON: .*line 1"):
        load_geography(folder)


def test_geodata_error_is_a_value_error():
    assert issubclass(GeodataError, ValueError)


def test_error_names_the_path_relative_to_the_working_directory(tmp_path, monkeypatch):
    folder = write_world(tmp_path / "geodata")
    (folder / "legs.geojson").write_text("[]", "utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GeodataError) as caught:
        load_geography(folder)
    assert str(caught.value) == "geodata/legs.geojson: expected a table, got []"


# --- the real layers ------------------------------------------------------------------


def test_real_network_matches_the_layers(real):
    network = real.network
    assert set(network.nodes) == set(real.places.index)
    two_way = int(real.legs["two_way"].sum())
    assert network.number_of_edges() == len(real.legs) + two_way
    assert set(real.legs["route"]) == set(routesim.ROUTES)


def test_real_derived_geometry_is_consistent(real):
    patrol_ids = set(real.patrol_areas.index)
    sar_ids = set(real.sar_regions.index)
    assert set(real.leg_patrol_areas) == set(real.legs.index)
    for leg_id, areas in real.leg_patrol_areas.items():
        assert set(areas) <= patrol_ids, leg_id
        assert len(set(areas)) == len(areas), leg_id
    sea_legs = real.legs.index[real.legs["mode"] == "sea"]
    for leg_id in sea_legs:
        segments = real.sar_segments[leg_id]
        assert segments, f"sea leg {leg_id} crosses no SAR region"
        starts = [s.f_start for s in segments]
        assert starts == sorted(starts)
        for segment in segments:
            assert 0.0 <= segment.f_start < segment.f_end <= 1.0
            assert segment.sar_id in sar_ids
            middle = (segment.f_start + segment.f_end) / 2
            assert real.sar_region_at(leg_id, middle) == segment.sar_id


def test_real_positions_start_and_end_at_the_places(real):
    for leg_id, leg in real.legs.iterrows():
        for f, place in ((0.0, leg["from"]), (1.0, leg["to"])):
            point = real.places.geometry.at[place]
            lon, lat = real.position(leg_id, f)
            assert abs(lon - point.x) < 0.06 and abs(lat - point.y) < 0.05, leg_id


def test_real_eu_membership_of_some_places(real):
    in_eu = real.places["in_eu"]
    assert in_eu.any() and not in_eu.all()
    for place_id, place in real.places.iterrows():
        assert real.in_eu(place_id) == (place["country"] in EU_MEMBERS)


def test_shared_geography_is_loaded_once_per_folder_however_named():
    from routesim.geography import DEFAULT_GEODATA_DIR, shared_geography

    first = shared_geography()
    assert shared_geography(DEFAULT_GEODATA_DIR) is first
    assert shared_geography(str(DEFAULT_GEODATA_DIR / ".." / "geodata")) is first
