"""Boats: parties of migrants at sea, and what happens to them.

A boat's fate unfolds in hours on the model's event clock: a partner coast guard
may stop it near its own coast; it may fall into distress, at a rate that grows
with a flimsy boat, a heavy load and a rough sea; a distress alert may bring a
rescuer in time, or not; otherwise it lands, is intercepted near the EU coast, or
lands unseen. Deaths come from these mechanisms, not from a rate per route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from routesim.migrants import State

if TYPE_CHECKING:
    from routesim.journeys import Crossing
    from routesim.migration import Landing
    from routesim.world import World

HOURS = 24.0
#: How a landing ends, in a boat's story (keys: what `Migration.land` returns).
LANDINGS: dict[Landing, str] = {
    "intercepted": "intercepted by an EU patrol",
    "seen": "seen landing, and registered",
    "unseen": "landed unseen",
}


def persons(n: int) -> str:
    """A head count in words for a story: "1 person", "2,031 people"."""
    return "1 person" if n == 1 else f"{n:,} people"


class MigrantParty(mesa.Agent):
    """People travelling together on one crossing attempt."""

    def __init__(self, model: World, crossing: Crossing, rows: np.ndarray) -> None:
        super().__init__(model)
        self.crossing = crossing
        self.rows = rows

    @property
    def people(self) -> int:
        """Number of people in the party."""
        return self.model.migrants.headcount(self.rows)


class Boat(MigrantParty):
    """A boat with its passengers on a sea crossing.

    Attributes:
        price: What the smuggler charged each person aboard, in euros.
        story: What has happened to the boat since it put to sea, as ``(model time,
            what)``: the app's "follow a boat" tells it.
        at_sea: False once the boat's crossing is over, whatever its end.
    """

    def __init__(
        self, model: World, crossing: Crossing, boat_type: str, rows: np.ndarray, price: float
    ) -> None:
        super().__init__(model, crossing, rows)
        self.boat_type = boat_type
        self.price = price
        self.load = self.people
        self.spec = model.parameters.boats[boat_type]
        self.story: list[tuple[float, str]] = []
        self.at_sea = True
        self.launched_at = 0.0
        self.duration = 0.0
        self.distress_at = 0.0
        self.fraction = 0.0

    @property
    def load_factor(self) -> float:
        """People aboard at launch as a multiple of the boat's rated capacity."""
        return self.load / self.spec.rated_capacity

    def launch(self) -> None:
        """Put to sea tonight and schedule what happens next."""
        model = self.model
        crossing = self.crossing
        self.launched_at = model.time + model.rng.uniform(18, 28) / HOURS
        model.migrants.move(self.rows, State.AT_SEA, model.day)
        model.migrants.attempts[self.rows] += 1
        model.count(crossing.route, "departures", self.load)
        model.count_country(crossing.country, "departures", self.load)
        model.count(crossing.route, "boats_launched", 1)
        model.count(crossing.route, "boat_hazard", 1000 * self.spec.hazard_per_hour)
        model.count(crossing.route, "boat_cost", self.spec.cost)
        sea = model.sea_state(crossing.sea_area)
        duration = crossing.length_km / (self.spec.speed_kmh / sea**0.5) / HOURS
        self.duration = duration
        if model.guards.intercept_at_sea(crossing):
            stop = min(duration / 2, model.rng.uniform(1, 8) / HOURS)
            model.schedule_event(self.intercepted_by_partner, at=self.launched_at + stop)
            return
        # NGO ships on patrol take people off unseaworthy boats before any distress call.
        self.fraction = model.rng.uniform(0.2, 0.5)
        encounter = model.rescue.encounter(self, self.launched_at + self.fraction * duration)
        if encounter is not None:
            model.schedule_event(encounter.rescue, at=encounter.arrival)
            return
        self.fraction = 0.0
        area_hazard = model.parameters.sea_hazard.get(crossing.sea_area, 1.0)
        hazard = self.spec.hazard_per_hour * HOURS * self.load_factor_risk() * sea * area_hazard
        time_to_distress = model.rng.exponential(1.0 / hazard) if hazard > 0 else np.inf
        if time_to_distress < duration:
            self.fraction = time_to_distress / duration
            self.distress_at = self.launched_at + time_to_distress
            model.schedule_event(self.in_distress, at=self.distress_at)
        else:
            model.schedule_event(self.reaches_coast, at=self.launched_at + duration)

    @property
    def adrift(self) -> bool:
        """Whether the boat has fallen into distress by now (it may be bound to later on)."""
        return 0.0 < self.distress_at <= self.model.time

    def position(self) -> tuple[float, float]:
        """Where the boat is now (lon, lat): adrift where it fell into distress."""
        model = self.model
        if self.adrift:
            f = self.fraction
        else:
            f = (model.time - self.launched_at) / self.duration if self.duration else 0.0
        return model.geography.position(self.crossing.leg, min(max(f, 0.0), 1.0))

    def tell(self, what: str) -> None:
        """Add what just happened to the boat's story."""
        self.story.append((self.model.time, what))

    def remove(self) -> None:
        """The crossing is over: leave the model, keeping the story."""
        self.at_sea = False
        super().remove()

    def load_factor_risk(self) -> float:
        """Hazard multiplier of overloading: grows faster than the load."""
        return max(self.load_factor, 0.5) ** 1.5

    def intercepted_by_partner(self) -> None:
        """A partner coast guard stops the boat and takes everyone back."""
        self.tell(f"stopped by the partner coast guard; {persons(self.people)} taken back")
        self.model.migration.partner_stop(self.rows, self.crossing, before_launch=False)
        self.remove()

    def in_distress(self) -> None:
        """The boat is sinking or adrift: raise the alarm and wait for help."""
        model = self.model
        model.count(self.crossing.route, "boats_in_distress", 1)
        sea = model.sea_state(self.crossing.sea_area)
        afloat = model.rng.exponential(self.spec.survival_hours / sea) / HOURS
        rescuer = (
            model.rescue.respond(self)
            if model.rng.random() < model.parameters.alarm_probability
            else None
        )
        if rescuer is None:
            self.tell("in distress; no rescuer was alerted")
        else:
            hours = (rescuer.arrival - model.time) * HOURS
            self.tell(f"in distress; {rescuer.describe()} alerted, {hours:.0f} h away")
        if rescuer is not None and rescuer.arrival < model.time + afloat:
            model.schedule_event(rescuer.rescue, at=rescuer.arrival)
            return
        if rescuer is None or rescuer.arrival > model.time + afloat + 1.0:
            lost, survivors = self.rows, self.rows[:0]
        else:
            lost, survivors = model.migrants.draw(self.rows, self.spec.drown_fraction, model.rng)
        self.founder(lost)
        if len(survivors):
            # Only a rescuer arriving in time leaves survivors (above).
            assert rescuer is not None
            self.rows = survivors
            model.schedule_event(rescuer.rescue, at=max(rescuer.arrival, model.time))
        else:
            self.remove()

    def founder(self, rows: np.ndarray) -> None:
        """People lost at sea: some bodies are recovered (dead), the rest missing."""
        model = self.model
        recovered, missing = model.migrants.draw(rows, model.parameters.bodies_recovered, model.rng)
        dead, lost = model.migrants.headcount(recovered), model.migrants.headcount(missing)
        self.tell(
            f"sank: {persons(dead + lost)} lost ({dead:,} bodies recovered, {lost:,} missing)"
        )
        model.migration.lose(recovered, self.crossing, State.DEAD)
        model.migration.lose(missing, self.crossing, State.MISSING)

    def reaches_coast(self) -> None:
        """The boat reaches the EU coast: intercepted, landed and seen, or landed unseen."""
        model = self.model
        days_at_sea = model.time - self.launched_at
        exposure = 1.0 - (1.0 - model.parameters.exposure_deaths_per_day) ** (days_at_sea**2)
        died, self.rows = model.migrants.draw(self.rows, exposure, model.rng)
        if len(died):
            self.tell(f"{persons(model.migrants.headcount(died))} died of exposure on the way")
        model.migration.lose(died, self.crossing, State.DEAD)
        if len(self.rows):
            people = self.people
            landing = model.migration.land(self.rows, self.crossing)
            self.tell(f"reached the coast with {persons(people)} aboard: {LANDINGS[landing]}")
        self.remove()
