"""Load, validate and index the geodata layers described in ``geodata/SCHEMA.md``.

``load_geography`` reads the five GeoJSON layers, checks every feature against the
schema (stopping at the first problem with a message naming the file, the feature and
what was expected), builds the route network and precomputes what the simulator asks
about geometry: which patrol areas a leg passes through, which SAR region a point of a
sea leg lies in, and where a point at a given fraction of a leg is.

Fractions along a leg are fractions of the length of its line in lon/lat degrees, the
measure shapely uses; on these short legs it stays within a few percent of the
geodesic fraction, and positions and SAR segments use the same measure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NamedTuple

import geopandas as gpd
import networkx as nx
import numpy as np
import pyproj
import shapely
from shapely.geometry import shape

from routesim.errors import GeodataError
from routesim.resources import bundled
from routesim.routes import ROUTES, SEA_AREAS

__all__ = [
    "EU_MEMBERS",
    "FORCES",
    "KINDS",
    "MODES",
    "ROLES",
    "SEA_AREAS",
    "GeodataError",
    "Geography",
    "SarSegment",
    "load_geography",
]

DEFAULT_GEODATA_DIR: Final[Path] = bundled("geodata")

EU_MEMBERS: Final[frozenset[str]] = frozenset(
    {
        "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN",
        "FRA", "DEU", "GRC", "HUN", "IRL", "ITA", "LVA", "LTU", "LUX",
        "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
    }
)  # fmt: skip
"""ISO3 codes of the 27 EU member states (northern Cyprus, ``CYN``, is not one)."""

ROLES: Final[tuple[str, ...]] = (
    "origin_hub",
    "transit_hub",
    "air_entry",
    "departure_point",
    "landing_point",
    "border_crossing",
    "arrival_point",
    "disembarkation_port",
)
MODES: Final[tuple[str, ...]] = ("land", "sea", "air")
KINDS: Final[tuple[str, ...]] = ("land_border", "sea")
FORCES: Final[tuple[str, ...]] = ("eu", "partner")

MAX_ENDPOINT_OFFSET_KM: Final[float] = 5.0
"""How far a leg's first or last vertex may lie from its place."""
MAX_PLACE_OFFSET_KM: Final[float] = 10.0
"""How far a place may lie from its country's polygon (coastlines are simplified)."""

_EARTH_RADIUS_KM: Final[float] = 6371.0088
_GEOD = pyproj.Geod(ellps="WGS84")


# --- the schema -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """One property of a layer: its JSON type and what values it may take."""

    kind: str  # "str", "list" (";"-separated str), "bool" or "number"
    allowed: tuple[str, ...] | None = None
    what: str = ""  # the vocabulary's name in error messages
    nullable: bool = False  # null or absent is read as "" (or an empty list)
    nonempty: bool = True
    pattern: re.Pattern[str] | None = None


@dataclass(frozen=True)
class _Layer:
    """One GeoJSON file of the schema."""

    name: str
    id_field: str
    geometry: tuple[str, ...]
    fields: dict[str, _Field]

    @property
    def filename(self) -> str:
        return f"{self.name}.geojson"


_ISO = _Field("str", what="ISO3 code", pattern=re.compile(r"^[A-Z]{3}$"))
_ROUTE = _Field("str", ROUTES, "route")
_LAYERS: Final[tuple[_Layer, ...]] = (
    _Layer(
        "countries",
        "iso3",
        ("Polygon", "MultiPolygon"),
        {"iso3": _ISO, "name": _Field("str")},
    ),
    _Layer(
        "places",
        "id",
        ("Point",),
        {
            "id": _Field("str"),
            "name": _Field("str"),
            "country": _ISO,
            "roles": _Field("list", ROLES, "role"),
            "routes": _Field("list", ROUTES, "route"),
        },
    ),
    _Layer(
        "legs",
        "id",
        ("LineString",),
        {
            "id": _Field("str"),
            "from": _Field("str"),
            "to": _Field("str"),
            "mode": _Field("str", MODES, "mode"),
            "route": _ROUTE,
            "crossing": _Field("bool"),
            "two_way": _Field("bool"),
            "sea_area": _Field("str", SEA_AREAS, "sea area", nullable=True, nonempty=False),
            "length_km": _Field("number"),
        },
    ),
    _Layer(
        "sar_regions",
        "id",
        ("Polygon", "MultiPolygon"),
        {
            "id": _Field("str"),
            "name": _Field("str"),
            "state": _ISO,
            "ports": _Field("list", nullable=True, nonempty=False),
        },
    ),
    _Layer(
        "patrol_areas",
        "id",
        ("Polygon",),
        {
            "id": _Field("str"),
            "name": _Field("str"),
            "kind": _Field("str", KINDS, "kind"),
            "force": _Field("str", FORCES, "force"),
            "country": _ISO,
            "route": _ROUTE,
        },
    ),
)


