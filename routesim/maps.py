"""Draw the route network on a static map (PNG).

``render_map`` draws countries, SAR regions, patrol areas, legs and places on a main
map with three zoom panels (Sicily Channel, eastern Aegean, Canaries). It builds a bare
``matplotlib.figure.Figure`` on an Agg canvas instead of going through pyplot, so it
works without a display and leaves the process's matplotlib backend alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox

from routesim.geography import EU_MEMBERS, Geography
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES

if TYPE_CHECKING:
    from matplotlib.typing import LineStyleType

__all__ = ["INSETS", "render_map"]

FIGSIZE = (16.0, 10.0)
DPI = 150
REGION = (-30.0, 50.0, -5.0, 60.0)
"""Lon/lat box the main map may show; places beyond it (Dhaka) are named at the edge."""


@dataclass(frozen=True)
class Inset:
    """A zoom panel: a lon/lat box shown enlarged beside the main map."""

    letter: str
    title: str
    lon: tuple[float, float]
    lat: tuple[float, float]
    row: int  # panels sharing a row sit side by side

    def contains(self, lon: float, lat: float) -> bool:
        """Return whether a point lies in the panel's box."""
        return self.lon[0] <= lon <= self.lon[1] and self.lat[0] <= lat <= self.lat[1]

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """The box as (lon min, lon max, lat min, lat max)."""
        return (*self.lon, *self.lat)


INSETS: tuple[Inset, ...] = (
    Inset("A", "Sicily Channel", (10.0, 16.0), (32.0, 38.0), row=0),
    Inset("B", "Eastern Aegean", (25.0, 28.5), (36.5, 39.7), row=0),
    Inset("C", "Canary Islands", (-19.0, -12.0), (26.5, 29.8), row=1),
)

SEA = "#dbe8f1"
LAND = "#f4f1e8"
LAND_EU = "#e4dfcc"
BORDER = "#b8b1a2"
INK = "#2b2b2b"
FAINT = "#9a9a9a"
SAR_EDGE = "#6d8fa6"
MODE_STYLES: dict[str, LineStyleType] = {"land": "-", "sea": (0, (5, 2.5)), "air": (0, (1, 1.6))}
SAR_COLOURS = ("#9fd0ea", "#bfe3b4", "#f3d99b", "#d9c2ea", "#f2c0b8", "#abdcd3", "#e6e2a3")


class _PatrolStyle(TypedDict):
    edgecolor: str
    hatch: str


PATROL_STYLES: dict[str, _PatrolStyle] = {
    "eu": {"edgecolor": "#1d3f8a", "hatch": "///"},
    "partner": {"edgecolor": "#9c4a12", "hatch": "\\\\\\"},
}


@dataclass(frozen=True)
class _Role:
    """How places with a given role are drawn; the first matching role wins."""

    role: str
    label: str
    marker: str
    colour: str
    size: float
    rank: int  # label priority: lower is labelled first


ROLE_STYLES: tuple[_Role, ...] = (
    _Role("origin_hub", "origin hub", "s", "#5b3a1a", 30, 0),
    _Role("air_entry", "air entry", "^", "#222222", 36, 0),
    _Role("transit_hub", "transit hub", "D", "#6b6b6b", 22, 1),
    _Role("border_crossing", "border crossing", "X", "#b0302a", 32, 2),
    _Role("arrival_point", "arrival point (EU, by land)", "P", "#1f5fbf", 34, 2),
    _Role("departure_point", "departure point", "v", "#e06a10", 28, 3),
    _Role("landing_point", "landing point (EU, by sea)", "o", "#1f5fbf", 22, 3),
)
_PORT_RANK = 3  # places that are only disembarkation ports: a bare ring


