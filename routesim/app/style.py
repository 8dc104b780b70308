"""Colours the app's map and charts share (route colours: `routesim.routes.ROUTE_COLOURS`)."""

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
