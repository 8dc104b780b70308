"""Border guards and land crossings.

Guard units patrol the geodata's border sections and sea patrol areas: EU and
member-state units (with Frontex officers) on the EU side, partner-country police
and coast guards on the other. Their effort varies from day to day; the chance
that they see a boat or a group grows with it. Groups crossing a land border try
at night; those caught are registered (a detection) and then either let in or
pushed back to try again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.agentset import AgentSet

from routesim.migrants import State
from routesim.partners import LAND_PARTNER_ISO3, PARTNER_ISO3
from routesim.routes import ROUTES

if TYPE_CHECKING:
    from routesim.journeys import Crossing
    from routesim.world import World

#: Frontex officers in the 2023 baseline, against which deployments are compared.
BASELINE_STANDING_CORPS = 2300.0
#: Weight of the Standing Corps against national guards in surveillance strength.
FRONTEX_WEIGHT = 0.5
#: People in a group that crosses a land border with one guide.
GROUP_SIZE = 12
#: The per-country lever of each partner country with one (an index, 1 = 2023).
_PARTNER_LEVER = {iso3: name for name, iso3 in PARTNER_ISO3.items()}
#: The land-policing lever of each partner country with one.
_LAND_PARTNER_LEVER = {iso3: name for name, iso3 in LAND_PARTNER_ISO3.items()}


class BorderGuardUnit(mesa.Agent):
    """The guards of one border section or sea patrol area."""

    def __init__(self, model: World, area: str, kind: str, force: str, country: str) -> None:
        super().__init__(model)
        self.area = area
        self.kind = kind
        self.force = force
        self.country = country
        self.effort = 1.0

    def patrol(self) -> None:
        """Set today's effort: shifts, weather and assets vary from day to day."""
        self.effort = self.model.rng.gamma(4.0, 0.25)

    def strength(self) -> float:
        """Today's strength relative to the 2023 baseline."""
        levers = self.model.levers
        if self.force == "partner":
            return self.effort
        frontex = (
            1.0 + FRONTEX_WEIGHT * levers.frontex_standing_corps / BASELINE_STANDING_CORPS
        ) / (1.0 + FRONTEX_WEIGHT)
        national = levers.land_border_guards if self.kind == "land_border" else 1.0
        return self.effort * national * frontex

    def escape(self, baseline_chance: float, index: float = 1.0) -> float:
        """Chance that a boat or group slips past the unit today.

        `baseline_chance` is the unit's 2023 chance of stopping it. Effort acts on the
        odds of escaping: doubling it squares the chance of slipping through, so
        catches saturate rather than exceed certainty.
        """
        return (1.0 - baseline_chance) ** (self.strength() * index)

    def catch_many(self, baseline_chance: float, n: int, index: float = 1.0) -> np.ndarray:
        """For each of `n` boats or groups tonight, whether the unit stops it."""
        return self.model.rng.random(n) >= self.escape(baseline_chance, index)


