"""The geodata layers of ``geodata/SCHEMA.md``: their schema, read and checked.

Each of the five GeoJSON layers is a pydantic model (a FeatureCollection of Features,
with the layer's properties and geometry types), so that a feature is checked, and a
problem reported, as every config is: one line naming the file, the feature and the key,
saying what was expected and what was given (``routesim.schema``). What the models
cannot see is checked on the loaded tables: valid geometries, unique ids, and the rules
across layers (known places and countries, leg ids, ends and lengths, crossings, ports).

`read_layers` returns the layers as GeoDataFrames for `routesim.geography` to index and
build the network from; ``;``-lists (``roles``, ``routes``, ``ports``) become tuples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from annotated_types import Len
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from shapely.geometry import shape

from routesim import schema
from routesim.configs import ConfigModel
from routesim.errors import GeodataError
from routesim.routes import ROUTES, SEA_AREAS

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


# --- values of the properties ---------------------------------------------------------
# Validators raise "expected ..."; the schema's formatter adds what was given.


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("expected non-empty text")
    return value


def _iso3(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError("expected an ISO3 code (three capital letters)")
    return value


def _one_of(what: str, allowed: Sequence[str], *, optional: bool = False) -> Callable[[str], str]:
    """A check that text is one of `allowed` (or empty, if `optional`), named `what`."""
    expected = f"expected {what} ({', '.join(allowed)})" + (" or ''" if optional else "")

    def check(value: str) -> str:
        value = value.strip()
        if value not in allowed and not (optional and value == ""):
            raise ValueError(expected)
        return value

    return check


def _split_list(*, optional: bool) -> Callable[[Any], Any]:
    """Reads a ``;``-separated string as a tuple of its items (null as none, if `optional`)."""

    def split(value: Any) -> Any:
        if value is None and optional:
            return ()
        if not isinstance(value, str):
            raise ValueError("expected ';'-separated text")
        items = tuple(item.strip() for item in value.split(";") if item.strip())
        if not items and not optional:
            raise ValueError("expected one or more ';'-separated items")
        return items

    return split


def _none_as_empty(value: Any) -> Any:
    return "" if value is None else value


Text = Annotated[str, AfterValidator(_text)]
Iso3 = Annotated[str, AfterValidator(_iso3)]
Role = Annotated[str, AfterValidator(_one_of("a role", ROLES))]
Route = Annotated[str, AfterValidator(_one_of("a route", ROUTES))]
Mode = Annotated[str, AfterValidator(_one_of("a mode", MODES))]
Kind = Annotated[str, AfterValidator(_one_of("a kind", KINDS))]
Force = Annotated[str, AfterValidator(_one_of("a force", FORCES))]
SeaArea = Annotated[
    str,
    BeforeValidator(_none_as_empty),
    AfterValidator(_one_of("a sea area", SEA_AREAS, optional=True)),
]
_LIST = BeforeValidator(_split_list(optional=False))
_OPTIONAL_LIST = BeforeValidator(_split_list(optional=True))


class _GeoJson(ConfigModel):
    """A GeoJSON object, as strict as a config (``"3"`` is not a number).

    GeoJSON allows foreign members: they are left out of the tables rather than refused
    (GDAL writes some, e.g. ``xy_coordinate_resolution``). Keys are spelled as in the
    file only (``from``, never ``from_``).
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=False)


class CountryProperties(_GeoJson):
    """A country (countries.geojson)."""

    iso3: Iso3
    name: Text


class PlaceProperties(_GeoJson):
    """A place (places.geojson)."""

    id: Text
    name: Text
    country: Iso3
    roles: Annotated[tuple[Role, ...], _LIST]
    routes: Annotated[tuple[Route, ...], _LIST]


class LegProperties(_GeoJson):
    """A leg (legs.geojson), from place ``from`` to place ``to``."""

    id: Text
    from_: Text = Field(alias="from")
    to: Text
    mode: Mode
    route: Route
    crossing: bool
    two_way: bool
    sea_area: SeaArea = ""
    length_km: float


class SarRegionProperties(_GeoJson):
    """A search-and-rescue region (sar_regions.geojson)."""

    id: Text
    name: Text
    state: Iso3
    ports: Annotated[tuple[str, ...], _OPTIONAL_LIST] = ()


class PatrolAreaProperties(_GeoJson):
    """A land border section or sea patrol area (patrol_areas.geojson)."""

    id: Text
    name: Text
    kind: Kind
    force: Force
    country: Iso3
    route: Route


# --- geometries -----------------------------------------------------------------------
# Class names are the GeoJSON types: the schema's formatter drops them from a key, as it
# drops any member's name of a union.

Position = Annotated[list[float], Len(2, 2)]  # lon, lat (SCHEMA.md: no altitude)
Ring = Annotated[list[Position], Len(4)]  # a triangle at least, and its first corner again


class Point(_GeoJson):
    """A GeoJSON Point."""

    type: Literal["Point"]
    coordinates: Position


class LineString(_GeoJson):
    """A GeoJSON LineString."""

    type: Literal["LineString"]
    coordinates: Annotated[list[Position], Len(2)]


class Polygon(_GeoJson):
    """A GeoJSON Polygon: an outer ring, then any holes."""

    type: Literal["Polygon"]
    coordinates: Annotated[list[Ring], Len(1)]


class MultiPolygon(_GeoJson):
    """A GeoJSON MultiPolygon."""

    type: Literal["MultiPolygon"]
    coordinates: Annotated[list[Annotated[list[Ring], Len(1)]], Len(1)]


Area = Annotated[Polygon | MultiPolygon, Field(discriminator="type")]


