"""The map: a static SVG base layer and one SVG overlay of everything that moves.

The base (countries, SAR regions, patrol areas, legs and places) is drawn once per
route view and cached for the server process: it depends only on the shared,
read-only geography. Each frame only the overlay is rebuilt — boats at sea, rescue
vessels, guard units and waiting crowds as a few hundred SVG shapes in one string —
so a redraw costs a fraction of a millisecond per agent and sends a few kilobytes to
the browser, instead of one widget per agent.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import shapely
from shapely.geometry.base import BaseGeometry

from routesim.app import style
from routesim.boats import Boat
from routesim.geography import EU_MEMBERS, Geography
from routesim.routes import AREA_OF_ROUTE, ROUTE_COLOURS, ROUTE_LABELS, ROUTES

if TYPE_CHECKING:
    from routesim.app.frame import Frame

#: Map extent (west, south, east, north) of the all-routes view, in degrees.
ALL_ROUTES_EXTENT = (-19.5, 12.5, 37.5, 47.5)
WIDTH = 1000.0
_HUB_ROLES = frozenset({"departure_point", "landing_point", "border_crossing"})


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection of an extent onto an SVG canvas `WIDTH` wide."""

    west: float
    south: float
    east: float
    north: float

    @property
    def kx(self) -> float:
        """SVG units per degree of longitude."""
        return WIDTH / (self.east - self.west)

    @property
    def ky(self) -> float:
        """SVG units per degree of latitude (longitude shrunk by the cosine of mid-latitude)."""
        return self.kx / math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self) -> float:
        """Height of the canvas in SVG units."""
        return (self.north - self.south) * self.ky

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        """SVG coordinates of a point."""
        return (lon - self.west) * self.kx, (self.north - lat) * self.ky

    def contains(self, lon: float, lat: float) -> bool:
        """Whether a point lies within the extent."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north


def extent_for(geography: Geography, route: str | None) -> Projection:
    """The projection for all routes, or zoomed on one route's hubs."""
    if route is None:
        return Projection(*ALL_ROUTES_EXTENT)
    places = geography.places
    hubs = places[
        places["routes"].map(lambda r: route in r)
        & places["roles"].map(lambda r: bool(_HUB_ROLES & set(r)))
    ]
    west, south, east, north = hubs.total_bounds
    margin = max(1.0, 0.12 * max(east - west, north - south))
    west, east, south, north = west - margin, east + margin, south - margin, north + margin
    # Keep the canvas no taller than wide, so every route fits the same frame.
    aspect = (north - south) / ((east - west) * math.cos(math.radians((south + north) / 2)))
    if aspect > 0.75:
        half = (north - south) / 0.75 / math.cos(math.radians((south + north) / 2)) / 2
        middle = (west + east) / 2
        west, east = middle - half, middle + half
    return Projection(west, south, east, north)


