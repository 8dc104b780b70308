"""Free model parameters: behaviour and hazard, to be fitted by calibration.

Unlike levers, these are not policy choices: they describe how people, smugglers,
guards and the sea behave. Defaults are first estimates from
../shared/data/FACTS.md (prices, boats, loads, speeds) and guesses where no
figure exists; the calibration issue fits the rest. Keys that name places,
boat types or sea areas are checked against the geodata when a model is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from routesim.configs import ConfigModel, Name
from routesim.routes import ROUTES, SAR_AREAS, SEA_AREAS

#: A price in euros: zero or less is a typo, not a free crossing.
PositivePrice = Annotated[float, Field(gt=0)]
#: A chance, from 0 to 1.
Chance = Annotated[float, Field(ge=0, le=1)]
if TYPE_CHECKING:
    # To the type checker route and sea-area ids are plain text: the model looks the
    # tables up with ids read from the geodata and the scenario, never with literals.
    Route = str
    SeaArea = str
    SarArea = str
else:
    #: A reporting route id as a dictionary key, so that a misspelt route is rejected.
    Route = Literal[
        "central_med", "eastern_med", "western_balkans", "western_med", "western_african"
    ]
    #: A sea area of the geodata as a dictionary key, so that a misspelt area is rejected
    #: rather than silently left at its default. (Subscripting with the tuple spells out
    #: its members, so the areas are listed once, in `routesim.routes`.)
    SeaArea = Literal[SEA_AREAS]
    #: A rescue area (where state SAR vessels are stationed) as a dictionary key.
    SarArea = Literal[SAR_AREAS]

MONTHS = 12
#: A sea area's sea-state multipliers, one per month from January.
MonthlyFactors = Annotated[
    list[Annotated[float, Field(ge=0)]], Field(min_length=MONTHS, max_length=MONTHS)
]
#: Most would-be migrants one origin may have a year: over ten times the largest default
#: (150,000), so that a typo (1e12) fails here instead of as a multi-gigabyte allocation.
MAX_PEOPLE_PER_YEAR = 2_000_000


class Origin(ConfigModel):
    """People who consider leaving from one origin hub or air entry."""

    people_per_year: float = Field(
        ge=0, le=MAX_PEOPLE_PER_YEAR, description="would-be migrants considering a move"
    )
    means_median: float = Field(1500.0, gt=0, description="median money for the journey, EUR")
    resettlement_share: float = Field(
        0.0, ge=0, le=1, description="share of the resettlement places open to this origin"
    )
    visa_free_entry: bool = Field(
        False, description="people fly in visa-free (subject to the visa alignment lever)"
    )


class BoatType(ConfigModel):
    """A kind of boat smugglers can launch."""

    cost: float = Field(gt=0, description="cost to the smuggler, EUR per boat")
    rated_capacity: int = Field(gt=0, description="people the boat is built for")
    max_overload: float = Field(ge=1, description="load as a multiple of rated capacity, at most")
    speed_kmh: float = Field(gt=0, description="cruising speed in calm sea")
    hazard_per_hour: float = Field(
        ge=0, description="chance per hour of distress, calm, at rated load"
    )
    survival_hours: float = Field(gt=0, description="mean hours afloat once in distress, calm sea")
    drown_fraction: float = Field(ge=0, le=1, description="share aboard lost when it founders")
    visibility: float = Field(
        1.0,
        gt=0,
        description=(
            "how readily the authorities find this boat before launch, relative to a typical "
            "boat: its seizure chance is 1 - (1 - boat_seizure)^visibility"
        ),
    )


def _default_origins() -> dict[str, Origin]:
    # Would-be migrants per year by origin hub: first guesses to be calibrated. Athens
    # stands for people already in Greece who move on through the Western Balkans.
    def origin(
        people: float, means: float, resettlement: float = 0.0, visa_free: bool = False
    ) -> Origin:
        return Origin(
            people_per_year=people,
            means_median=means,
            resettlement_share=resettlement,
            visa_free_entry=visa_free,
        )

    return {
        "bamako": origin(150_000, 1200),
        "niamey": origin(30_000, 1000),
        "kano": origin(40_000, 1200),
        "conakry": origin(80_000, 1200),
        "abidjan": origin(70_000, 1500),
        "khartoum": origin(50_000, 1000, resettlement=0.3),
        "cairo": origin(60_000, 2500),
        "dhaka": origin(40_000, 4000),
        "damascus": origin(60_000, 3000, resettlement=0.4),
        "van": origin(50_000, 2000, resettlement=0.2),
        "gaziantep": origin(40_000, 2000, resettlement=0.1),
        "algiers": origin(25_000, 2000),
        "casablanca": origin(50_000, 2500),
        "tunis": origin(50_000, 2500),
        "dakar": origin(60_000, 800),
        "athens": origin(40_000, 1500),
        "belgrade": origin(30_000, 2500, visa_free=True),
    }


def _default_boats() -> dict[str, BoatType]:
    # Visibility is an estimate: boats bought and kept moored where patrols look are
    # found before launch more readily than boats made or inflated just before it.
    return {
        # Carried packed and inflated on the beach.
        "rubber_dinghy": BoatType(
            cost=3000,
            rated_capacity=40,
            max_overload=3.0,
            speed_kmh=12,
            hazard_per_hour=0.006,
            survival_hours=20,
            drown_fraction=0.55,
            visibility=0.5,
        ),
        # Makeshift, built to order (FACTS.md: cheap, unstable).
        "metal_boat": BoatType(
            cost=1500,
            rated_capacity=30,
            max_overload=1.6,
            speed_kmh=14,
            hazard_per_hour=0.008,
            survival_hours=6,
            drown_fraction=0.6,
            visibility=0.6,
        ),
        # Bought from fishermen and kept moored in harbours.
        "wooden_boat": BoatType(
            cost=12000,
            rated_capacity=60,
            max_overload=2.5,
            speed_kmh=13,
            hazard_per_hour=0.003,
            survival_hours=30,
            drown_fraction=0.5,
            visibility=1.5,
        ),
        # Large, registered and watched in port.
        "fishing_trawler": BoatType(
            cost=80000,
            rated_capacity=200,
            max_overload=3.5,
            speed_kmh=15,
            hazard_per_hour=0.002,
            survival_hours=40,
            drown_fraction=0.8,
            visibility=3.0,
        ),
        "cayuco": BoatType(
            cost=15000,
            rated_capacity=100,
            max_overload=2.0,
            speed_kmh=9,
            hazard_per_hour=0.0008,
            survival_hours=60,
            drown_fraction=0.7,
            visibility=1.0,
        ),
        # Chartered or stolen yachts among tourist traffic (Cutro, 2023).
        "sailing_boat": BoatType(
            cost=60000,
            rated_capacity=40,
            max_overload=2.5,
            speed_kmh=14,
            hazard_per_hour=0.001,
            survival_hours=30,
            drown_fraction=0.6,
            visibility=0.5,
        ),
        "speedboat": BoatType(
            cost=20000,
            rated_capacity=15,
            max_overload=2.0,
            speed_kmh=45,
            hazard_per_hour=0.004,
            survival_hours=6,
            drown_fraction=0.3,
            visibility=1.0,
        ),
    }


def _default_boat_menus() -> dict[str, list[str]]:
    # Which boats are on offer where (FACTS.md: Libyan dinghies and wooden boats, eastern
    # Libyan trawlers, Tunisian metal boats, Senegalese cayucos, Aegean dinghies).
    return {
        "LBY": ["rubber_dinghy", "wooden_boat", "fishing_trawler"],
        # Eastern Libya to Crete: smaller boats, mostly 30-60 people (FACTS.md).
        "LBY:eastern_med": ["wooden_boat", "rubber_dinghy"],
        "TUN": ["metal_boat", "wooden_boat"],
        "EGY": ["fishing_trawler", "wooden_boat"],
        "TUR": ["rubber_dinghy", "speedboat", "sailing_boat"],
        "LBN": ["fishing_trawler", "wooden_boat"],
        "SYR": ["fishing_trawler", "wooden_boat"],
        "DZA": ["wooden_boat", "speedboat"],
        "MAR": ["rubber_dinghy", "wooden_boat", "speedboat"],
        "MRT": ["cayuco"],
        "SEN": ["cayuco"],
        "GMB": ["cayuco"],
        "CYN": ["rubber_dinghy"],
        "default": ["wooden_boat", "rubber_dinghy"],
    }


def _default_sea_state() -> dict[SeaArea, list[float]]:
    # Multiplier on boat hazard and on the share of days too rough to launch, by month
    # (Jan..Dec): winter storms in the Mediterranean, trade winds on the Atlantic in summer.
    med = [1.8, 1.7, 1.5, 1.2, 0.9, 0.7, 0.6, 0.6, 0.8, 1.1, 1.5, 1.8]
    return {
        "sicily_channel": med,
        "libyan_sea": med,
        "ionian": med,
        "aegean": [1.9, 1.8, 1.5, 1.2, 0.9, 0.8, 1.0, 1.1, 0.9, 1.1, 1.5, 1.8],
        "levantine": med,
        "alboran": [1.6, 1.5, 1.4, 1.1, 0.9, 0.8, 0.7, 0.7, 0.9, 1.1, 1.4, 1.6],
        "gibraltar": [1.6, 1.5, 1.4, 1.2, 1.0, 1.0, 1.1, 1.1, 1.0, 1.1, 1.4, 1.6],
        "canaries": [1.2, 1.2, 1.3, 1.3, 1.4, 1.5, 1.6, 1.5, 1.1, 0.8, 0.8, 1.0],
    }


def _per_route(**values: float) -> dict[Route, float]:
    return {route: values[route] for route in ROUTES}


class Parameters(ConfigModel):
    """Behavioural and hazard parameters of the model."""

    origins: dict[str, Origin] = Field(default_factory=_default_origins)
    route_preference: dict[Route, float] = Field(
        default_factory=lambda: _per_route(
            central_med=0.0,
            eastern_med=0.0,
            western_balkans=0.0,
            western_med=0.0,
            western_african=0.0,
        ),
        description="alternative-specific constant of each route in route choice",
    )
    seasonal_cos: dict[Route, float] = Field(
        default_factory=lambda: dict.fromkeys(ROUTES, 0.0),
        description="January-peaking harmonic of the log monthly propensity to set out",
    )
    seasonal_sin: dict[Route, float] = Field(
        default_factory=lambda: dict.fromkeys(ROUTES, 0.0),
        description="April-peaking harmonic of the log monthly propensity to set out",
    )
    seasonal_cos2: dict[Route, float] = Field(
        default_factory=lambda: dict.fromkeys(ROUTES, 0.0),
        description="half-year harmonic (January and July) of the log monthly propensity",
    )
    seasonal_sin2: dict[Route, float] = Field(
        default_factory=lambda: dict.fromkeys(ROUTES, 0.0),
        description="half-year harmonic (February-March and August-September) of the same",
    )
    sea_hazard: dict[SeaArea, Annotated[float, Field(ge=0)]] = Field(
        default_factory=lambda: dict.fromkeys(
            (
                "sicily_channel",
                "libyan_sea",
                "ionian",
                "aegean",
                "levantine",
                "alboran",
                "gibraltar",
                "canaries",
            ),
            1.0,
        ),
        description="multiplier on boat hazard in each sea area (distances, currents, traffic)",
    )
    rescue_reference_vessels: dict[SarArea, Annotated[float, Field(gt=0)]] = Field(
        default_factory=lambda: {
            "central_med": 9.0,
            "eastern_med": 5.0,
            "western_med": 5.0,
            "atlantic": 4.0,
        },
        description=(
            "vessels on station in each rescue area that rescue capacity is measured against "
            "(1 = as many as this): the 2023 baseline's state SAR vessels, plus its 3 NGO "
            "ships in the Central Med; the rescue-pull assumption and smugglers' boat "
            "downgrade answer capacity relative to it"
        ),
    )
    initial_risk: dict[Route, float] = Field(
        default_factory=lambda: _per_route(
            central_med=0.016,
            eastern_med=0.004,
            western_balkans=0.0003,
            western_med=0.026,
            western_african=0.024,
        ),
        description="death risk per crossing believed at the start (FACTS.md, 2023 crude rates)",
    )
    warmup_days: int = Field(
        150,
        ge=0,
        le=730,
        description="days simulated before the scenario starts, to fill the routes",
    )
    networks_per_hub: int = Field(2, ge=1, le=20, description="smuggling networks at each sea hub")
    stay_utility: float = Field(1.0, description="utility of staying, against which routes compete")
    price_weight: float = Field(1.5, ge=0, description="disutility of price as a share of means")
    risk_weight: float = Field(100.0, ge=0, description="disutility per unit perceived death risk")
    success_weight: float = Field(
        1.0, ge=0, description="utility per unit perceived success chance"
    )
    distance_weight: float = Field(0.15, ge=0, description="disutility per 1,000 km of travel")
    choice_noise: float = Field(1.0, gt=0, description="scale of the taste shocks in route choice")
    overland_km_per_day: float = Field(60.0, gt=0, description="pace of travel over land, km/day")
    rumour_delay_days: float = Field(
        30.0, ge=0, description="days before outcomes are heard at home"
    )
    rumour_noise: float = Field(
        0.3, ge=0, le=3, description="spread (log scale) of the distortion of rumoured rates"
    )
    belief_weight: float = Field(
        0.1, ge=0, le=1, description="weight of each day's news on beliefs"
    )
    boats: dict[str, BoatType] = Field(default_factory=_default_boats)
    boat_menus: dict[str, list[str]] = Field(default_factory=_default_boat_menus)
    sea_state: dict[SeaArea, MonthlyFactors] = Field(
        default_factory=_default_sea_state,
        description="multiplier on boat hazard and rough days per month, Jan..Dec, by sea area",
    )
    rough_day_share: float = Field(
        0.25, ge=0, le=1, description="share of days too rough to launch at sea-state factor 1"
    )
    smuggler_boats_per_day: float = Field(
        1.5, gt=0, description="boats a smuggling network can launch a day from its hub"
    )
    price: dict[Route, PositivePrice] = Field(
        default_factory=lambda: _per_route(
            central_med=2500,
            eastern_med=1000,
            western_balkans=1800,
            western_med=1500,
            western_african=1000,
        ),
        description="baseline price of a crossing per person, EUR",
    )
    price_by_departure: dict[str, PositivePrice] = Field(
        # FACTS.md: Sfax -> Lampedusa EUR 1,370 (2021), 1,500-4,000; Libya -> Italy
        # USD 2,000 from Tripoli to 5,000 from Sabratha (2024).
        default_factory=lambda: {"TUN": 1500.0, "LBY:central_med": 3200.0},
        description=(
            "baseline price per person where a departure country's differs from its route's, "
            'EUR; keyed by country ("TUN") or country and route ("LBY:central_med")'
        ),
    )
    price_demand_elasticity: float = Field(0.3, ge=0, description="price response to queue length")
    price_enforcement_elasticity: float = Field(
        0.5, ge=0, description="price response to seizures and arrests"
    )
    smuggler_arrest_rate: float = Field(
        0.004, ge=0, description="daily chance a network is arrested at anti-smuggling index 1"
    )
    smuggler_replacement_days: float = Field(40.0, gt=0, description="mean days to replace one")
    partner_interception: dict[str, Chance] = Field(
        # Tunisia's two chances together stop about half of its attempts, as in 2023:
        # more than 75,000 departures prevented against some 80,000 or more arrivals in
        # Italy from Tunisia (FACTS.md). Those two facts are therefore not independent
        # checks of the model.
        default_factory=lambda: {
            "LBY": 0.08,
            "TUN": 0.3,
            "EGY": 0.3,
            "TUR": 0.35,
            "DZA": 0.2,
            "MAR": 0.5,
            "MRT": 0.2,
            "SEN": 0.15,
        },
        description="chance a boat is intercepted at sea by the partner coast guard at index 1",
    )
    departure_prevention: dict[str, Chance] = Field(
        default_factory=lambda: {
            "LBY": 0.1,
            "TUN": 0.25,
            "EGY": 0.2,
            "TUR": 0.3,
            "DZA": 0.15,
            "MAR": 0.45,
            "MRT": 0.25,
            "SEN": 0.2,
        },
        description="chance a boat is stopped before launch by the partner at index 1",
    )
    detention_days: float = Field(
        20.0, ge=0, description="mean days held after a partner interception"
    )
    camp_clearing: dict[str, Chance] = Field(
        default_factory=lambda: {"SRB": 0.01, "BIH": 0.01, "TUR": 0.01, "MAR": 0.01},
        description=(
            "daily chance that a person waiting at a land-border hub of the country is taken "
            "away from the border by its police, at levers.land_policing 1 (an assumption: no "
            "count is published; Serbia's police cleared the border camps in late 2023, "
            "POLICY-TIMELINE.md)"
        ),
    )
    relocation_place: dict[str, Name] = Field(
        default_factory=lambda: {
            "SRB": "presevo",
            "BIH": "sarajevo",
            "TUR": "istanbul",
            "MAR": "casablanca",
        },
        description=(
            "place id where the country's police take the people they move from the border "
            "(Serbia: the camps in the south, POLICY-TIMELINE.md 2023)"
        ),
    )
    relocation_days: float = Field(
        7.0,
        ge=0,
        description=(
            "mean days people stay where the police took them before they decide again "
            "(an assumption)"
        ),
    )
    sea_detection: dict[Route, float] = Field(
        default_factory=lambda: _per_route(
            central_med=0.97,
            eastern_med=0.9,
            western_balkans=0.9,
            western_med=0.75,
            western_african=0.95,
        ),
        description="chance a landing is detected, at the 2023 Frontex deployment",
    )
    eu_sea_interception: dict[Route, float] = Field(
        default_factory=lambda: _per_route(
            central_med=0.1,
            eastern_med=0.4,
            western_balkans=0.0,
            western_med=0.3,
            western_african=0.3,
        ),
        description="chance EU patrols intercept a boat before it lands, at 2023 strength",
    )
    pushback_share: dict[Route, float] = Field(
        default_factory=lambda: _per_route(
            central_med=0.0,
            eastern_med=0.25,
            western_balkans=0.0,
            western_med=0.0,
            western_african=0.0,
        ),
        description=(
            "share of EU sea interceptions that end in a return to the departure coast, at "
            "2023 practice (an estimate; levers.sea_pushbacks scales it)"
        ),
    )
    land_detection: float = Field(
        0.6, ge=0, le=1, description="chance a land crossing attempt is detected at index 1"
    )
    land_admission: dict[Route, float] = Field(
        default_factory=lambda: _per_route(
            central_med=1.0,
            eastern_med=0.5,
            western_balkans=0.3,
            western_med=0.3,
            western_african=1.0,
        ),
        description="share of people caught at a land border who are let in (asylum, registration)",
    )
    land_attempt_rate: float = Field(
        0.15, ge=0, le=1, description="daily chance someone waiting at a land border tries"
    )
    land_death_rate: float = Field(
        0.0003, ge=0, le=1, description="chance of death per land crossing attempt"
    )
    retry_days: float = Field(
        5.0, gt=0, description="mean days before a pushed-back person retries"
    )
    postponed_departure_days: float = Field(
        60.0,
        gt=0,
        le=365,
        description=(
            "mean days before someone who put off leaving during closures sets out once they "
            "are lifted (levers.covid_closures), 0-365; an estimate"
        ),
    )
    give_up_per_attempt: float = Field(
        0.04, ge=0, le=1, description="chance to give up after each failed attempt"
    )
    # What enforcement costs the people it stops, so that it can deter and not only delay
    # (issue 16, item 5). Each is off at 0, its default, which keeps the 2023 calibration;
    # the deterrence-2023 scenario turns them on.
    failed_attempt_cost: Chance = Field(
        0.0,
        description=(
            "share of a failed attempt's price that is lost, 0-1 (0 = off): smugglers are "
            "paid before departure and people pay again for each try (InfoMigrants 2023, "
            "'Migrants for sale': a family paid for each of seven attempts from Libya, "
            "$2,000-5,000 a person; prices in FACTS.md); below 1 where packages include a retry"
        ),
    )
    transit_earnings_per_day: float = Field(
        0.0,
        ge=0,
        le=100,
        description=(
            "EUR a day earned at the hub by people whose means do not cover the next "
            "attempt, 0-100 (0 = off: means never stop anyone); they work until they can "
            "pay, or give up (estimate; migrants in Libya 'work hard for many months' for "
            "the last stretch, IOM and press, FACTS.md prices)"
        ),
    )
    max_earning_days: float = Field(
        180.0,
        gt=0,
        le=1460,
        description=(
            "days, 1-1460: people who would have to work longer than this to pay the next "
            "attempt give up (estimate; IOM Niger 2018: 16,396 of 20,056 migrants expelled "
            "from Algeria signed up for return home, UN A/HRC/41/38/Add.1)"
        ),
    )
    give_up_means_weight: float = Field(
        0.0,
        ge=0,
        le=10,
        description=(
            "how much faster people give up when short of money, 0-10 (0 = off): the chance "
            "per failed attempt is multiplied by 1 + weight x (the share of the next price "
            "their means do not cover); IOM's returnees from Libya 'lost their livelihoods' "
            "or 'tried and failed to reach Europe' (InfoMigrants 2020; some 33,000 flown home "
            "from Libya 2017-2020, Euronews 2020)"
        ),
    )
    expulsion_inland: Chance = Field(
        0.0,
        description=(
            "share of people stopped by partner forces or pushed back who are expelled inland "
            "to the origin hub they set out from, 0-1 (0 = off); they travel back to try "
            "again, choose another route or give up there (about 0.1 off Tunisia in 2023: "
            "AFP via Libya Review, 5,500 pushed towards Libya and 3,000 towards Algeria from "
            "June, many caught leaving, against >75,000 departures prevented, FACTS.md; HRW, "
            "at least 1,200 in July)"
        ),
    )
    wait_out_days: float = Field(
        0.0,
        ge=0,
        le=365,
        description=(
            "mean days people wait at the hub before trying again, per unit of perceived "
            "failure chance (1 - perceived success of the route), 0-365 (0 = off: they join "
            "the line at once); transit migrants stay put for months or years where "
            "crossing looks hopeless (Collyer 2007, 'In-between places', Antipode; estimate)"
        ),
    )
    alarm_probability: float = Field(
        0.95, ge=0, le=1, description="boats in distress that raise an alarm"
    )
    merchant_rescue: dict[Route, float] = Field(
        default_factory=lambda: _per_route(
            central_med=0.2,
            eastern_med=0.1,
            western_balkans=0.0,
            western_med=0.15,
            western_african=0.05,
        ),
        description="chance a merchant ship can answer a distress call",
    )
    ngo_encounter: float = Field(
        0.12, ge=0, le=1, description="chance that one free NGO ship on patrol meets a given boat"
    )
    rescue_vessel_speed_kmh: float = Field(30.0, gt=0)
    ngo_vessel_speed_kmh: float = Field(18.0, gt=0)
    partner_rescue_delay_hours: float = Field(
        12.0, ge=0, description="extra hours before a partner-coordinated response"
    )
    bodies_recovered: float = Field(
        0.25,
        ge=0,
        le=1,
        description="share of those lost whose bodies are recovered (dead, not missing)",
    )
    exposure_deaths_per_day: float = Field(
        0.0001,
        ge=0,
        le=1,
        description="chance of death aboard from thirst and exposure, per (days at sea) squared",
    )
    return_decision_share: float = Field(
        0.45, ge=0, le=1, description="share of detected arrivals who get a return decision"
    )
    return_delay_days: float = Field(120.0, gt=0, description="mean days from arrival to return")

    def base_price(self, country: str, route: str) -> float:
        """Baseline price per person of a crossing from a departure country on a route."""
        return _for_departure(self.price_by_departure, country, route, self.price[route])

    def boat_names(self, country: str, route: str) -> list[str]:
        """The boats on offer from a departure country on a route (or the default menu)."""
        return _for_departure(self.boat_menus, country, route, self.boat_menus["default"])

    @field_validator("boat_menus")
    @classmethod
    def _menus_name_known_boats(
        cls, menus: dict[str, list[str]], info: ValidationInfo
    ) -> dict[str, list[str]]:
        boats = info.data.get("boats", {})
        _check_departure_keys(menus.keys() - {"default"})
        if "default" not in menus:
            raise ValueError('needs a "default" menu for countries without one of their own')
        for key, names in menus.items():
            if not names:
                raise ValueError(f"menu {key!r} is empty (expected at least one boat)")
            unknown = [name for name in names if name not in boats]
            if unknown:
                raise ValueError(
                    f"menu {key!r} names an unknown boat {unknown[0]!r} "
                    f"(expected boats of parameters.boats: {', '.join(boats)})"
                )
        return menus

    @field_validator("price_by_departure")
    @classmethod
    def _prices_name_departures(cls, prices: dict[str, float]) -> dict[str, float]:
        _check_departure_keys(prices.keys())
        return prices

    @field_validator(
        "partner_interception", "departure_prevention", "camp_clearing", "relocation_place"
    )
    @classmethod
    def _keys_name_countries[T](cls, table: dict[str, T]) -> dict[str, T]:
        for key in table:
            if not _is_iso3(key):
                raise ValueError(f'key {key!r}: expected a country\'s ISO3 code ("TUN")')
        return table


def _for_departure[T](table: Mapping[str, T], country: str, route: str, default: T) -> T:
    """A table's entry for a departure: by country and route, else by country, else default."""
    return table.get(f"{country}:{route}", table.get(country, default))


def _check_departure_keys(keys: Iterable[str]) -> None:
    """Keys are a country's ISO3 code, optionally with a route: "TUN", "LBY:central_med"."""
    for key in keys:
        country, _, route = key.partition(":")
        if not _is_iso3(country) or (":" in key and route not in ROUTES):
            raise ValueError(
                f"key {key!r}: expected a country's ISO3 code, optionally with a route "
                f'("TUN", "LBY:central_med"; routes: {", ".join(ROUTES)})'
            )


def _is_iso3(code: str) -> bool:
    return len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()