# --- the loaded world -----------------------------------------------------------------


class SarSegment(NamedTuple):
    """A stretch of a leg, as fractions of its length, lying in one SAR region."""

    f_start: float
    f_end: float
    sar_id: str


@dataclass(frozen=True, eq=False)
class Geography:
    """The validated geodata layers, the route network and precomputed geometry.

    The GeoDataFrames are indexed by ``iso3`` (countries) or ``id`` (the others);
    ``;``-lists (``roles``, ``routes``, ``ports``) are tuples. Treat everything as
    read-only: the derived tables are computed once, from the layers as loaded.

    Attributes:
        countries: Country polygons.
        places: Places (Point), with an ``in_eu`` column.
        legs: Legs (LineString), in the direction ``from`` -> ``to``.
        sar_regions: Search-and-rescue regions (sea polygons).
        patrol_areas: Land border sections and sea patrol areas.
        network: Directed multigraph over place ids. Node attributes are the place's
            fields plus ``lon``/``lat``; each leg is an edge keyed by its id, and a
            two-way land leg is also an edge ``to`` -> ``from`` with ``reversed=True``.
            Edge attributes are the leg's fields plus ``patrol_areas`` in the order
            the edge's direction of travel meets them.
        leg_patrol_areas: Leg id -> ids of the patrol areas the leg passes through,
            in order from ``from`` to ``to``.
        sar_segments: Leg id -> SAR segments ordered by ``f_start`` (empty for land
            and air legs). Stretches in no SAR region have no segment.
    """

    countries: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    legs: gpd.GeoDataFrame
    sar_regions: gpd.GeoDataFrame
    patrol_areas: gpd.GeoDataFrame
    network: nx.MultiDiGraph
    leg_patrol_areas: Mapping[str, tuple[str, ...]]
    sar_segments: Mapping[str, tuple[SarSegment, ...]]

    def position(self, leg_id: str, f: float) -> tuple[float, float]:
        """Return the (lon, lat) at fraction ``f`` of a leg, measured from ``from``.

        Args:
            leg_id: A leg id.
            f: Fraction of the leg's length, 0 at ``from`` and 1 at ``to``.

        Returns:
            The point's longitude and latitude.
        """
        point = shapely.line_interpolate_point(self._line(leg_id), _fraction(f), normalized=True)
        return float(point.x), float(point.y)

    def positions(self, leg_id: str, fractions: np.ndarray) -> np.ndarray:
        """Return the (lon, lat) of many fractions of one leg at once.

        Args:
            leg_id: A leg id.
            fractions: Fractions of the leg's length, each in [0, 1].

        Returns:
            An array of shape ``(len(fractions), 2)`` of longitudes and latitudes.
        """
        fractions = np.asarray(fractions, dtype=float)
        if fractions.size and (fractions.min() < 0.0 or fractions.max() > 1.0):
            raise ValueError("fractions along a leg must lie in [0, 1]")
        points = shapely.line_interpolate_point(self._line(leg_id), fractions, normalized=True)
        return shapely.get_coordinates(points).reshape(fractions.shape + (2,))

    def sar_region_at(self, leg_id: str, f: float) -> str | None:
        """Return the SAR region at fraction ``f`` of a leg, or None if in none.

        Args:
            leg_id: A leg id.
            f: Fraction of the leg's length, 0 at ``from`` and 1 at ``to``.

        Returns:
            The SAR region's id, or None where the leg lies in no SAR region (always
            for land and air legs).
        """
        f = _fraction(f)
        segments = self.sar_segments[self._known(leg_id)]
        return next((s.sar_id for s in segments if s.f_start <= f <= s.f_end), None)

    def in_eu(self, place_id: str) -> bool:
        """Return whether a place lies in an EU member state."""
        if place_id not in self.places.index:
            raise KeyError(f"unknown place {place_id!r}")
        return bool(self.places.at[place_id, "in_eu"])

    def _known(self, leg_id: str) -> str:
        if leg_id not in self.sar_segments:
            raise KeyError(f"unknown leg {leg_id!r}")
        return leg_id

    def _line(self, leg_id: str) -> shapely.LineString:
        return self._lines[self._known(leg_id)]

    @cached_property
    def _lines(self) -> dict[str, shapely.LineString]:
        # Looking a geometry up in the GeoDataFrame costs more than interpolating on it.
        return dict(self.legs.geometry.items())