def render_map(geography: Geography, out: Path, route: str | None = None) -> Path:
    """Draw the geography on a map and write it as a PNG.

    Args:
        geography: The loaded geography.
        out: PNG file to write; missing parent folders are created.
        route: A reporting route to highlight: the map zooms to it, greys out the
            others and keeps only the zoom panels the route reaches.

    Returns:
        The path written.
    """
    if route is not None and route not in ROUTES:
        raise ValueError(f"unknown route {route!r} (expected one of: {', '.join(ROUTES)})")
    figure = Figure(figsize=FIGSIZE, dpi=DPI, facecolor="white")
    renderer = FigureCanvasAgg(figure).get_renderer()
    insets = _insets_for(geography, route)
    main = figure.add_axes((0.01, 0.12, 0.595, 0.775) if insets else (0.01, 0.12, 0.98, 0.775))
    extent = _extent(geography, route)
    _draw_layers(main, geography, route, extent, detail=False, anchor="NW" if insets else "N")
    _name_places_beyond(main, geography, route, extent)
    for inset in insets:
        _frame_inset_on(main, inset)
    _label_places(main, geography, route, renderer, skip=insets, fontsize=6.5)
    panel_left = main.get_position().x1 + 0.012
    for inset, rect in zip(insets, _inset_rects(insets, panel_left), strict=True):
        axes = figure.add_axes(rect)
        _draw_layers(axes, geography, route, inset.extent, detail=True, anchor="NW")
        _title_inset(axes, inset)
        _label_places(axes, geography, route, renderer, skip=(), fontsize=7.0)
    _add_legend(figure, main, geography)
    _add_titles(figure, route)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=DPI, facecolor="white")
    return out


# --- layout ---------------------------------------------------------------------------


def _route_places(geography: Geography, route: str | None) -> gpd.GeoDataFrame:
    places = geography.places
    if route is None:
        return places
    return places[places["routes"].map(lambda routes: route in routes)]


def _insets_for(geography: Geography, route: str | None) -> tuple[Inset, ...]:
    # A panel is worth showing when the route has at least two places in it.
    xy = shapely.get_coordinates(_route_places(geography, route).geometry.to_numpy())
    return tuple(inset for inset in INSETS if sum(inset.contains(x, y) for x, y in xy) >= 2)


def _extent(geography: Geography, route: str | None) -> tuple[float, float, float, float]:
    xmin, xmax, ymin, ymax = REGION
    xy = shapely.get_coordinates(_route_places(geography, route).geometry.to_numpy())
    xy = xy[(xy[:, 0] >= xmin) & (xy[:, 0] <= xmax) & (xy[:, 1] >= ymin) & (xy[:, 1] <= ymax)]
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    pad = 0.5 + 0.04 * max(x1 - x0, y1 - y0)
    return x0 - pad, x1 + pad, y0 - pad, y1 + pad


def _inset_rects(insets: tuple[Inset, ...], left: float) -> list[tuple[float, float, float, float]]:
    """Lay the panels out in rows right of the main map, as large as the space allows."""
    right, top, bottom, hgap, vgap = 0.995, 0.875, 0.02, 0.012, 0.045
    if not insets:
        return []
    rows = [[i for i in insets if i.row == row] for row in sorted({i.row for i in insets})]
    width_in = (right - left) * FIGSIZE[0]
    # Height (inches) of each row when it fills the column's width.
    row_heights = []
    for row in rows:
        each = (width_in - hgap * FIGSIZE[0] * (len(row) - 1)) / len(row)
        row_heights.append(max(each * _shape(inset) for inset in row))
    available = (top - bottom) * FIGSIZE[1] - vgap * FIGSIZE[1] * len(rows)
    scale = min(1.0, available / sum(row_heights))
    rects, y = [], top
    for row, height_in in zip(rows, row_heights, strict=True):
        h = height_in * scale / FIGSIZE[1]
        w = ((right - left) * scale - hgap * (len(row) - 1)) / len(row)
        for k in range(len(row)):
            rects.append((left + k * (w + hgap), y - h, w, h))
        y -= h + vgap
    return rects


def _shape(inset: Inset) -> float:
    return _aspect(inset.lat) * np.ptp(inset.lat) / np.ptp(inset.lon)


def _aspect(lat: Iterable[float]) -> float:
    # Plate carrée stretched so that a degree of latitude and one of longitude at the
    # middle of the view keep their true ratio.
    return 1.0 / math.cos(math.radians(float(np.mean(list(lat)))))


# --- layers ---------------------------------------------------------------------------


