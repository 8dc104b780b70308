"""Colours, marks and the stylesheet the app's map and charts share.

Route colours are `routesim.routes.ROUTE_COLOURS`.
"""

from __future__ import annotations

from typing import Final

SEA: Final[str] = "#dbe9f4"
LAND: Final[str] = "#f4f1ea"
LAND_EU: Final[str] = "#e9efe1"
BORDER: Final[str] = "#b9b3a7"
RESCUE_STATE: Final[str] = "#1f4e8c"
RESCUE_NGO: Final[str] = "#1b9e4b"
GUARD_EU: Final[str] = "#203a5c"
GUARD_PARTNER: Final[str] = "#8a5a2b"
WAITING: Final[str] = "#7a5c3e"
DISTRESS: Final[str] = "#c1121f"
OBSERVED: Final[str] = "#333333"
#: The ring around the boat whose story the app is telling.
FOLLOWED: Final[str] = "#000000"

#: The app's stylesheet. Chart text sizes are set here rather than in the SVG so the
#: projector mode can override them: CSS outranks SVG presentation attributes.
SHEET: Final[str] = (
    ".routesim-map-overlay{pointer-events:none}.routesim-map-overlay *{pointer-events:auto}"
    # The base map on a layer of its own: redrawing the overlay each frame then does not
    # repaint the thousands of coastline paths under it.
    ".routesim-map-base{will-change:transform}"
    ".routesim-lever .v-input__slot{flex-wrap:wrap;margin-bottom:0}"
    ".routesim-lever .v-input__slot .v-label{width:100%;font-size:13px;white-space:normal}"
    ".v-expansion-panel-content__wrap{padding:0 12px 8px}"
    ".routesim-grid{display:grid;grid-template-columns:1fr 1fr;gap:4px 18px}"
    # Four speeds side by side in the narrow controls column at 1024x768: Vuetify's
    # upper case, letter spacing and 64px buttons pushed "30 d/s" out of sight.
    ".routesim-speed{display:flex;width:100%}"
    ".routesim-speed .v-btn.v-btn.v-btn{flex:1 1 0;min-width:0;padding:0 4px;"
    "text-transform:none;letter-spacing:0}"
    # The status line keeps to one line, so the map under it does not move as it grows.
    ".routesim-status{font-size:14px;font-weight:500;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}"
    ".routesim-legend{font-size:12px;color:#333;margin:4px 0 0 6px}"
    ".routesim-key{margin-right:14px;display:inline-block}"
    ".routesim-note{font-size:12px;color:#555;margin-top:2px}"
    ".routesim-event-key,.routesim-one-off-key{margin-left:10px;display:inline-block}"
    ".routesim-event-key.latest{font-weight:600;background:#fff3c4}"
    # The map's height is kept to what leaves the first row of charts above the fold at
    # 1024x768 and 1280x720 (1.41: width over height of the all-routes map); its key sits
    # beside it rather than under it for the same reason.
    ".routesim-map-row{display:flex;gap:14px;align-items:flex-start;justify-content:center}"
    ".routesim-map{width:calc((100vh - 460px) * 1.41);max-width:72%;flex:0 1 auto}"
    ".routesim-map-legend{flex:0 1 230px;font-size:12px;color:#333}"
    ".routesim-route-key{position:absolute;right:6px;bottom:6px;background:rgba(255,255,255,.88);"
    "padding:3px 7px;border:1px solid #bbb;border-radius:3px;font-size:12px;line-height:1.5}"
)

#: Projector and lesson mode: larger type, black on white, thicker lines.
PROJECTOR: Final[str] = (
    ".routesim-projector{font-size:18px;color:#000}"
    ".routesim-projector .routesim-chart svg text{font-size:15px !important;fill:#000 !important}"
    ".routesim-projector .routesim-chart polyline{stroke-width:3px}"
    # Event numbers share the plot's top rows with their neighbours: kept smaller.
    ".routesim-projector .routesim-chart svg text.event-label{font-size:12px !important}"
    ".routesim-projector .routesim-legend,.routesim-projector .routesim-note,"
    ".routesim-projector .routesim-route-key{font-size:14px;color:#000}"
    ".routesim-projector .routesim-map-legend"
    "{font-size:16px;color:#000}"
    ".routesim-projector .routesim-status{font-size:20px;color:#000}"
    ".routesim-projector .v-label,.routesim-projector .v-btn{font-size:16px}"
)


def distress_mark(x: float, y: float, r: float) -> str:
    """A red ring with a cross, drawn over a boat in distress: unlike any other mark."""
    ring = r + 3
    arm = ring * 0.7
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{ring:.1f}" fill="none" stroke="{DISTRESS}" '
        f'stroke-width="1.8"/><path d="M{x - arm:.1f},{y - arm:.1f}l{2 * arm:.1f},{2 * arm:.1f}'
        f'M{x - arm:.1f},{y + arm:.1f}l{2 * arm:.1f},{-2 * arm:.1f}" stroke="{DISTRESS}" '
        'stroke-width="1.6"/>'
    )


def crowd_mark(x: float, y: float, r: float) -> str:
    """A square for people waiting at a hub, so crowds never look like boats (circles)."""
    return (
        f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
        f'fill="{WAITING}" fill-opacity="0.35" stroke="{WAITING}" stroke-width="0.8"/>'
    )
