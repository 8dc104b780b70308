"""Border guards and land crossings.

Guard units patrol the geodata's border sections and sea patrol areas: EU and
member-state units (with Frontex officers) on the EU side, partner-country police
and coast guards on the other. Their effort varies from day to day; the chance
that they see a boat or a group grows with it. Groups crossing a land border try
at night; those caught are registered (a detection) and then either let in or
pushed back to try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from routesim.boats import MigrantParty
from routesim.migrants import State

if TYPE_CHECKING:
    from routesim.journeys import Crossing
    from routesim.model import RouteModel

#: Frontex officers in the 2023 baseline, against which deployments are compared.
BASELINE_STANDING_CORPS = 2300.0
#: Weight of the Standing Corps against national guards in surveillance strength.
FRONTEX_WEIGHT = 0.5


class BorderGuardUnit(mesa.Agent):
    """The guards of one border section or sea patrol area."""

    def __init__(self, model: RouteModel, area: str, kind: str, force: str, country: str) -> None:
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
        escape = (1.0 - baseline_chance) ** (self.strength() * index)
        return bool(self.model.rng.random() >= escape)


class BorderParty(MigrantParty):
    """A group trying to cross a land border tonight, usually with a guide."""

    def attempt(self, guards: BorderGuardUnit | None) -> None:
        """Try the crossing; the group's fate is settled by morning."""
        model = self.model
        route = self.crossing.route
        model.migrants.attempts[self.rows] += 1
        model.count(route, "attempts", self.people)
        model.count(route, "departures", self.people)
        model.count_country(self.crossing.country, "departures", self.people)
        died = model.rng.random(len(self.rows)) < model.p.land_death_rate
        if died.any():
            model.lose(self.rows[died], self.crossing, State.DEAD)
            self.rows = self.rows[~died]
        caught = guards is not None and guards.catches(model.p.land_detection)
        if not caught:
            model.migrants.move(self.rows, State.ARRIVED_UNDETECTED, model.day, self.crossing_end())
            model.count(route, "undetected_arrivals", self.people)
            model.hear(self.rows, self.crossing, success=True)
        else:
            self._caught()
        self.remove()

    def crossing_end(self) -> int:
        """Index of the place on the EU side of the border."""
        return self.model.journeys.place_index[self.crossing.end]

    def _caught(self) -> None:
        model = self.model
        route = self.crossing.route
        model.count(route, "detections", self.people)
        model.count(route, "eu_interceptions", self.people)
        admitted = model.rng.random(len(self.rows)) < model.p.land_admission[route]
        model.arrive(self.rows[admitted], self.crossing)
        model.push_back(self.rows[~admitted], self.crossing)


def land_attempts(model: RouteModel, crossing: Crossing, rate: float) -> None:
    """Send today's groups over one land crossing."""
    line = model.lines[crossing.index]
    trying = model.rng.binomial(line.length, min(rate, 1.0))
    if trying == 0:
        return
    guards = model.eu_guards(crossing)
    rows = line.take(trying)
    group = max(1, int(round(12 / model.scale)))
    for start in range(0, len(rows), group):
        BorderParty(model, crossing, rows[start : start + group]).attempt(guards)
