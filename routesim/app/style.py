"""Colours the app's map and charts share, so a route looks the same everywhere."""

from __future__ import annotations

from typing import Final

ROUTE_COLOURS: Final[dict[str, str]] = {
    "central_med": "#d1495b",
    "eastern_med": "#3a7dc9",
    "western_balkans": "#8e6bbf",
    "western_med": "#e39b2d",
    "western_african": "#2a9d8f",
}
SEA: Final[str] = "#dbe9f4"
LAND: Final[str] = "#f4f1ea"
LAND_EU: Final[str] = "#e9efe1"
BORDER: Final[str] = "#b9b3a7"
RESCUE_STATE: Final[str] = "#1f4e8c"
RESCUE_NGO: Final[str] = "#1b9e4b"
GUARD_EU: Final[str] = "#203a5c"
GUARD_PARTNER: Final[str] = "#8a5a2b"
WAITING: Final[str] = "#f08c2e"
DISTRESS: Final[str] = "#c1121f"
OBSERVED: Final[str] = "#333333"
