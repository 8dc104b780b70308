"""Policy levers and contested behavioural assumptions.

Each lever is a validated field with a unit, a default for the 2023 baseline, a
valid range and the passage of COM(2024) 126 ("Striking a balance on migration")
it comes from. The same definitions drive scenario validation, `routesim levers`,
the lever tests and the app's controls, so a lever is declared once: here, or (the
per-country levers of partner countries) in `routesim.partners`.

`targets` and `direction` say which outcome a lever is meant to move, and which
way when the lever is raised: the lever tests hold the model to that claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from routesim.configs import ConfigModel
from routesim.lever_fields import lever
from routesim.partners import (
    DeparturePrevention,
    LandPolicing,
    PartnerCoastGuard,
    SmugglingPartnership,
)


def _sar_vessels(area: str, default: float) -> Any:
    return lever(
        default,
        0.0,
        30.0,
        label=f"State SAR vessels, {area.replace('_', ' ')}",
        unit="vessels on station",
        theme="sar",
        passage="COM(2024) 126, III.2 (search and rescue)",
        description=(
            f"State search-and-rescue vessels on station in the {area.replace('_', ' ')} "
            "(coast guard and Frontex assets answering distress calls)."
        ),
        targets=f"death_rate.{area}",
        direction=-1,
    )


class StateSarVessels(ConfigModel):
    """State search-and-rescue vessels on station, per sea area."""

    central_med: float = _sar_vessels("central_med", 6)
    eastern_med: float = _sar_vessels("eastern_med", 5)
    western_med: float = _sar_vessels("western_med", 5)
    atlantic: float = _sar_vessels("atlantic", 4)


class Levers(ConfigModel):
    """The policy levers of a scenario, with their 2023 defaults."""

    frontex_standing_corps: float = lever(
        2300,
        0,
        10000,
        label="Frontex Standing Corps deployed",
        unit="officers",
        theme="border",
        passage="COM(2024) 126, II.1 and V (2,650 deployed in early 2024; 10,000 by 2027)",
        description=(
            "Frontex border and coast guards deployed to the routes' operations. More officers "
            "raise the chance that a crossing is detected rather than goes unnoticed."
        ),
        targets="undetected_share",
        direction=-1,
    )
    land_border_guards: float = lever(
        1.0,
        0.0,
        4.0,
        label="National guards on land borders",
        unit="index (2023 = 1)",
        theme="border",
        passage="COM(2024) 126, III.2 (strengthened external border management)",
        description=(
            "National border guards on the land border sections (Hungarian fence, Croatian "
            "border, Evros, Ceuta and Melilla...), relative to 2023. More guards catch more "
            "attempts; people pushed back try again."
        ),
        targets="eu_interceptions.western_balkans",
        direction=+1,
    )
    sea_pushbacks: float = lever(
        1.0,
        0.0,
        4.0,
        label="Pushbacks at sea",
        unit="index (2023 = 1)",
        theme="border",
        passage=(
            "not in COM(2024) 126; POLICY-TIMELINE.md 2020 (reports of pushbacks in the "
            "Aegean; Eastern Med arrivals fall)"
        ),
        description=(
            "How often member-state patrols turn boats they intercept back to the departure "
            "coast instead of landing them, relative to 2023 (a quarter of Greek interceptions "
            "in the Aegean, parameters.pushback_share). People turned back are not registered, "
            "so they are no detection; they try again, switch route or give up."
        ),
        targets="detections.eastern_med",
        direction=-1,
        route="eastern_med",
    )
    partner_coast_guard: PartnerCoastGuard = Field(default_factory=PartnerCoastGuard)
    departure_prevention: DeparturePrevention = Field(default_factory=DeparturePrevention)
    land_policing: LandPolicing = Field(default_factory=LandPolicing)
    sar_state_vessels: StateSarVessels = Field(default_factory=StateSarVessels)
    ngo_vessels: float = lever(
        3,
        0,
        20,
        label="NGO rescue vessels",
        unit="vessels on station",
        theme="sar",
        passage="COM(2024) 126, III.2 (search and rescue; private vessels)",
        description="NGO rescue ships on station in the Central Mediterranean at any time.",
        targets="death_rate.central_med",
        direction=-1,
        route="central_med",
    )
    ngo_port_days: float = lever(
        2.0,
        0.5,
        30.0,
        label="NGO ships' days in port per rescue",
        unit="days",
        theme="sar",
        passage=(
            "not in COM(2024) 126; POLICY-TIMELINE.md 2017-2019 (code of conduct, ports "
            "refused to NGO ships, security decrees)"
        ),
        description=(
            "Days an NGO ship is away from its station after landing survivors: sailing to "
            "an assigned port, waiting for a port, detention. Port closures and distant "
            "ports keep ships off station longer; 2 days in 2023 (estimate)."
        ),
        targets="rescues_ngo.central_med",
        direction=-1,
        route="central_med",
    )
    sar_coordination_delay: float = lever(
        3.0,
        0.0,
        48.0,
        label="SAR coordination delay",
        unit="hours",
        theme="sar",
        passage="COM(2024) 126, III.2 (coordination of search and rescue)",
        description=(
            "Hours between a distress alert and the tasking of a rescue vessel by the "
            "responsible rescue coordination centre."
        ),
        targets="death_rate.all",
        direction=+1,
    )
    anti_smuggling: float = lever(
        1.0,
        0.0,
        5.0,
        label="Anti-smuggling operations",
        unit="index (2023 = 1)",
        theme="smuggling",
        passage=(
            "COM(2024) 126, III.3 (anti-smuggling package, Europol's European Centre Against "
            "Migrant Smuggling, Global Alliance to Counter Migrant Smuggling)"
        ),
        description=(
            "Intensity of arrests of smugglers at sea departure hubs by the EU's own means "
            "(Europol, member-state police), relative to 2023, everywhere; the partnerships "
            "of levers.smuggling_partnership multiply it where they operate. Arrested "
            "networks stop launching until replaced."
        ),
        targets="smugglers_arrested",
        direction=+1,
    )
    smuggling_partnership: SmugglingPartnership = Field(default_factory=SmugglingPartnership)
    boat_seizure: float = lever(
        0.1,
        0.0,
        0.9,
        label="Boat seizure",
        unit="share of boats seized before launch",
        theme="smuggling",
        passage="COM(2024) 126, III.3 (targeting smuggling networks and their assets)",
        description=(
            "Share of boats that partner and EU operations seize or destroy before they launch, "
            "for a boat of typical visibility: boats kept moored in harbours are found more "
            "often, boats built or inflated just before launch less. Smugglers answer with "
            "cheaper, flimsier boats."
        ),
        targets="boat_risk",
        direction=+1,
    )
    information_campaign: float = lever(
        0.1,
        0.0,
        1.0,
        label="Information campaigns",
        unit="share of would-be migrants reached",
        theme="information",
        passage="COM(2024) 126, III.3 (information and awareness-raising on the risks)",
        description=(
            "Share of would-be migrants reached by campaigns on the risks of irregular routes. "
            "Moves their perceived risk towards the true risk: fewer departures when people "
            "underestimate the risk, more when they overestimate it."
        ),
        targets="set_out",
        direction=-1,
    )
    resettlement_places: float = lever(
        30000,
        0,
        300000,
        label="Resettlement and humanitarian admission",
        unit="places per year",
        theme="pathways",
        passage="COM(2024) 126, IV.2 (60,000 pledges for 2024-25)",
        description=(
            "Places per year for people from the model's origins to reach the EU legally; those "
            "who take one do not travel irregularly."
        ),
        targets="legal_pathway",
        direction=+1,
    )
    return_effectiveness: float = lever(
        0.19,
        0.0,
        1.0,
        label="Return effectiveness",
        unit="share of return decisions carried out",
        theme="returns",
        passage="COM(2024) 126, III.4 (fewer than one in five return decisions carried out)",
        description=(
            "Share of return decisions that are carried out. Returned people go back to their "
            "origin and tell others."
        ),
        targets="returns",
        direction=+1,
    )
    island_returns: float = lever(
        0.0,
        0.0,
        1.0,
        label="Returns from the Greek islands to Türkiye (EU-Turkey Statement)",
        unit="share of people landed on the Greek islands returned to Türkiye",
        theme="returns",
        passage=(
            "COM(2024) 126 (EU Action Plan for the Eastern Mediterranean: 'Full and effective "
            "implementation of the EU-Turkey Statement and the EU-Turkey readmission agreement "
            "remains essential'); "
            "POLICY-TIMELINE.md 2016 (EU-Turkey Statement, applied from 20 Mar: new irregular "
            "arrivals on the Greek islands to be returned to Türkiye)"
        ),
        description=(
            "Share of the people who land on the Greek islands from Türkiye (registered) who "
            "are sent back to Türkiye, after parameters.return_delay_days on average on the "
            "islands, and counted as returns. Back at their Turkish departure hub they try "
            "again, switch route or give up. 0 in 2023: Türkiye has taken no one back under "
            "the Statement since March 2020; 0.002 to 0.028 a year in 2016-2019 (1,995 returned)."
        ),
        targets="returns.eastern_med",
        direction=+1,
        route="eastern_med",
    )
    visa_alignment: float = lever(
        0.5,
        0.0,
        1.0,
        label="Visa policy alignment (Western Balkans)",
        unit="share of visa-free entry closed",
        theme="pathways",
        passage="COM(2024) 126, III.3 (visa policy alignment in the Western Balkans)",
        description=(
            "How far Western Balkan partners have aligned their visas with the EU's: the share "
            "of fly-in entries to the region closed off."
        ),
        targets="set_out.western_balkans",
        direction=-1,
        route="western_balkans",
    )
    lampedusa_surge: float = lever(
        8500,
        0,
        30000,
        label="Lampedusa surge (September 2023)",
        unit="extra departures from Sfax over three days",
        theme="events",
        passage="COM(2024) 126, III.5 (almost 10,000 arrivals in Lampedusa within 72 hours)",
        description=(
            "People launched from Sfax and Zuwara in a three-day window from 11 September "
            "2023, on top of ordinary departures, as in the surge of that month. Happens "
            "once, in runs that cover that day (routesim.events)."
        ),
        targets="departures.central_med",
        direction=+1,
        route="central_med",
    )
    instrumentalisation: float = lever(
        0,
        0,
        50000,
        label="Instrumentalisation at the Evros border (February 2020)",
        unit="people pushed towards the border",
        theme="events",
        passage=(
            "COM(2024) 126, III.5 and II.1 (instrumentalisation of migrants); "
            "POLICY-TIMELINE.md 2020 (28 Feb: about 13,000 people gather at the Evros border)"
        ),
        description=(
            "People a neighbouring state moves to the Greek–Turkish land border on 28 February "
            "2020, all at once (0 in 2023; about 13,000 gathered then). Happens once, in runs "
            "that cover that day (routesim.events)."
        ),
        targets="attempts.eastern_med",
        direction=+1,
        route="eastern_med",
    )
    ceuta_entry: float = lever(
        0,
        0,
        30000,
        label="Mass entry into Ceuta (May 2021)",
        unit="people gathered at the Ceuta border",
        theme="events",
        passage=(
            "not in COM(2024) 126; POLICY-TIMELINE.md 2021 (Ceuta, 17-18 May: about 10,000 "
            "people enter in two days while Moroccan guards stand back)"
        ),
        description=(
            "People who gather at Fnideq on 17 May 2021 to cross the land border into Ceuta, "
            "all at once (0 in 2023; about 10,000 in May 2021). Happens once, in runs that "
            "cover that day (routesim.events)."
        ),
        targets="attempts.western_med",
        direction=+1,
        route="western_med",
    )
    covid_closures: float = lever(
        0,
        0,
        1,
        label="COVID-19 border and flight closures",
        unit="share of would-be migrants who put off leaving",
        theme="events",
        passage=(
            "not in COM(2024) 126; POLICY-TIMELINE.md 2020 (COVID-19: borders and flights "
            "close from mid-March; departures fall in spring)"
        ),
        description=(
            "Share of the people who would set out today who wait at home instead while "
            "borders and flights are closed (0 in 2023). They leave later, once the closures "
            "ease (parameters.postponed_departure_days)."
        ),
        targets="set_out",
        direction=-1,
    )


def _assumption(default: float, low: float, high: float, **meta: Any) -> Any:
    return lever(default, low, high, theme="assumption", **meta)


class Assumptions(ConfigModel):
    """Contested behavioural assumptions, set apart so results can be shown under each view."""

    rescue_pull: float = _assumption(
        0.0,
        0.0,
        1.0,
        label="Rescue 'pull factor'",
        unit="elasticity of departures to rescue capacity",
        passage="Contested: Cusumano & Villa 2019 (no link) vs the pull-factor claim",
        description=(
            "How strongly departures answer to rescue capacity on a route. 0: no pull (Cusumano "
            "& Villa 2019; Rodríguez Sánchez et al. 2023); 1: departures rise in proportion "
            "to rescue capacity."
        ),
        targets="departures.central_med",
        direction=+1,
    )
    rescue_boat_downgrade: float = _assumption(
        0.0,
        0.0,
        1.0,
        label="Smugglers answer rescue with flimsier boats",
        unit="strength (0 = none)",
        passage="Contested: Deiana, Maheshri & Mastrobuoni 2024 ('Migrants at Sea')",
        description=(
            "How far smugglers switch to cheaper, riskier boats and heavier loads when rescue "
            "ships are near (Deiana et al. 2024 find they do)."
        ),
        targets="boat_risk",
        direction=+1,
    )
    risk_perception_accuracy: float = _assumption(
        0.3,
        0.0,
        1.0,
        label="Accuracy of risk perception",
        unit="weight on true risk (0-1)",
        passage="Contested: Tjaden & Dunsch 2021; Bah & Batista (overestimation)",
        description=(
            "How much of the true risk of a route people take in before they set out; the rest "
            "is their prior belief (see risk_prior)."
        ),
        targets="set_out",
        direction=-1,
    )
    risk_prior: float = _assumption(
        0.5,
        0.1,
        5.0,
        label="Prior belief about the risk",
        unit="perceived / true death risk",
        passage=(
            "Contested: underestimation (Tjaden & Dunsch 2021) vs overestimation (Bah & Batista)"
        ),
        description=(
            "What people believe about the risk of dying before they learn more, as a multiple "
            "of the true risk: below 1 they underestimate it, above 1 they overestimate it."
        ),
        targets="set_out",
        direction=-1,
    )
    route_switching: float = _assumption(
        0.3,
        0.0,
        1.0,
        label="Propensity to switch route",
        unit="probability after a failed attempt",
        passage="Contested: displacement evidence (Camarena et al. 2020; Pham & Komiyama 2024)",
        description=(
            "Chance that someone stopped on one route reconsiders all routes reachable from "
            "where they are, rather than retrying the same one."
        ),
        targets="switched_crossing",
        direction=+1,
    )


@dataclass(frozen=True)
class LeverSpec:
    """A lever or assumption as users see it: dotted name, unit, default and range."""

    name: str
    label: str
    theme: str
    kind: str
    unit: str
    default: float
    low: float
    high: float
    passage: str
    description: str
    targets: str
    direction: int
    route: str | None


def lever_specs() -> list[LeverSpec]:
    """Every lever and assumption, with dotted names as used in scenarios and `--set`."""
    return [*_walk(Levers, "levers"), *_walk(Assumptions, "assumptions")]


def _walk(model: type[BaseModel], prefix: str) -> list[LeverSpec]:
    specs: list[LeverSpec] = []
    for name, field in model.model_fields.items():
        dotted = f"{prefix}.{name}"
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            specs.extend(_walk(field.annotation, dotted))
            continue
        # `lever()` declared the field, with a dict of metadata (not pydantic's callable form).
        extra = field.json_schema_extra
        meta: dict[str, Any] = extra if isinstance(extra, dict) else {}
        bounds = {type(m).__name__: m for m in field.metadata}
        specs.append(
            LeverSpec(
                name=dotted,
                label=meta["label"],
                theme=meta["theme"],
                kind=meta["kind"],
                unit=meta["unit"],
                default=field.default,
                low=bounds["Ge"].ge,
                high=bounds["Le"].le,
                passage=meta["passage"],
                description=field.description or "",
                targets=meta["targets"],
                direction=meta["direction"],
                route=meta["route"],
            )
        )
    return specs
