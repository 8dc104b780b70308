"""Border guards and land crossings.

Guard units patrol the geodata's border sections and sea patrol areas: EU and
member-state units (with Frontex officers) on the EU side, partner-country police
and coast guards on the other. Their effort varies from day to day; the chance
that they see a boat or a group grows with it. Groups crossing a land border try
at night; those caught are registered (a detection) and then either let in or
pushed back to try again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.agentset import AgentSet

from routesim.boats import MigrantParty
from routesim.levers import PARTNER_ISO3
from routesim.migrants import State

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

    def catches(self, baseline_chance: float, index: float = 1.0) -> bool:
        """Whether the unit stops a boat or group, given its 2023 chance of doing so.

        Effort acts on the odds of escaping: doubling it squares the chance of
        slipping through, so catches saturate rather than exceed certainty.
        """
        return self.model.rng.random() >= self._escape(baseline_chance, index)

    def catch_many(self, baseline_chance: float, n: int, index: float = 1.0) -> np.ndarray:
        """For each of `n` boats or groups tonight, whether the unit stops it."""
        return self.model.rng.random(n) >= self._escape(baseline_chance, index)

    def _escape(self, baseline_chance: float, index: float) -> float:
        return (1.0 - baseline_chance) ** (self.strength() * index)


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

    def prevent_launch(self, crossing: Crossing) -> bool:
        """Whether partner forces stop a boat on the beach."""
        model = self._model
        return self._partner_catches(
            crossing.country,
            model.parameters.departure_prevention,
            model.levers.departure_prevention,
            crossing,
        )

    def intercept_at_sea(self, crossing: Crossing) -> bool:
        """Whether the partner coast guard intercepts a boat off its coast."""
        model = self._model
        return self._partner_catches(
            crossing.country,
            model.parameters.partner_interception,
            model.levers.partner_coast_guard,
            crossing,
        )

    def answer_distress(self, country: str) -> bool:
        """Whether a partner coast guard answers a distress call in its own SAR region."""
        model = self._model
        return self._partner_catches(
            country, model.parameters.partner_interception, model.levers.partner_coast_guard, None
        )

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

    def _partner_catches(
        self, country: str, chances: dict[str, float], levers: object, crossing: Crossing | None
    ) -> bool:
        if country not in chances:
            return False
        unit = self.partner_unit(country, crossing)
        if unit is None:
            return False
        lever = _PARTNER_LEVER.get(country)
        index = getattr(levers, lever) if lever else 1.0
        return unit.catches(chances[country], index)


class BorderParty(MigrantParty):
    """The groups trying one land border crossing tonight, each with its guide.

    Groups go separately, so each is caught or not on its own; the night's groups
    are one agent because they share the border, the guards and the night.
    """

    def __init__(self, model: World, crossing: Crossing, rows: np.ndarray):
        super().__init__(model, crossing, rows)
        # Rows go in the group of their first person: a row is never split across groups,
        # which at a coarse scale makes some groups larger but each as likely to be caught.
        people = model.migrants.people[rows]
        self.group = (np.cumsum(people) - people) // GROUP_SIZE

    def attempt(self, guards: BorderGuardUnit | None) -> None:
        """Try the crossing; the groups' fates are settled by morning."""
        model = self.model
        route = self.crossing.route
        people = self.people
        model.migrants.attempts[self.rows] += 1
        model.count(route, "attempts", people)
        model.count(route, "departures", people)
        model.count_country(self.crossing.country, "departures", people)
        if guards is None:
            caught = np.zeros(len(self.rows), dtype=bool)
        else:
            n_groups = int(self.group.max()) + 1
            caught = guards.catch_many(model.parameters.land_detection, n_groups)[self.group]
        for rows, seen in ((self.rows[caught], True), (self.rows[~caught], False)):
            died, alive = model.migrants.draw(rows, model.parameters.land_death_rate, model.rng)
            model.migration.lose(died, self.crossing, State.DEAD)
            if seen:
                self._caught(alive)
            else:
                self._through(alive)
        self.remove()

    def _through(self, rows: np.ndarray) -> None:
        """Across unseen."""
        model = self.model
        model.migrants.move(rows, State.ARRIVED_UNDETECTED, model.day, self._crossing_end())
        model.count(self.crossing.route, "undetected_arrivals", model.migrants.headcount(rows))
        model.migration.hear(rows, self.crossing, success=True)

    def _crossing_end(self) -> int:
        return self.model.journeys.place_index[self.crossing.end]

    def _caught(self, rows: np.ndarray) -> None:
        """Registered by the guards (a detection), then let in or pushed back."""
        model = self.model
        route = self.crossing.route
        people = model.migrants.headcount(rows)
        model.count(route, "detections", people)
        model.count(route, "eu_interceptions", people)
        admitted, refused = model.migrants.draw(
            rows, model.parameters.land_admission[route], model.rng
        )
        model.migration.arrive(admitted, self.crossing)
        model.migration.push_back(refused, self.crossing)


def land_attempts(model: World, crossing: Crossing, rate: float) -> None:
    """Send tonight's groups over one land crossing."""
    line = model.migration.lines[crossing.index]
    trying = model.rng.binomial(line.length, min(rate, 1.0))
    if trying == 0:
        return
    rows = model.migration.leave_line(crossing, trying)
    BorderParty(model, crossing, rows).attempt(model.guards.eu_unit(crossing))