def _draw_layers(
    axes: Axes,
    geography: Geography,
    route: str | None,
    extent: tuple[float, float, float, float],
    detail: bool,
    anchor: str,
) -> None:
    xmin, xmax, ymin, ymax = extent
    axes.set_xlim(xmin, xmax)
    axes.set_ylim(ymin, ymax)
    axes.set_aspect(_aspect((ymin, ymax)), adjustable="box", anchor=anchor)
    axes.set_facecolor(SEA)
    axes.set_xticks([])
    axes.set_yticks([])
    view = shapely.box(xmin, ymin, xmax, ymax)
    _draw_countries(axes, geography, view)
    _draw_sar_regions(axes, geography, view, fontsize=7.5 if detail else 6.5)
    _draw_patrol_areas(axes, geography, view, route)
    _draw_legs(axes, geography, route, linewidth=1.5 if detail else 1.0)
    _draw_places(axes, geography, route, scale=1.4 if detail else 0.8)
    axes.apply_aspect()


def _polygon_patches(geometries: Iterable, **style) -> PatchCollection:
    patches = [PathPatch(_polygon_path(geometry)) for geometry in geometries]
    return PatchCollection(patches, match_original=False, **style)


def _polygon_path(geometry) -> MplPath:
    rings = [
        ring
        for polygon in shapely.get_parts(geometry)
        for ring in (polygon.exterior, *polygon.interiors)
    ]
    vertices = [np.asarray(ring.coords)[:, :2] for ring in rings]
    codes = [
        [MplPath.MOVETO] + [MplPath.LINETO] * (len(v) - 2) + [MplPath.CLOSEPOLY] for v in vertices
    ]
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _visible(frame: gpd.GeoDataFrame, view) -> gpd.GeoDataFrame:
    return frame[frame.intersects(view)]


def _draw_countries(axes: Axes, geography: Geography, view) -> None:
    countries = _visible(geography.countries, view)
    colours = [LAND_EU if iso3 in EU_MEMBERS else LAND for iso3 in countries.index]
    axes.add_collection(
        _polygon_patches(
            countries.geometry, facecolors=colours, edgecolors=BORDER, linewidths=0.35, zorder=1
        )
    )


def _draw_sar_regions(axes: Axes, geography: Geography, view, fontsize: float) -> None:
    colours = dict(zip(geography.sar_regions.index, _cycle(SAR_COLOURS), strict=False))
    regions = _visible(geography.sar_regions, view)
    axes.add_collection(
        _polygon_patches(
            regions.geometry,
            facecolors=[colours[i] for i in regions.index],
            edgecolors=SAR_EDGE,
            linewidths=0.6,
            linestyles=(0, (4, 2)),
            alpha=0.45,
            zorder=2,
        )
    )
    inner = view.buffer(-0.03 * max(np.ptp(view.bounds[::2]), np.ptp(view.bounds[1::2])))
    for name, geometry in zip(regions["name"], regions.geometry, strict=True):
        shown = geometry.intersection(inner)
        if shown.is_empty:
            continue
        x, y = shapely.maximum_inscribed_circle(shown).coords[0]
        axes.text(
            x, y, _short_sar_name(name), fontsize=fontsize, style="italic", color="#35607d",
            ha="center", va="center", zorder=3,
            path_effects=[withStroke(linewidth=2, foreground=SEA)],
        )  # fmt: skip


def _cycle(colours: tuple[str, ...]) -> Iterable[str]:
    while True:
        yield from colours


def _short_sar_name(name: str) -> str:
    # "Turkish SRR (Aegean and Mediterranean coast)" -> "Turkish SRR": the map has no room.
    return re.sub(r"\s*\(.*\)\s*$", "", name)


def _draw_patrol_areas(axes: Axes, geography: Geography, view, route: str | None) -> None:
    areas = _visible(geography.patrol_areas, view)
    dim = (areas["route"] != route).to_numpy() if route else np.zeros(len(areas), dtype=bool)
    for force, style in PATROL_STYLES.items():
        for faint in (True, False):
            group = areas[(areas["force"] == force).to_numpy() & (dim == faint)]
            collection = _polygon_patches(
                group.geometry,
                facecolors="none",
                linewidths=0.7,
                alpha=0.25 if faint else 0.8,
                zorder=4,
                **style,
            )
            collection.set_hatch_linewidth(0.45)
            axes.add_collection(collection)


def _draw_legs(axes: Axes, geography: Geography, route: str | None, linewidth: float) -> None:
    for (leg_route, mode), group in geography.legs.groupby(["route", "mode"]):
        dim = route is not None and leg_route != route
        axes.add_collection(
            LineCollection(
                [np.asarray(line.coords) for line in group.geometry],
                colors=FAINT if dim else ROUTE_COLOURS[leg_route],
                linestyles=MODE_STYLES[mode],
                linewidths=linewidth * (0.7 if dim else 1.0),
                alpha=0.35 if dim else 0.9,
                capstyle="round",
                zorder=5,
            )
        )