def _fraction(f: float) -> float:
    if not 0.0 <= f <= 1.0:
        raise ValueError(f"fraction along a leg must lie in [0, 1], got {f}")
    return float(f)


def shared_geography(path: str | Path | None = None) -> Geography:
    """The layers of `path`, loaded once per process and then reused (treat as read-only).

    For code that builds many models in one process: ensemble and sweep workers, the
    app's server. Paths are resolved first, so one folder is loaded once however named.
    """
    return _shared(DEFAULT_GEODATA_DIR if path is None else Path(path).resolve())


@cache
def _shared(path: Path) -> Geography:
    return load_geography(path)


def load_geography(path: str | Path | None = None) -> Geography:
    """Load and validate the geodata layers and precompute the geometry they imply.

    Args:
        path: Folder holding the five ``*.geojson`` layers; the bundled
            ``routesim/data/geodata/`` by default.

    Returns:
        The loaded geography.

    Raises:
        GeodataError: A layer is missing or does not follow ``geodata/SCHEMA.md``;
            the message names the file, the feature and what was expected.
    """
    folder = DEFAULT_GEODATA_DIR if path is None else Path(path)
    layers = {layer.name: _read_layer(folder, layer) for layer in _LAYERS}
    _check_references(folder, layers)
    countries, places, legs, sar, patrols = (
        layers[name] for name in ("countries", "places", "legs", "sar_regions", "patrol_areas")
    )
    places["in_eu"] = places["country"].isin(EU_MEMBERS)
    leg_patrols = _patrol_areas_along(legs, patrols)
    segments = _sar_segments_along(legs, sar)
    return Geography(
        countries=countries,
        places=places,
        legs=legs,
        sar_regions=sar,
        patrol_areas=patrols,
        network=_build_network(places, legs, leg_patrols),
        leg_patrol_areas=MappingProxyType(leg_patrols),
        sar_segments=MappingProxyType(segments),
    )


# --- reading one layer ----------------------------------------------------------------


class _Where:
    """Formats error messages that name a file and, optionally, a feature."""

    def __init__(self, path: Path) -> None:
        self.path = _display(path)

    def fail(self, message: str, feature: str | None = None) -> GeodataError:
        where = f"{self.path}: feature {feature}" if feature else self.path
        return GeodataError(f"{where}: {message}")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_layer(folder: Path, layer: _Layer) -> gpd.GeoDataFrame:
    path = folder / layer.filename
    where = _Where(path)
    features = _read_features(path, where)
    records, geometries = [], []
    for row, feature in enumerate(features):
        label = _feature_label(feature, layer.id_field, row)
        records.append(_read_properties(feature, layer, where, label))
        geometries.append(_read_geometry(feature, layer, where, label))
    frame = gpd.GeoDataFrame(
        records, columns=list(layer.fields), geometry=geometries, crs="EPSG:4326"
    )
    _check_geometries(frame, layer, where)
    _check_unique(frame, layer, where)
    return frame.set_index(layer.id_field)