class BorderForces:
    """Every guard unit, and which of them watches a crossing.

    Boats, border groups and rescuers ask the same questions many times a day (who
    watches this crossing's EU end, which partner unit patrols this leg), so the
    answers are kept once found.
    """

    def __init__(self, model: World) -> None:
        self.units = AgentSet([], random=model.random)
        self._by_area: dict[str, BorderGuardUnit] = {}
        self._partner_units: dict[tuple[str, int | None], BorderGuardUnit | None] = {}
        self._eu_units: dict[int, BorderGuardUnit | None] = {}
        self._model = model
        for area, row in model.geography.patrol_areas.iterrows():
            unit = BorderGuardUnit(model, area, row["kind"], row["force"], row["country"])
            self.units.add(unit)
            self._by_area[area] = unit

    def __iter__(self) -> Iterator[BorderGuardUnit]:
        return iter(self.units)

    def patrol(self) -> None:
        """Every unit sets today's effort."""
        self.units.do("patrol")

    def eu_unit(self, crossing: Crossing) -> BorderGuardUnit | None:
        """The EU unit watching the EU end of a crossing."""
        if crossing.index not in self._eu_units:
            units = self._by_area
            eu = [units[a] for a in crossing.patrol_areas if units[a].force == "eu"]
            self._eu_units[crossing.index] = eu[-1] if eu else None
        return self._eu_units[crossing.index]

    def partner_unit(
        self, country: str, crossing: Crossing | None = None
    ) -> BorderGuardUnit | None:
        """The partner unit of `country` on a crossing, or any of that country's units."""
        key = (country, crossing.index if crossing else None)
        if key not in self._partner_units:
            self._partner_units[key] = self._find_partner_unit(country, crossing)
        return self._partner_units[key]

    def prevent_launches(self, crossings: Sequence[Crossing]) -> np.ndarray:
        """For each boat about to launch tonight, whether partner forces stop it on the beach."""
        levers, chances = self._model.levers.departure_prevention, self._model.parameters
        return self._partner_catch_many(crossings, chances.departure_prevention, levers)

    def intercept_at_sea(self, crossings: Sequence[Crossing]) -> np.ndarray:
        """For each boat putting to sea tonight, whether its partner coast guard intercepts it."""
        levers, chances = self._model.levers.partner_coast_guard, self._model.parameters
        return self._partner_catch_many(crossings, chances.partner_interception, levers)

    def clear_camps(self, crossings: Sequence[Crossing]) -> np.ndarray:
        """Today's share of each land crossing's line that the partner's police take away.

        The share is 0 where no partner polices the crossing's hub. Police effort acts on
        the odds of being left alone, as a unit's catches do.
        """
        model = self._model
        chances, policing = model.parameters.camp_clearing, model.levers.land_policing
        shares = np.zeros(len(crossings))
        for i, crossing in enumerate(crossings):
            lever = _LAND_PARTNER_LEVER.get(crossing.country)
            if lever is None or crossing.country not in chances:
                continue
            index = getattr(policing, lever)
            unit = self.partner_unit(crossing.country, crossing)
            chance = chances[crossing.country]
            left = unit.escape(chance, index) if unit else (1.0 - chance) ** index
            shares[i] = 1.0 - left
        return shares

    def answer_distress(self, country: str) -> bool:
        """Whether a partner coast guard answers a distress call in its own SAR region."""
        model = self._model
        escape = self._partner_escape(
            country, model.parameters.partner_interception, model.levers.partner_coast_guard, None
        )
        return bool(model.rng.random() >= escape)

    def meet_landings(self, crossings: Sequence[Crossing]) -> tuple[np.ndarray, np.ndarray]:
        """EU patrols at the coast where tonight's boats land.

        Returns:
            For each boat, whether it is intercepted, and whether (if not intercepted)
            it is seen landing; where no EU unit watches, a boat is seen at the
            baseline rate of its route.
        """
        model = self._model
        p = model.parameters
        units = [self.eu_unit(c) for c in crossings]
        strength = np.array([1.0 if u is None else u.strength() for u in units])
        watched = np.array([u is not None for u in units])
        intercept = np.array([p.eu_sea_interception[c.route] for c in crossings])
        detect = np.array([p.sea_detection[c.route] for c in crossings])
        n = len(crossings)
        intercepted = watched & (model.rng.random(n) >= (1.0 - intercept) ** strength)
        seen = model.rng.random(n) >= (1.0 - detect) ** strength
        return intercepted, seen & ~intercepted

    def turned_back_share(self, routes: np.ndarray) -> np.ndarray:
        """Of the people on intercepted boats (route index each), the share turned back at sea."""
        model = self._model
        share = np.array([model.parameters.pushback_share[r] for r in ROUTES])
        return np.minimum(share[routes] * model.levers.sea_pushbacks, 1.0)

    def _find_partner_unit(self, country: str, crossing: Crossing | None) -> BorderGuardUnit | None:
        units = self._by_area
        on_leg = [
            units[a]
            for a in (crossing.patrol_areas if crossing else ())
            if units[a].force == "partner" and units[a].country == country
        ]
        if on_leg:
            return on_leg[0]
        anywhere = [u for u in units.values() if u.force == "partner" and u.country == country]
        return anywhere[0] if anywhere else None

    def _partner_escape(
        self, country: str, chances: dict[str, float], levers: object, crossing: Crossing | None
    ) -> float:
        """Chance that a boat or group slips past `country`'s partner forces today."""
        if country not in chances:
            return 1.0
        unit = self.partner_unit(country, crossing)
        if unit is None:
            return 1.0
        lever = _PARTNER_LEVER.get(country)
        index = getattr(levers, lever) if lever else 1.0
        return unit.escape(chances[country], index)

    def _partner_catch_many(
        self, crossings: Sequence[Crossing], chances: dict[str, float], levers: object
    ) -> np.ndarray:
        escapes = [self._partner_escape(c.country, chances, levers, c) for c in crossings]
        return self._model.rng.random(len(crossings)) >= np.array(escapes)


def land_attempts(model: World, crossings: Sequence[Crossing], rate: np.ndarray | float) -> None:
    """Tonight's groups try the land borders, each group with its guide.

    Some of the people waiting at each crossing try tonight. Groups go separately, so
    each is caught or not on its own by the EU unit watching its crossing; those
    caught are registered (a detection), then let in or pushed back to try again.
    """
    m, migration = model.migrants, model.migration
    tonight, parties = migration.leave_by_chance(crossings, rate)
    if not tonight:
        return
    rows = np.concatenate(parties)
    m.attempts[rows] += 1
    migration.count_people(rows, "attempts")
    migration.count_people(rows, "departures")
    migration.count_by_country(rows, "departures")
    # Rows go in the group of their first person: a row is never split across groups,
    # which at a coarse scale makes some groups larger but each as likely to be caught.
    sizes = np.array([len(party) for party in parties])
    firsts = np.cumsum(sizes) - sizes
    people = m.people[rows].astype(np.int64)
    ahead = np.cumsum(people) - people
    # People ahead of each row in its own crossing's party, not in the parties before it.
    ahead -= np.repeat(ahead[firsts], sizes)
    in_party = ahead // GROUP_SIZE
    groups = in_party[firsts + sizes - 1] + 1
    group = np.repeat(np.cumsum(groups) - groups, sizes) + in_party
    escape = np.repeat([_land_escape(model, crossing) for crossing in tonight], groups)
    caught = (model.rng.random(len(escape)) >= escape)[group]
    for part, seen in ((rows[caught], True), (rows[~caught], False)):
        died, alive = m.draw(part, model.parameters.land_death_rate, model.rng)
        migration.lose(died, State.DEAD)
        if not seen:
            migration.arrive_unseen(alive)
            continue
        migration.count_people(alive, "detections")
        migration.count_people(alive, "eu_interceptions")
        admission = np.array([model.parameters.land_admission[r] for r in ROUTES])
        admitted, refused = m.draw(alive, admission[m.route[alive]], model.rng)
        migration.arrive(admitted)
        migration.push_back(refused)


def _land_escape(model: World, crossing: Crossing) -> float:
    """Chance that a group slips past the EU unit watching a land crossing tonight."""
    unit = model.guards.eu_unit(crossing)
    return 1.0 if unit is None else unit.escape(model.parameters.land_detection)
