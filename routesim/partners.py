"""Partner countries: who they are, what users call them, and their per-country levers.

Levers name a country in lower case (``levers.partner_coast_guard.libya``); parameters
and the geodata's forces name it by ISO3 code (``parameters.partner_interception.LBY``).
The tables here map one to the other, so that both vocabularies are declared once.
"""

from __future__ import annotations

from typing import Any

from routesim.configs import ConfigModel
from routesim.lever_fields import lever

PARTNER_COUNTRIES: tuple[str, ...] = (
    "libya",
    "tunisia",
    "egypt",
    "turkiye",
    "algeria",
    "morocco",
    "mauritania",
    "senegal",
)

#: Partner country → ISO3 of its forces in the geodata's patrol areas.
PARTNER_ISO3: dict[str, str] = {
    "libya": "LBY",
    "tunisia": "TUN",
    "egypt": "EGY",
    "turkiye": "TUR",
    "algeria": "DZA",
    "morocco": "MAR",
    "mauritania": "MRT",
    "senegal": "SEN",
}

#: Partner country → its name as shown to users (``str.title`` would drop the ü).
PARTNER_NAMES: dict[str, str] = {
    "libya": "Libya",
    "tunisia": "Tunisia",
    "egypt": "Egypt",
    "turkiye": "Türkiye",
    "algeria": "Algeria",
    "morocco": "Morocco",
    "mauritania": "Mauritania",
    "senegal": "Senegal",
}

#: Partner countries whose police near a land border of the EU are a lever, → ISO3. North
#: Macedonia is not among them: no crossing into the EU starts there in the geodata (people
#: cross it on their way to Serbia, as part of a journey's travel time).
LAND_PARTNER_ISO3: dict[str, str] = {
    "serbia": "SRB",
    "bosnia_herzegovina": "BIH",
    "turkiye": "TUR",
    "morocco": "MAR",
}

#: Land partner → its name as shown to users.
LAND_PARTNER_NAMES: dict[str, str] = {
    "serbia": "Serbia",
    "bosnia_herzegovina": "Bosnia and Herzegovina",
    "turkiye": "Türkiye",
    "morocco": "Morocco",
}

#: The route each land partner's border crossings are on.
_LAND_PARTNER_ROUTE = {
    "serbia": "western_balkans",
    "bosnia_herzegovina": "western_balkans",
    "turkiye": "eastern_med",
    "morocco": "western_med",
}
#: What each land partner's policing is held to (`LeverSpec.targets`, `direction`). From
#: Türkiye and Morocco most people taken from the land border leave by sea instead, so
#: their routes' attempts hardly move (2023-06 to 07, 0 against 10: t = 0.5 and -0.2 on
#: six seeds): only the people taken away are asserted there.
_LAND_PARTNER_TARGET = {
    "serbia": ("attempts.western_balkans", -1),
    "bosnia_herzegovina": ("attempts.western_balkans", -1),
    "turkiye": ("relocated.eastern_med", +1),
    "morocco": ("relocated.western_med", +1),
}


#: Anti-Smuggling Operational Partnership → the countries whose smuggling networks it
#: targets (ISO3 of the crossings' departure country). COM(2024) 126, III.3: Morocco (July
#: 2022), Tunisia (April 2023) and a regional one with the Western Balkans (November 2022),
#: of which only Serbia and Bosnia and Herzegovina have crossings into the EU in the geodata.
SMUGGLING_PARTNERSHIPS: dict[str, tuple[str, ...]] = {
    "morocco": ("MAR",),
    "tunisia": ("TUN",),
    "western_balkans": ("SRB", "BIH"),
}
#: Departure country (ISO3) → its partnership.
PARTNERSHIP_OF: dict[str, str] = {
    iso3: name for name, countries in SMUGGLING_PARTNERSHIPS.items() for iso3 in countries
}
_PARTNERSHIP_NAMES = {
    "morocco": "Morocco",
    "tunisia": "Tunisia",
    "western_balkans": "Western Balkans",
}
#: What each partnership is held to. Networks at sea hubs are arrested (counted); on land
#: no network is an agent, so the Western Balkans' is held to the attempts its guides lead.
_PARTNERSHIP_TARGET = {
    "morocco": ("smugglers_arrested.western_med", +1, "western_med"),
    "tunisia": ("smugglers_arrested.central_med", +1, "central_med"),
    "western_balkans": ("attempts.western_balkans", -1, "western_balkans"),
}