class MapLayers:
    """The map of one route view: the base SVG, and the overlay of a day's frame."""

    def __init__(self, geography: Geography, route: str | None) -> None:
        self.geography = geography
        self.route = route
        self.projection = extent_for(geography, route)
        self.patrol_points = {
            area: self.projection.xy(*_representative(geom))
            for area, geom in geography.patrol_areas.geometry.items()
        }
        self.place_points = {
            pid: self.projection.xy(geom.x, geom.y)
            for pid, geom in geography.places.geometry.items()
        }
        self.place_names = dict(geography.places["name"])
        self.place_routes = dict(geography.places["routes"])
        self.patrol_routes = dict(geography.patrol_areas["route"])
        self.patrol_names = dict(geography.patrol_areas["name"])
        self.base_svg = self._base()

    @property
    def view_box(self) -> str:
        """The SVG viewBox shared by base and overlay."""
        return f"0 0 {WIDTH:.0f} {self.projection.height:.0f}"

    # --- the base layer ----------------------------------------------------------------

    def _base(self) -> str:
        geo = self.geography
        proj = self.projection
        box = shapely.box(proj.west, proj.south, proj.east, proj.north)
        tolerance = (proj.east - proj.west) / 1500
        parts = [f'<rect width="100%" height="100%" fill="{style.SEA}"/>']
        for area, geom in geo.sar_regions.geometry.items():
            name = geo.sar_regions.at[area, "name"]
            parts.append(
                self._path(
                    geom,
                    box,
                    tolerance,
                    'fill="#c9def0" fill-opacity="0.35" stroke="#7fa7c9" '
                    'stroke-width="0.8" stroke-dasharray="4 3"',
                    title=f"SAR region: {name}",
                )
            )
        for iso3, geom in geo.countries.geometry.items():
            fill = style.LAND_EU if iso3 in EU_MEMBERS else style.LAND
            name = geo.countries.at[iso3, "name"] if "name" in geo.countries.columns else iso3
            parts.append(
                self._path(
                    geom,
                    box,
                    tolerance,
                    f'fill="{fill}" stroke="{style.BORDER}" stroke-width="0.6"',
                    title=str(name),
                )
            )
        for area, geom in geo.patrol_areas.geometry.items():
            if self.route and self.patrol_routes[area] != self.route:
                continue
            force = geo.patrol_areas.at[area, "force"]
            colour = style.GUARD_EU if force == "eu" else style.GUARD_PARTNER
            parts.append(
                self._path(
                    geom,
                    box,
                    tolerance,
                    f'fill="{colour}" fill-opacity="0.07" stroke="{colour}" '
                    f'stroke-opacity="0.35" stroke-width="0.7"',
                    title=f"Patrol area: {self.patrol_names[area]}",
                )
            )
        for _, leg in geo.legs.iterrows():
            if leg["mode"] == "air":
                continue
            on_route = self.route is None or leg["route"] == self.route
            colour = ROUTE_COLOURS.get(leg["route"], "#888")
            dash = ' stroke-dasharray="5 3"' if leg["mode"] == "land" else ""
            opacity = 0.75 if on_route else 0.15
            parts.append(
                self._line(
                    leg.geometry,
                    f'fill="none" stroke="{colour}" stroke-width="{1.6 if on_route else 1}" '
                    f'stroke-opacity="{opacity}"{dash}',
                    title=f"{leg['from']} → {leg['to']} ({ROUTE_LABELS.get(leg['route'], leg['route'])}, {leg['mode']})",
                )
            )
        for pid, (x, y) in self.place_points.items():
            if not proj.contains(*geo.places.geometry[pid].coords[0]):
                continue
            on_route = self.route is None or self.route in self.place_routes[pid]
            if not on_route:
                continue
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="#fff" stroke="#444" stroke-width="0.8">'
                f"<title>{escape(self.place_names[pid])}</title></circle>"
            )
            if self.route is not None and _HUB_ROLES & set(geo.places.at[pid, "roles"]):
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y - 3:.1f}" font-size="10" fill="#333" '
                    f'paint-order="stroke" stroke="#fff" stroke-width="2.5">{escape(self.place_names[pid])}</text>'
                )
        return self._svg(parts, "routesim-map-base")

    def _path(
        self, geom: BaseGeometry, box: BaseGeometry, tolerance: float, attrs: str, title: str
    ) -> str:
        clipped = shapely.simplify(shapely.intersection(geom, box), tolerance)
        if clipped.is_empty:
            return ""
        rings = []
        for polygon in _polygons(clipped):
            for ring in (polygon.exterior, *polygon.interiors):
                rings.append(self._coords(ring.coords) + "Z")
        return f'<path d="{"".join(rings)}" fill-rule="evenodd" {attrs}><title>{escape(title)}</title></path>'

    def _line(self, geom: BaseGeometry, attrs: str, title: str) -> str:
        return (
            f'<path d="{self._coords(geom.coords)}" {attrs}><title>{escape(title)}</title></path>'
        )

    def _coords(self, coords: Iterable[tuple[float, ...]]) -> str:
        xy = [self.projection.xy(c[0], c[1]) for c in coords]
        return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy)

    def _svg(self, parts: list[str], css_class: str) -> str:
        return (
            f'<svg class="{css_class}" viewBox="{self.view_box}" preserveAspectRatio="xMidYMid meet" '
            f'xmlns="http://www.w3.org/2000/svg" style="width:100%;height:auto;display:block">'
            + "".join(parts)
            + "</svg>"
        )

    # --- the overlay -------------------------------------------------------------------

    def overlay(self, frame: Frame, followed: Boat | None = None) -> str:
        """SVG of boats, rescue vessels, guard units and waiting crowds at the end of a day.

        Args:
            frame: What there is to draw that day (`routesim.app.recording.Frame`).
            followed: A boat to ring, the one whose story the app is telling.

        Returns:
            An SVG string with the same viewBox as the base layer.
        """
        parts: list[str] = []
        parts += self._crowds(frame)
        parts += self._guards(frame)
        parts += self._rescuers(frame)
        parts += self._boats(frame, followed)
        return self._svg(parts, "routesim-map-overlay")

    def _crowds(self, frame: Frame) -> list[str]:
        out = []
        for pid, people in frame.waiting.items():
            if people <= 0 or (self.route and self.route not in self.place_routes.get(pid, ())):
                continue
            x, y = self.place_points[pid]
            r = 2.0 + math.sqrt(people) / 6
            out.append(
                f'<g class="crowd">{style.crowd_mark(x, y, r)}'
                f"<title>{people:,.0f} people waiting at {escape(self.place_names[pid])}</title></g>"
            )
        return out

    def _guards(self, frame: Frame) -> list[str]:
        out = []
        for unit in frame.patrols:
            if unit.area not in self.patrol_points:
                continue
            if self.route and self.patrol_routes[unit.area] != self.route:
                continue
            x, y = self.patrol_points[unit.area]
            colour = style.GUARD_EU if unit.force == "eu" else style.GUARD_PARTNER
            size = 3.0 + 2.5 * min(unit.effort, 2.5)
            label = f"{'EU' if unit.force == 'eu' else 'Partner'} patrol, {self.patrol_names[unit.area]}: effort {unit.effort:.2f}"
            out.append(
                f'<path class="guard" d="M{x:.1f},{y - size:.1f}L{x + size:.1f},{y + size * 0.8:.1f}'
                f'L{x - size:.1f},{y + size * 0.8:.1f}Z" fill="{colour}" fill-opacity="0.85" stroke="#fff" '
                f'stroke-width="0.8"><title>{escape(label)}</title></path>'
            )
        return out

    def _rescuers(self, frame: Frame) -> list[str]:
        out = []
        routes = {self.route} if self.route else set(ROUTES)
        areas = {AREA_OF_ROUTE[r] for r in routes}
        seen: dict[tuple[float, float], int] = {}
        for vessel in frame.vessels:
            if vessel.area not in areas:
                continue
            lon, lat = vessel.station
            if not self.projection.contains(lon, lat):
                continue
            x, y = self.projection.xy(lon, lat)
            k = seen.get(vessel.station, 0)
            seen[vessel.station] = k + 1
            x += 7 * (k % 3) - 7
            y += 7 * (k // 3) + 8
            colour = style.RESCUE_NGO if vessel.kind == "ngo" else style.RESCUE_STATE
            fill = colour if vessel.busy else "#fff"
            label = f"{'NGO' if vessel.kind == 'ngo' else 'State'} rescue vessel ({vessel.area.replace('_', ' ')}): {'on a rescue' if vessel.busy else 'on station'}"
            out.append(
                f'<path class="rescue" d="M{x:.1f},{y - 4.5:.1f}L{x + 4.5:.1f},{y:.1f}L{x:.1f},{y + 4.5:.1f}'
                f'L{x - 4.5:.1f},{y:.1f}Z" fill="{fill}" stroke="{colour}" stroke-width="1.5">'
                f"<title>{escape(label)}</title></path>"
            )
        return out

    def _boats(self, frame: Frame, followed: Boat | None) -> list[str]:
        out = []
        for mark in frame.boats:
            boat = mark.boat
            route = boat.crossing.route
            if self.route and route != self.route:
                continue
            if not self.projection.contains(mark.lon, mark.lat):
                continue
            x, y = self.projection.xy(mark.lon, mark.lat)
            r = 2.5 + math.sqrt(mark.people) / 3
            label = f"{boat.boat_type} with {mark.people:,.0f} people ({ROUTE_LABELS[route]}){' — in distress' if mark.distress else ''}"
            ring = (
                f'<g class="distress">{style.distress_mark(x, y, r)}</g>' if mark.distress else ""
            )
            if boat is followed:
                ring += (
                    f'<circle class="followed" cx="{x:.1f}" cy="{y:.1f}" r="{r + 5:.1f}" '
                    f'fill="none" stroke="{style.FOLLOWED}" stroke-width="2"/>'
                )
            out.append(
                f'<g class="boat"><circle cx="{x:.1f}" cy="{y:.1f}" '
                f'r="{r:.1f}" fill="{ROUTE_COLOURS[route]}" stroke="#222" stroke-width="0.8"/>{ring}'
                f"<title>{escape(label)}</title></g>"
            )
        return out


@functools.lru_cache(maxsize=16)
def map_layers(geography: Geography, route: str | None) -> MapLayers:
    """The map of a route view, built once per server process and shared read-only."""
    return MapLayers(geography, route)


def _polygons(geom: BaseGeometry) -> list[shapely.Polygon]:
    if isinstance(geom, shapely.Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for part in geom.geoms for p in _polygons(part)]
    return []


def _representative(geom: BaseGeometry) -> tuple[float, float]:
    point = geom.representative_point()
    return float(point.x), float(point.y)