class Feature[P: BaseModel, G](_GeoJson):
    """A GeoJSON Feature with a layer's properties and geometry."""

    type: Literal["Feature"]
    properties: P
    geometry: G


def _lon_lat(name: str) -> str:
    if not name.endswith(("CRS84", "4326")):
        raise ValueError("expected coordinates in EPSG:4326 (lon, lat), such as OGC:CRS84")
    return name


class CrsName(_GeoJson):
    """The name of a named CRS."""

    name: Annotated[str, AfterValidator(_lon_lat)]


class NamedCrs(_GeoJson):
    """The ``crs`` member GDAL writes (GeoJSON itself has none, RFC 7946)."""

    properties: CrsName


class FeatureCollection[F](_GeoJson):
    """A GeoJSON FeatureCollection: one layer."""

    type: Literal["FeatureCollection"]
    crs: NamedCrs | None = None
    features: Annotated[list[F], Len(1)]


@dataclass(frozen=True)
class Layer:
    """One GeoJSON file of the schema and the model of its contents."""

    name: str
    id_field: str
    model: type[FeatureCollection[Any]]

    @property
    def filename(self) -> str:
        """The file's name in the geodata folder."""
        return f"{self.name}.geojson"


LAYERS: Final[tuple[Layer, ...]] = (
    Layer("countries", "iso3", FeatureCollection[Feature[CountryProperties, Area]]),
    Layer("places", "id", FeatureCollection[Feature[PlaceProperties, Point]]),
    Layer("legs", "id", FeatureCollection[Feature[LegProperties, LineString]]),
    Layer("sar_regions", "id", FeatureCollection[Feature[SarRegionProperties, Area]]),
    Layer("patrol_areas", "id", FeatureCollection[Feature[PatrolAreaProperties, Polygon]]),
)


def read_layers(folder: Path) -> dict[str, gpd.GeoDataFrame]:
    """Read and check the five layers in `folder`, each indexed by its id field.

    Raises:
        GeodataError: A layer is missing or does not follow ``geodata/SCHEMA.md``; the
            message names the file, the feature and what was expected.
    """
    layers = {layer.name: _read_layer(folder, layer) for layer in LAYERS}
    _check_references(folder, layers)
    return layers


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


def _read_layer(folder: Path, layer: Layer) -> gpd.GeoDataFrame:
    path = folder / layer.filename
    where = _Where(path)
    data = _read_json(path, where)
    try:
        collection = layer.model.model_validate(data)
    except ValidationError as exc:
        raise where.fail(_first_problem(exc, layer, data)) from None
    frame = gpd.GeoDataFrame(
        [feature.properties.model_dump(by_alias=True) for feature in collection.features],
        # From the checked input itself: dumping long coordinate lists back out is slow.
        geometry=[shape(feature["geometry"]) for feature in data["features"]],
        crs="EPSG:4326",
    )
    _check_geometries(frame, layer, where)
    _check_unique(frame, layer, where)
    return frame.set_index(layer.id_field)


def _read_json(path: Path, where: _Where) -> Any:
    if not path.is_file():
        raise where.fail("file not found (expected a GeoJSON FeatureCollection)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise where.fail(f"not valid GeoJSON: {exc}") from None
    except OSError as exc:
        raise where.fail(f"cannot read the file ({exc.strerror or exc})") from None


def _first_problem(exc: ValidationError, layer: Layer, data: Any) -> str:
    """The schema's first problem, keyed within its feature: ``feature 'x': key: ...``."""
    return schema.first_problem(exc, layer.model, key=lambda loc: _feature_key(loc, layer, data))


def _feature_key(loc: schema.Loc, layer: Layer, data: Any) -> str:
    match loc:
        case ("features", int(row), *rest):
            feature = data["features"][row]
            label = f"feature {_feature_label(feature, layer.id_field, row)}"
            return f"{label}: {schema.toml_key(rest)}" if rest else label
    return schema.toml_key(loc)


def _feature_label(feature: Any, id_field: str, row: int) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    value = properties.get(id_field) if isinstance(properties, dict) else None
    return repr(value.strip()) if isinstance(value, str) and value.strip() else f"#{row}"


def _check_geometries(frame: gpd.GeoDataFrame, layer: Layer, where: _Where) -> None:
    geometry = frame.geometry.values
    invalid = np.flatnonzero(~shapely.is_valid(geometry))
    if invalid.size:
        row = int(invalid[0])
        raise where.fail(
            f"invalid geometry: {shapely.is_valid_reason(geometry[row])}",
            _row_label(frame, layer, row),
        )
    xmin, ymin, xmax, ymax = shapely.bounds(geometry).reshape(-1, 4).T
    outside = np.flatnonzero((xmin < -180) | (xmax > 180) | (ymin < -90) | (ymax > 90))
    if outside.size:
        raise where.fail(
            "coordinates outside lon -180..180, lat -90..90 (expected lon, lat in degrees)",
            _row_label(frame, layer, int(outside[0])),
        )


def _check_unique(frame: gpd.GeoDataFrame, layer: Layer, where: _Where) -> None:
    duplicated = np.flatnonzero(frame[layer.id_field].duplicated().to_numpy())
    if duplicated.size:
        row = int(duplicated[0])
        raise where.fail(
            f"duplicate {layer.id_field} (expected each to be unique)",
            _row_label(frame, layer, row),
        )


def _row_label(frame: gpd.GeoDataFrame, layer: Layer, row: int) -> str:
    return f"{frame[layer.id_field].iat[row]!r}"


# --- checks across layers -------------------------------------------------------------


def _check_references(folder: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    countries, places = layers["countries"], layers["places"]
    where = {layer.name: _Where(folder / layer.filename) for layer in LAYERS}
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
