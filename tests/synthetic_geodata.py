"""A tiny, hand-made geodata world (Libya, Malta, Italy) for loader and map tests.

Boxes stand in for coastlines so that expected fractions can be worked out by hand.
"""

import json
from pathlib import Path

import pyproj
from shapely.geometry import LineString

_GEOD = pyproj.Geod(ellps="WGS84")


def _box(lon0, lat0, lon1, lat1):
    return [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]


def _polygon(*boxes):
    if len(boxes) == 1:
        return {"type": "Polygon", "coordinates": _box(*boxes[0])}
    return {"type": "MultiPolygon", "coordinates": [_box(*b) for b in boxes]}


def _feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _collection(features):
    return {"type": "FeatureCollection", "features": features}


PLACES = {
    # id: (lon, lat, country, roles, routes)
    "sabha": (14.43, 27.04, "LBY", "origin_hub;transit_hub", "central_med"),
    "tripoli": (13.187, 32.887, "LBY", "departure_point;disembarkation_port", "central_med"),
    "zuwara": (12.082, 32.931, "LBY", "departure_point", "central_med"),
    "lampedusa": (12.606, 35.5, "ITA", "landing_point;disembarkation_port", "central_med"),
    "pozzallo": (14.846, 36.727, "ITA", "landing_point;disembarkation_port", "central_med"),
    "valletta": (14.515, 35.9, "MLT", "disembarkation_port", "central_med"),
}

LEGS = {
    # id: (mode, waypoints between the two places, two_way, crossing, sea_area)
    "zuwara__lampedusa": ("sea", [], False, True, "sicily_channel"),
    "tripoli__pozzallo": ("sea", [(14.0, 35.0)], False, True, "sicily_channel"),
    "sabha__tripoli": ("land", [], True, False, ""),
}


def _leg_feature(leg_id, mode, waypoints, two_way, crossing, sea_area):
    start, end = leg_id.split("__")
    coords = [PLACES[start][:2], *waypoints, PLACES[end][:2]]
    line = LineString(coords)
    properties = {
        "id": leg_id,
        "from": start,
        "to": end,
        "mode": mode,
        "route": "central_med",
        "crossing": crossing,
        "two_way": two_way,
        "sea_area": sea_area,
        "length_km": round(_GEOD.geometry_length(line) / 1000.0, 2),
    }
    return _feature(properties, {"type": "LineString", "coordinates": [list(c) for c in coords]})


def make_world(legs=None):
    """Return the five layers as GeoJSON dicts, keyed by layer name.

    Args:
        legs: The legs, as `LEGS` gives them (its legs by default).
    """
    legs = LEGS if legs is None else legs
    countries = [
        ("LBY", "Libya", _polygon((9.5, 26.0, 16.0, 33.0))),
        ("ITA", "Italy", _polygon((12.0, 36.5, 16.0, 38.5), (12.5, 35.45, 12.7, 35.55))),
        ("MLT", "Malta", _polygon((14.3, 35.8, 14.6, 36.0))),
    ]
    places = [
        _feature(
            {"id": pid, "name": pid.title(), "country": c, "roles": roles, "routes": routes},
            {"type": "Point", "coordinates": [lon, lat]},
        )
        for pid, (lon, lat, c, roles, routes) in PLACES.items()
    ]
    sar = [
        ("libya", "Libyan SRR", "LBY", "tripoli", (10.0, 33.0, 16.0, 34.5)),
        ("malta", "Maltese SRR", "MLT", "valletta", (13.0, 34.5, 16.0, 36.3)),
        ("italy", "Italian SRR", "ITA", "lampedusa;pozzallo", (10.0, 34.5, 13.0, 37.0)),
    ]
    patrols = [
        ("off_zuwara", "Off Zuwara", "sea", "partner", "LBY", (11.8, 32.9, 12.4, 33.5)),
        ("lampedusa_approach", "Lampedusa", "sea", "eu", "ITA", (12.2, 35.0, 13.0, 35.8)),
        ("fezzan_north", "Fezzan north", "land_border", "partner", "LBY", (13, 31, 15, 31.5)),
        ("fezzan_south", "Fezzan south", "land_border", "partner", "LBY", (13, 28, 15, 28.5)),
    ]
    return {
        "countries": _collection(
            [_feature({"iso3": iso, "name": name}, geom) for iso, name, geom in countries]
        ),
        "places": _collection(places),
        "legs": _collection([_leg_feature(leg_id, *spec) for leg_id, spec in legs.items()]),
        "sar_regions": _collection(
            [
                _feature({"id": i, "name": n, "state": s, "ports": p}, _polygon(b))
                for i, n, s, p, b in sar
            ]
        ),
        "patrol_areas": _collection(
            [
                _feature(
                    {"id": i, "name": n, "kind": k, "force": f, "country": c,
                     "route": "central_med"},
                    _polygon(b),
                )
                for i, n, k, f, c, b in patrols
            ]
        ),
    }  # fmt: skip


def write_world(folder: Path, world=None) -> Path:
    """Write a world (default: ``make_world()``) as ``*.geojson`` files into ``folder``."""
    world = make_world() if world is None else world
    folder.mkdir(parents=True, exist_ok=True)
    for name, collection in world.items():
        (folder / f"{name}.geojson").write_text(json.dumps(collection), encoding="utf-8")
    return folder


def feature(world, layer, feature_id):
    """Return the feature of ``layer`` whose id (or iso3) is ``feature_id``, for editing."""
    for item in world[layer]["features"]:
        if feature_id in (item["properties"].get("id"), item["properties"].get("iso3")):
            return item
    raise KeyError(feature_id)
