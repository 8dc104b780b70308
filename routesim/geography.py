"""The loaded world: the geodata layers indexed, the route network and derived geometry.

``load_geography`` reads the five GeoJSON layers of ``geodata/SCHEMA.md`` (read and
checked by `routesim.geodata`), builds the route network and precomputes what the
simulator asks about geometry: which patrol areas a leg passes through, which SAR region
a point of a sea leg lies in, and where a point at a given fraction of a leg is.

Fractions along a leg are fractions of the length of its line in lon/lat degrees, the
measure shapely uses; on these short legs it stays within a few percent of the
geodesic fraction, and positions and SAR segments use the same measure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Final, NamedTuple

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely

from routesim.errors import GeodataError
from routesim.geodata import EU_MEMBERS, FORCES, KINDS, MODES, ROLES, read_layers
from routesim.resources import bundled
from routesim.routes import SEA_AREAS

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
    layers = read_layers(folder)
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
