"""The reporting routes and the EU Action Plans they belong to.

Frontex reports five routes; the Commission has four Action Plans, the Western
Mediterranean plan covering both the Western Mediterranean and the West African
(Atlantic) route. Everything in routesim is reported per reporting route.
"""

from typing import Final

ROUTES: Final[tuple[str, ...]] = (
    "central_med",
    "eastern_med",
    "western_balkans",
    "western_med",
    "western_african",
)

#: The routes that cross the sea (the Western Balkans route is overland).
SEA_ROUTES: Final[tuple[str, ...]] = (
    "central_med",
    "eastern_med",
    "western_med",
    "western_african",
)

#: The sea areas of the geodata's sea legs (``geodata/SCHEMA.md``); sea-state and
#: hazard tables are keyed by them.
SEA_AREAS: Final[tuple[str, ...]] = (
    "alboran",
    "gibraltar",
    "canaries",
    "sicily_channel",
    "ionian",
    "libyan_sea",
    "aegean",
    "levantine",
)

#: The rescue areas: where state SAR vessels are stationed (``levers.sar_state_vessels``).
SAR_AREAS: Final[tuple[str, ...]] = ("central_med", "eastern_med", "western_med", "atlantic")

#: The rescue area whose vessels answer calls on each reporting route.
AREA_OF_ROUTE: Final[dict[str, str]] = {
    "central_med": "central_med",
    "eastern_med": "eastern_med",
    "western_med": "western_med",
    "western_african": "atlantic",
    "western_balkans": "eastern_med",
}

ROUTE_LABELS: Final[dict[str, str]] = {
    "central_med": "Central Mediterranean",
    "eastern_med": "Eastern Mediterranean",
    "western_balkans": "Western Balkans",
    "western_med": "Western Mediterranean",
    "western_african": "West African (Atlantic)",
}

#: One colour per route wherever a route is drawn (PNG maps and plots, the app's map
#: and charts): the Okabe-Ito palette, told apart with the common colour-vision
#: deficiencies and dark enough on the maps' pale sea.
ROUTE_COLOURS: Final[dict[str, str]] = {
    "central_med": "#0072B2",
    "eastern_med": "#CC79A7",
    "western_balkans": "#009E73",
    "western_med": "#E69F00",
    "western_african": "#D55E00",
}

ACTION_PLANS: Final[dict[str, tuple[str, ...]]] = {
    "central_med": ("central_med",),
    "eastern_med": ("eastern_med",),
    "western_balkans": ("western_balkans",),
    "western_med_atlantic": ("western_med", "western_african"),
}