def _read_features(path: Path, where: _Where) -> list[Any]:
    if not path.is_file():
        raise where.fail("file not found (expected a GeoJSON FeatureCollection)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise where.fail(f"not valid GeoJSON: {exc}") from None
    except OSError as exc:
        raise where.fail(f"cannot read the file ({exc.strerror or exc})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise where.fail("not valid GeoJSON: expected a FeatureCollection")
    if not isinstance(data.get("features"), list):
        raise where.fail("not valid GeoJSON: expected a 'features' list")
    _check_crs(data.get("crs"), where)
    if not data["features"]:
        raise where.fail("no features (expected at least one)")
    return data["features"]


def _check_crs(crs: Any, where: _Where) -> None:
    # GeoJSON has no crs member (RFC 7946); GDAL writes one naming CRS84.
    if crs is None:
        return
    name = str(crs.get("properties", {}).get("name", "")) if isinstance(crs, dict) else ""
    if not (name.endswith("CRS84") or name.endswith("4326")):
        raise where.fail(f"expected coordinates in EPSG:4326 (lon, lat), got crs {crs!r}")


def _feature_label(feature: Any, id_field: str, row: int) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    value = properties.get(id_field) if isinstance(properties, dict) else None
    return repr(value) if isinstance(value, str) and value else f"#{row}"


def _read_properties(feature: Any, layer: _Layer, where: _Where, label: str) -> dict[str, Any]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise where.fail("expected a GeoJSON Feature", label)
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise where.fail("expected a 'properties' object", label)
    return {
        name: _read_value(properties.get(name), name, field, where, label)
        for name, field in layer.fields.items()
    }


def _read_value(value: Any, name: str, field: _Field, where: _Where, label: str) -> Any:
    if value is None:
        if not field.nullable:
            raise where.fail(f"missing field '{name}' (expected {_expected(field)})", label)
        return () if field.kind == "list" else ""
    reader = _READERS[field.kind]
    parsed = reader(value)
    if parsed is None:
        raise where.fail(f"field '{name}' is {value!r}, expected {_expected(field)}", label)
    if field.nonempty and parsed in ("", ()):
        raise where.fail(f"field '{name}' is empty, expected {_expected(field)}", label)
    items = parsed if field.kind == "list" else (parsed,)
    for item in items:
        _check_vocabulary(item, name, field, where, label)
    return parsed


def _check_vocabulary(item: Any, name: str, field: _Field, where: _Where, label: str) -> None:
    if field.pattern is not None and not field.pattern.match(item):
        raise where.fail(f"field '{name}' is {item!r}, expected an {field.what}", label)
    if field.allowed is not None and item and item not in field.allowed:
        raise where.fail(
            f"field '{name}' names unknown {field.what} {item!r} "
            f"(expected one of: {', '.join(field.allowed)})",
            label,
        )


def _expected(field: _Field) -> str:
    return {
        "str": "a string",
        "list": "a ';'-separated string",
        "bool": "true or false",
        "number": "a number",
    }[field.kind]


def _read_str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _read_list(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, str):
        return None
    return tuple(item.strip() for item in value.split(";") if item.strip())


def _read_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _read_number(value: Any) -> float | None:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number and np.isfinite(value) else None


_READERS: Final[dict[str, Callable[[Any], Any]]] = {
    "str": _read_str,
    "list": _read_list,
    "bool": _read_bool,
    "number": _read_number,
}


def _read_geometry(feature: dict, layer: _Layer, where: _Where, label: str) -> Any:
    expected = " or ".join(layer.geometry)
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in layer.geometry:
        raise where.fail(f"geometry is {kind or 'missing'}, expected {expected}", label)
    try:
        return shape(geometry)
    except (KeyError, TypeError, ValueError, IndexError, shapely.errors.ShapelyError) as exc:
        raise where.fail(f"malformed {kind} coordinates ({exc})", label) from None


def _check_geometries(frame: gpd.GeoDataFrame, layer: _Layer, where: _Where) -> None:
    geometry = frame.geometry.values
    bad = np.flatnonzero(shapely.is_empty(geometry) | ~shapely.is_valid(geometry))
    if bad.size:
        row = int(bad[0])
        reason = "empty" if geometry[row].is_empty else shapely.is_valid_reason(geometry[row])
        raise where.fail(f"invalid geometry: {reason}", _row_label(frame, layer, row))
    xmin, ymin, xmax, ymax = shapely.bounds(geometry).reshape(-1, 4).T
    outside = np.flatnonzero((xmin < -180) | (xmax > 180) | (ymin < -90) | (ymax > 90))
    if outside.size:
        raise where.fail(
            "coordinates outside lon -180..180, lat -90..90 (expected lon, lat in degrees)",
            _row_label(frame, layer, int(outside[0])),
        )


def _check_unique(frame: gpd.GeoDataFrame, layer: _Layer, where: _Where) -> None:
    duplicated = np.flatnonzero(frame[layer.id_field].duplicated().to_numpy())
    if duplicated.size:
        row = int(duplicated[0])
        raise where.fail(
            f"duplicate {layer.id_field} (expected each to be unique)",
            _row_label(frame, layer, row),
        )


def _row_label(frame: gpd.GeoDataFrame, layer: _Layer, row: int) -> str:
    return f"{frame[layer.id_field].iat[row]!r}"


# --- checks across layers -------------------------------------------------------------


def _check_references(folder: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    countries, places = layers["countries"], layers["places"]
    where = {layer.name: _Where(folder / layer.filename) for layer in _LAYERS}
    for name, field in (
        ("places", "country"),
        ("sar_regions", "state"),
        ("patrol_areas", "country"),
    ):
        _check_known(layers[name], field, countries.index, "country", where[name])
    _check_places_in_countries(places, countries, where["places"])
    _check_legs(layers["legs"], places, where["legs"])
    _check_ports(layers["sar_regions"], places, where["sar_regions"])


def _check_known(frame: gpd.GeoDataFrame, field: str, known: Any, what: str, where: _Where) -> None:
    unknown = ~frame[field].isin(known)
    if unknown.any():
        feature = frame.index[unknown.to_numpy()][0]
        value = frame.at[feature, field]
        raise where.fail(f"field '{field}' names unknown {what} {value!r}", repr(feature))


def _check_places_in_countries(
    places: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, where: _Where
) -> None:
    country_shapes = countries.geometry.reindex(places["country"]).to_numpy()
    nearest = shapely.shortest_line(places.geometry.to_numpy(), country_shapes)
    start = shapely.get_coordinates(shapely.get_point(nearest, 0))
    end = shapely.get_coordinates(shapely.get_point(nearest, 1))
    offset = _haversine_km(start, end)
    far = np.flatnonzero(offset > MAX_PLACE_OFFSET_KM)
    if far.size:
        i = int(far[0])
        place = places.iloc[i]
        raise where.fail(
            f"point ({place.geometry.x:.3f}, {place.geometry.y:.3f}) lies {offset[i]:.0f} km "
            f"from its country {place['country']!r} (expected within {MAX_PLACE_OFFSET_KM:g} km; "
            "are lon and lat swapped?)",
            repr(places.index[i]),
        )


def _check_legs(legs: gpd.GeoDataFrame, places: gpd.GeoDataFrame, where: _Where) -> None:
    for field in ("from", "to"):
        _check_known(legs, field, places.index, "place", where)
    for leg_id, leg in legs.iterrows():
        _check_leg_fields(leg_id, leg, where)
    _check_crossings(legs, places, where)
    _check_leg_ends(legs, places, where)
    _check_leg_lengths(legs, where)


def _check_leg_fields(leg_id: str, leg: Any, where: _Where) -> None:
    label = repr(leg_id)
    if leg_id != f"{leg['from']}__{leg['to']}":
        raise where.fail(f"id should be '{leg['from']}__{leg['to']}' (<from>__<to>)", label)
    if leg["mode"] == "sea" and not leg["sea_area"]:
        raise where.fail(
            f"sea leg has no 'sea_area' (expected one of: {', '.join(SEA_AREAS)})", label
        )
    if leg["mode"] != "sea" and leg["sea_area"]:
        raise where.fail(f"{leg['mode']} leg has sea_area {leg['sea_area']!r}, expected ''", label)
    if leg["two_way"] and leg["mode"] != "land":
        raise where.fail(f"{leg['mode']} leg has two_way true, expected false (one-way)", label)
    if leg["length_km"] <= 0:
        raise where.fail(f"length_km is {leg['length_km']:g}, expected a positive number", label)


def _check_crossings(legs: gpd.GeoDataFrame, places: gpd.GeoDataFrame, where: _Where) -> None:
    # SCHEMA.md: a crossing enters the EU from outside (sea legs to EU landing points,
    # land legs into the EU); detections are counted on exactly these legs.
    country = places["country"]
    start, end = legs["from"].map(country), legs["to"].map(country)
    enters = (~start.isin(EU_MEMBERS) & end.isin(EU_MEMBERS)).to_numpy()
    wrong = np.flatnonzero(enters != legs["crossing"].to_numpy(dtype=bool))
    if wrong.size:
        i = int(wrong[0])
        expected = "true" if enters[i] else "false"
        raise where.fail(
            f"crossing is {str(not enters[i]).lower()}, expected {expected}: the leg goes from "
            f"{start.iat[i]} to {end.iat[i]} (a crossing enters the EU from outside)",
            repr(legs.index[i]),
        )


def _check_leg_ends(legs: gpd.GeoDataFrame, places: gpd.GeoDataFrame, where: _Where) -> None:
    lines = legs.geometry.to_numpy()
    for end, field in ((0, "from"), (-1, "to")):
        vertex = shapely.get_coordinates(shapely.get_point(lines, end))
        place = shapely.get_coordinates(places.geometry.reindex(legs[field]).to_numpy())
        offset = _haversine_km(vertex, place)
        far = np.flatnonzero(offset > MAX_ENDPOINT_OFFSET_KM)
        if far.size:
            i = int(far[0])
            which = "starts" if end == 0 else "ends"
            raise where.fail(
                f"line {which} {offset[i]:.1f} km from its '{field}' place "
                f"{legs[field].iat[i]!r} (expected within {MAX_ENDPOINT_OFFSET_KM:g} km)",
                repr(legs.index[i]),
            )


def _check_leg_lengths(legs: gpd.GeoDataFrame, where: _Where) -> None:
    measured = _geodesic_lengths_km(legs.geometry.to_numpy())
    stated = legs["length_km"].to_numpy()
    # Builders may measure on a sphere or before rounding: allow 2% and 1 km.
    wrong = np.flatnonzero(np.abs(measured - stated) > 1.0 + 0.02 * measured)
    if wrong.size:
        i = int(wrong[0])
        raise where.fail(
            f"length_km is {stated[i]:g} but the line is {measured[i]:.1f} km long "
            "(expected its geodesic length)",
            repr(legs.index[i]),
        )


def _check_ports(sar: gpd.GeoDataFrame, places: gpd.GeoDataFrame, where: _Where) -> None:
    for sar_id, ports in sar["ports"].items():
        for port in ports:
            if port not in places.index:
                raise where.fail(f"field 'ports' names unknown place {port!r}", repr(sar_id))
            if "disembarkation_port" not in places.at[port, "roles"]:
                raise where.fail(
                    f"port {port!r} lacks the role 'disembarkation_port' in places.geojson",
                    repr(sar_id),
                )


def _haversine_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lon1, lat1, lon2, lat2 = np.radians([a[:, 0], a[:, 1], b[:, 0], b[:, 1]])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


def _geodesic_lengths_km(lines: np.ndarray) -> np.ndarray:
    coords, owner = shapely.get_coordinates(lines, return_index=True)
    same_line = owner[1:] == owner[:-1]
    start, end = coords[:-1][same_line], coords[1:][same_line]
    _, _, metres = _GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    return np.bincount(owner[1:][same_line], weights=metres, minlength=len(lines)) / 1000.0


# --- derived geometry -----------------------------------------------------------------


def _crossings(
    legs: gpd.GeoDataFrame, areas: gpd.GeoDataFrame
) -> list[tuple[str, str, float, float]]:
    """Return (leg id, area id, f_start, f_end) for every stretch of a leg in an area."""
    lines, polygons = legs.geometry.to_numpy(), areas.geometry.to_numpy()
    leg_i, area_i = shapely.STRtree(polygons).query(lines, predicate="intersects")
    parts, pair = shapely.get_parts(
        shapely.intersection(lines[leg_i], polygons[area_i]), return_index=True
    )
    # A leg touching an area's edge at a point does not pass through it.
    keep = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0)
    parts, pair = parts[keep], pair[keep]
    on_line = lines[leg_i[pair]]
    f0 = shapely.line_locate_point(on_line, shapely.get_point(parts, 0), normalized=True)
    f1 = shapely.line_locate_point(on_line, shapely.get_point(parts, -1), normalized=True)
    leg_ids, area_ids = legs.index.to_numpy(), areas.index.to_numpy()
    return [
        (leg_ids[leg_i[p]], area_ids[area_i[p]], float(min(a, b)), float(max(a, b)))
        for p, a, b in zip(pair, f0, f1, strict=True)
    ]


def _patrol_areas_along(
    legs: gpd.GeoDataFrame, patrols: gpd.GeoDataFrame
) -> dict[str, tuple[str, ...]]:
    entry: dict[str, dict[str, float]] = {leg_id: {} for leg_id in legs.index}
    for leg_id, area_id, f_start, _ in _crossings(legs, patrols):
        entered = entry[leg_id]
        entered[area_id] = min(f_start, entered.get(area_id, f_start))
    return {leg_id: tuple(sorted(areas, key=areas.__getitem__)) for leg_id, areas in entry.items()}


def _sar_segments_along(
    legs: gpd.GeoDataFrame, sar: gpd.GeoDataFrame
) -> dict[str, tuple[SarSegment, ...]]:
    sea = legs[legs["mode"] == "sea"]
    stretches: dict[str, list[SarSegment]] = {leg_id: [] for leg_id in legs.index}
    for leg_id, sar_id, f_start, f_end in _crossings(sea, sar):
        stretches[leg_id].append(SarSegment(f_start, f_end, sar_id))
    return {leg_id: _merge(sorted(segments)) for leg_id, segments in stretches.items()}


def _merge(segments: list[SarSegment]) -> tuple[SarSegment, ...]:
    # A line through a polygon vertex comes back in pieces that touch: join them.
    merged: list[SarSegment] = []
    for segment in segments:
        last = merged[-1] if merged else None
        if last and last.sar_id == segment.sar_id and segment.f_start - last.f_end < 1e-9:
            merged[-1] = last._replace(f_end=max(last.f_end, segment.f_end))
        else:
            merged.append(segment)
    return tuple(merged)


def _build_network(
    places: gpd.GeoDataFrame, legs: gpd.GeoDataFrame, leg_patrols: dict[str, tuple[str, ...]]
) -> nx.MultiDiGraph:
    network = nx.MultiDiGraph()
    for place_id, place in places.drop(columns="geometry").iterrows():
        point = places.geometry.at[place_id]
        network.add_node(place_id, **place.to_dict(), lon=point.x, lat=point.y)
    for leg_id, leg in legs.drop(columns="geometry").iterrows():
        attrs = leg.to_dict()
        patrols = leg_patrols[leg_id]
        network.add_edge(
            attrs["from"], attrs["to"], key=leg_id, **attrs, patrol_areas=patrols, reversed=False
        )
        if attrs["two_way"]:
            network.add_edge(
                attrs["to"],
                attrs["from"],
                key=leg_id,
                **attrs,
                patrol_areas=patrols[::-1],
                reversed=True,
            )
    return network