def _primary_role(roles: tuple[str, ...]) -> _Role | None:
    return next((style for style in ROLE_STYLES if style.role in roles), None)


def _label_rank(roles: tuple[str, ...]) -> int:
    style = _primary_role(roles)
    return _PORT_RANK if style is None else style.rank


def _draw_places(axes: Axes, geography: Geography, route: str | None, scale: float) -> None:
    places = geography.places
    styles = places["roles"].map(_primary_role)
    dim = np.array([route is not None and route not in r for r in places["routes"]])
    xy = shapely.get_coordinates(places.geometry.to_numpy())
    for style in ROLE_STYLES:
        chosen = (styles == style).to_numpy()
        for faint in (True, False):
            mask = chosen & (dim == faint)
            if mask.any():
                axes.scatter(
                    xy[mask, 0], xy[mask, 1], s=style.size * scale, marker=style.marker,
                    c=FAINT if faint else style.colour, edgecolors="white", linewidths=0.5,
                    alpha=0.5 if faint else 1.0, zorder=7,
                )  # fmt: skip
    ports = np.array(["disembarkation_port" in roles for roles in places["roles"]]) & ~dim
    axes.scatter(
        xy[ports, 0], xy[ports, 1], s=60 * scale, marker="o", facecolors="none",
        edgecolors=INK, linewidths=0.7, zorder=6,
    )  # fmt: skip


def _name_places_beyond(
    axes: Axes, geography: Geography, route: str | None, extent: tuple[float, ...]
) -> None:
    """Name, at the map's edge, the far places (Dhaka) whose legs run off the map."""
    xmin, xmax, ymin, ymax = extent
    view = shapely.box(xmin, ymin, xmax, ymax)
    places = geography.places
    inside = places.geometry.within(view)
    legs = geography.legs if route is None else geography.legs[geography.legs["route"] == route]
    for _, leg in legs.iterrows():
        if inside[leg["from"]] == inside[leg["to"]]:
            continue
        far = leg["to"] if inside[leg["from"]] else leg["from"]
        exit_point = leg.geometry.intersection(view.boundary)
        if exit_point.is_empty:
            continue
        x, y = shapely.get_coordinates(exit_point)[0]
        # Push the text inwards from whichever edge the leg leaves by.
        dx = -3 if x > xmax - 1e-6 else 3
        dy = -3 if y > ymax - 1e-6 else 3
        axes.annotate(
            f"{places.at[far, 'name']} \u2192", (x, y), xytext=(dx, dy),
            textcoords="offset points", ha="right" if dx < 0 else "left",
            va="top" if dy < 0 else "bottom", fontsize=7, style="italic", color=INK,
            zorder=9, path_effects=[withStroke(linewidth=2, foreground="white")],
        )  # fmt: skip


def _frame_inset_on(axes: Axes, inset: Inset) -> None:
    (x0, x1), (y0, y1) = inset.lon, inset.lat
    axes.add_patch(
        Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=INK, linewidth=0.9, zorder=8)
    )
    axes.text(
        x0, y1, inset.letter, fontsize=9, fontweight="bold", va="bottom", ha="left",
        color=INK, zorder=8, path_effects=[withStroke(linewidth=2.5, foreground="white")],
    )  # fmt: skip


def _title_inset(axes: Axes, inset: Inset) -> None:
    axes.set_title(f"{inset.letter}  {inset.title}", fontsize=10, fontweight="bold", loc="left")
    for spine in axes.spines.values():
        spine.set_edgecolor(INK)


# --- place labels ---------------------------------------------------------------------

_OFFSETS = ((4, 2, "left", "bottom"), (-4, 2, "right", "bottom"),
            (4, -2, "left", "top"), (-4, -2, "right", "top"),
            (0, 5, "center", "bottom"), (0, -5, "center", "top"))  # fmt: skip