def _smuggling_partnership(name: str) -> Any:
    target, direction, route = _PARTNERSHIP_TARGET[name]
    return lever(
        1.0,
        0.0,
        5.0,
        label=f"Anti-smuggling partnership, {_PARTNERSHIP_NAMES[name]}",
        unit="index (2023 = 1)",
        theme="smuggling",
        passage=(
            "COM(2024) 126, III.3 (Anti-Smuggling Operational Partnerships: Morocco July "
            "2022, Tunisia April 2023, Western Balkans November 2022; 'increased "
            "investigations, arrests and prosecutions')"
        ),
        description=(
            f"Joint police and judicial work against smuggling networks operating from "
            f"{_PARTNERSHIP_NAMES[name]}, relative to 2023. Multiplies levers.anti_smuggling "
            "there: networks at sea hubs are arrested more often and stop launching until "
            "replaced; on land, fewer guides are free to take groups across each night."
        ),
        targets=target,
        direction=direction,
        route=route,
    )


def _partner_coast_guard(country: str) -> Any:
    name = PARTNER_NAMES[country]
    return lever(
        1.0,
        0.0,
        4.0,
        label=f"Coast guard capacity, {name}",
        unit="index (2023 = 1)",
        theme="partners",
        passage="COM(2024) 126, III.2 and IV.1 (partner coast guards, MoU with Tunisia 2023)",
        description=(
            f"Patrol capacity of the {name} coast guard at sea, relative to 2023. "
            "Raises the chance that a boat leaving its coast is intercepted and returned."
        ),
        targets=f"partner_interceptions.{country}",
        direction=+1,
    )


def _departure_prevention(country: str) -> Any:
    name = PARTNER_NAMES[country]
    return lever(
        1.0,
        0.0,
        4.0,
        label=f"Departure prevention, {name}",
        unit="index (2023 = 1)",
        theme="partners",
        passage="COM(2024) 126, III.1 and IV.1 (prevention of irregular departures)",
        description=(
            f"Police and coast-guard effort on land against departures from {name}, "
            "relative to 2023. Raises the share of boats stopped before they launch."
        ),
        targets=f"departures.{country}",
        direction=-1,
    )


def _land_policing(country: str) -> Any:
    name = LAND_PARTNER_NAMES[country]
    route = _LAND_PARTNER_ROUTE[country]
    return lever(
        1.0,
        0.0,
        10.0,
        label=f"Police near the EU border, {name}",
        unit="index (2023 = 1)",
        theme="partners",
        passage=(
            "COM(2024) 126, III.2 (border management support to partners, Frontex operations "
            "in the Western Balkans); POLICY-TIMELINE.md 2023 (Serbia: police operation near "
            "the Hungarian border, camps cleared and people moved south, late Oct)"
        ),
        description=(
            f"Police effort in {name} near its land border with the EU, relative to 2023. "
            "Police clear the camps and squats at the border hubs and take the people found "
            "there far from the border (parameters.relocation_place), from where they travel "
            "back, switch crossings or routes, or give up: fewer people try that border."
        ),
        targets=_LAND_PARTNER_TARGET[country][0],
        direction=_LAND_PARTNER_TARGET[country][1],
        route=route,
    )


class PartnerLevers(ConfigModel):
    """One value per partner country."""

    libya: float
    tunisia: float
    egypt: float
    turkiye: float
    algeria: float
    morocco: float
    mauritania: float
    senegal: float


class PartnerCoastGuard(PartnerLevers):
    """Partner coast-guard capacity at sea, per country."""

    libya: float = _partner_coast_guard("libya")
    tunisia: float = _partner_coast_guard("tunisia")
    egypt: float = _partner_coast_guard("egypt")
    turkiye: float = _partner_coast_guard("turkiye")
    algeria: float = _partner_coast_guard("algeria")
    morocco: float = _partner_coast_guard("morocco")
    mauritania: float = _partner_coast_guard("mauritania")
    senegal: float = _partner_coast_guard("senegal")


class DeparturePrevention(PartnerLevers):
    """Partner-country prevention of departures on land, per country."""

    libya: float = _departure_prevention("libya")
    tunisia: float = _departure_prevention("tunisia")
    egypt: float = _departure_prevention("egypt")
    turkiye: float = _departure_prevention("turkiye")
    algeria: float = _departure_prevention("algeria")
    morocco: float = _departure_prevention("morocco")
    mauritania: float = _departure_prevention("mauritania")
    senegal: float = _departure_prevention("senegal")


class LandPolicing(ConfigModel):
    """Partner police near the land borders of the EU, per country."""

    serbia: float = _land_policing("serbia")
    bosnia_herzegovina: float = _land_policing("bosnia_herzegovina")
    turkiye: float = _land_policing("turkiye")
    morocco: float = _land_policing("morocco")


class SmugglingPartnership(ConfigModel):
    """Anti-Smuggling Operational Partnerships, per partner country or region."""

    morocco: float = _smuggling_partnership("morocco")
    tunisia: float = _smuggling_partnership("tunisia")
    western_balkans: float = _smuggling_partnership("western_balkans")

    def index(self, iso3: str) -> float:
        """The partnership's index over networks departing from `iso3` (1 where none)."""
        name = PARTNERSHIP_OF.get(iso3)
        return 1.0 if name is None else float(getattr(self, name))