def _label_places(
    axes: Axes,
    geography: Geography,
    route: str | None,
    renderer: RendererBase,
    skip: tuple[Inset, ...],
    fontsize: float,
) -> None:
    """Label places greedily by importance, dropping labels that would collide.

    Places inside a zoom panel's box are labelled in the panel, so the main map names
    only the hubs among them.
    """
    places = geography.places
    xy = shapely.get_coordinates(places.geometry.to_numpy())
    pixels = axes.transData.transform(xy)
    frame = axes.get_window_extent(renderer)
    markers = [Bbox.from_bounds(x - 3, y - 3, 6, 6) for x, y in pixels]
    taken = [text.get_window_extent(renderer) for text in axes.texts]  # SAR labels
    ranks = [_label_rank(roles) for roles in places["roles"]]
    for i in sorted(range(len(places)), key=ranks.__getitem__):
        (lon, lat), rank = xy[i], ranks[i]
        if route is not None and route not in places["routes"].iat[i]:
            continue
        if rank > 0 and any(inset.contains(lon, lat) for inset in skip):
            continue
        if not frame.contains(*pixels[i]):
            continue
        obstacles = taken + markers[:i] + markers[i + 1 :]
        name = places["name"].iat[i]
        box = _place_label(axes, (lon, lat), name, renderer, frame, obstacles, fontsize)
        if box is not None:
            taken.append(box)


def _place_label(
    axes: Axes,
    point: tuple[float, float],
    text: str,
    renderer: RendererBase,
    frame: Bbox,
    obstacles: list[Bbox],
    fontsize: float,
) -> Bbox | None:
    for dx, dy, ha, va in _OFFSETS:
        label = axes.annotate(
            text, point, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
            fontsize=fontsize, color=INK, zorder=9,
            path_effects=[withStroke(linewidth=2.2, foreground="white")],
        )  # fmt: skip
        box = label.get_window_extent(renderer).expanded(1.04, 1.08)
        inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
        if inside and not any(box.overlaps(other) for other in obstacles):
            return box
        label.remove()
    return None


# --- legend and titles ----------------------------------------------------------------


def _add_legend(figure: Figure, main: Axes, geography: Geography) -> None:
    routes = [Line2D([], [], color=ROUTE_COLOURS[r], lw=2.2, label=ROUTE_LABELS[r]) for r in ROUTES]
    modes = [
        Line2D([], [], color=INK, lw=1.4, linestyle=MODE_STYLES[m], label=f"{m} leg")
        for m in ("land", "sea", "air")
    ]
    used = {_primary_role(roles) for roles in geography.places["roles"]}
    roles = [
        Line2D([], [], marker=s.marker, linestyle="", markersize=6.5, color=s.colour,
               markeredgecolor="white", label=s.label)
        for s in ROLE_STYLES if s in used
    ]  # fmt: skip
    roles.append(
        Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor="none",
               markeredgecolor=INK, label="ring: disembarkation port")
    )  # fmt: skip
    areas = [
        Patch(facecolor=LAND_EU, edgecolor=BORDER, label="EU member state"),
        Patch(facecolor=LAND, edgecolor=BORDER, label="other country"),
        Patch(facecolor=SAR_COLOURS[0], alpha=0.6, edgecolor=SAR_EDGE, linestyle="--",
              label="SAR region (search and rescue)"),
        Patch(facecolor="none", label="EU patrol area / border section", **PATROL_STYLES["eu"]),
        Patch(facecolor="none", label="partner-country patrol area", **PATROL_STYLES["partner"]),
    ]  # fmt: skip
    box = main.get_position()
    figure.legend(
        handles=routes + modes + roles + areas,
        loc="upper left",
        bbox_to_anchor=(box.x0, box.y0 - 0.008),
        ncol=5,
        fontsize=7.5,
        frameon=False,
        columnspacing=1.4,
        handlelength=2.4,
    )


def _add_titles(figure: Figure, route: str | None) -> None:
    subject = "routes to Europe" if route is None else f"the {ROUTE_LABELS[route]} route"
    figure.text(
        0.01, 0.965, f"routesim: {subject} \u2014 places, legs, SAR regions and patrol areas",
        fontsize=15, fontweight="bold", color=INK, ha="left", va="center",
    )  # fmt: skip
    figure.text(
        0.01, 0.933,
        "Legs coloured by Frontex reporting route. Land and borders: Natural Earth 1:10m. "
        "SAR regions and patrol areas are simplified.",
        fontsize=9, color="#555555", ha="left", va="center",
    )  # fmt: skip
