"""Smugglers: networks at departure hubs that sell crossings and launch boats.

A network sets its price from demand (the line waiting at its hub) and from
enforcement (seizures and arrests), picks a boat and a load that pay best given
what it risks losing, and launches when the sea allows. Arrested networks stop
until another takes their place.

Networks draw single numbers many times a day (an arrest, the weather, a seizure, a
boat's load and taste shocks) from the model's Python generator (`model.random`, seeded
with the run): a draw from it costs a small fraction of a call to numpy's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from routesim.journeys import Crossing
    from routesim.parameters import Parameters
    from routesim.world import World


#: The least draw a Gumbel shock is taken from (log 0 is minus infinity).
_TINY = 1e-300


@dataclass(frozen=True)
class BoatOption:
    """One boat type on offer, as plain numbers for a quick choice."""

    name: str
    cost: float
    rated: float
    max_overload: float
    visibility: float
    flimsy: float  # 1 for boats more hazardous than the menu's median

    def seizure_chance(self, boat_seizure: float) -> float:
        """Chance this boat is found and seized before launch, at a seizure lever setting."""
        return 1.0 - (1.0 - boat_seizure) ** self.visibility


def boat_menu(parameters: Parameters, crossing: Crossing) -> tuple[BoatOption, ...]:
    """The boats on offer for a crossing.

    Its country's menu for its route if there is one (``"LBY:eastern_med"``), else
    its country's, else the default menu.
    """
    names = parameters.boat_names(crossing.country, crossing.route)
    boats = [parameters.boats[name] for name in names]
    median_hazard = float(np.median([b.hazard_per_hour for b in boats]))
    return tuple(
        BoatOption(
            name=name,
            cost=float(b.cost),
            rated=float(b.rated_capacity),
            max_overload=float(b.max_overload),
            visibility=float(b.visibility),
            flimsy=float(b.hazard_per_hour > median_hazard),
        )
        for name, b in zip(names, boats, strict=True)
    )


class Smuggler(mesa.Agent):
    """A smuggling network operating sea crossings from one hub."""

    def __init__(self, model: World, hub: str, crossings: list[Crossing]) -> None:
        super().__init__(model)
        self.hub = hub
        self.crossings = crossings
        self.route = crossings[0].route
        self.sea_area = crossings[0].sea_area
        self.base_price = model.parameters.base_price(crossings[0].country, self.route)
        self.price = self.base_price
        self._menus = {c.index: boat_menu(model.parameters, c) for c in crossings}
        self.arrested_until = -1.0
        self.surge_until = -1.0
        self.country = crossings[0].country

    def enforcement(self) -> float:
        """Today's anti-smuggling index over this network: the EU's, times its partnership's."""
        levers = self.model.levers
        return levers.anti_smuggling * levers.smuggling_partnership.index(self.country)

    @property
    def active(self) -> bool:
        """Whether the network is operating (not arrested)."""
        return self.model.day >= self.arrested_until

    def act(self) -> None:
        """One day: risk arrest, reprice, and order the boats the weather allows tonight."""
        model = self.model
        if not self.active:
            return
        if model.random.random() < model.parameters.smuggler_arrest_rate * self.enforcement():
            self._arrested()
            return
        self._reprice()
        boats_today = model.rng.poisson(self._capacity()) if self._weather_allows() else 0
        fleet = model.fleet
        for _ in range(boats_today):
            crossing = max(self.crossings, key=fleet.waiting)
            waiting = fleet.waiting(crossing)
            if waiting == 0:
                break
            self._launch(crossing, waiting)

    def _arrested(self) -> None:
        model = self.model
        days = model.rng.exponential(model.parameters.smuggler_replacement_days)
        self.arrested_until = model.day + days
        model.count(self.route, "smugglers_arrested", 1)

    def _capacity(self) -> float:
        capacity = self.model.parameters.smuggler_boats_per_day
        if self.model.day < self.surge_until:
            capacity *= 10
        return capacity

    def _weather_allows(self) -> bool:
        model = self.model
        rough = model.parameters.rough_day_share * model.sea_state(self.sea_area)
        # Smugglers who count on rescue launch in worse weather (Deiana et al. 2024).
        rough *= 1.0 - 0.5 * model.assumptions.rescue_boat_downgrade * model.rescue_presence(
            self.route
        )
        return model.random.random() >= min(rough, 0.95)

    def _reprice(self) -> None:
        model = self.model
        queue = sum(model.fleet.waiting(c) for c in self.crossings)
        weekly = 7 * model.parameters.smuggler_boats_per_day * 60
        demand = 1.0 + model.parameters.price_demand_elasticity * (queue / weekly - 1.0)
        enforcement = 1.0 + model.parameters.price_enforcement_elasticity * (
            model.levers.boat_seizure + 0.1 * (self.enforcement() - 1.0)
        )
        target = self.base_price * min(max(demand, 0.6), 2.0) * max(enforcement, 0.5)
        self.price += 0.1 * (target - self.price)

    def choose_boat(self, crossing: Crossing, waiting_people: float) -> tuple[BoatOption, int]:
        """Pick the boat and load (people) that pay best, with some randomness.

        A seized boat is a lost outlay and a lost launch. Boats bought and moored where
        patrols look are found more readily than boats made or inflated just before
        launch, so seizures cut the expected takings of big, dear boats most, and
        networks move to cheap, flimsy ones. Under the contested downgrade assumption,
        rescue nearby makes flimsy boats and heavy loads more attractive still.
        """
        model = self.model
        menu = self._menus[crossing.index]
        downgrade = model.assumptions.rescue_boat_downgrade * model.rescue_presence(crossing.route)
        # Every seized boat is an outlay lost: networks cram more people into each boat
        # that does leave, to make it back.
        seizure = model.levers.boat_seizure
        least_fill = 0.5 + 0.5 * seizure
        draw = model.random.random
        # A menu holds a handful of boats: a plain loop beats array arithmetic here.
        best, best_utility, best_load = menu[0], -math.inf, 1.0
        for boat in menu:
            # How full the boat would be loaded (a share of its overload), and a Gumbel
            # taste shock (draws are below 1; one of exactly 0 is taken as the least above).
            f = least_fill + (1.0 - least_fill) * draw()
            e = -math.log(-math.log(max(draw(), _TINY)))
            overload = min(
                (1.0 + (boat.max_overload - 1.0) * f) * (1 + 0.3 * downgrade), boat.max_overload
            )
            load = max(min(boat.rated * overload, waiting_people), 1.0)
            kept = 1.0 - boat.seizure_chance(seizure)
            profit = kept * self.price * load - boat.cost
            utility = profit / (self.base_price * 50) + 2.0 * downgrade * boat.flimsy + e
            if utility > best_utility:
                best, best_utility, best_load = boat, utility, load
        return best, int(math.ceil(best_load))

    def _launch(self, crossing: Crossing, waiting: int) -> None:
        """A boat for tonight, unless it is seized first."""
        model = self.model
        boat, load = self.choose_boat(crossing, waiting)
        if model.random.random() < boat.seizure_chance(model.levers.boat_seizure):
            model.count(crossing.route, "boats_seized", 1)
            return
        model.fleet.board(crossing, boat.name, load, self.price)


def guides_at_work(model: World, crossings: Sequence[Crossing]) -> np.ndarray:
    """For each land crossing, its guides free to lead groups tonight, relative to 2023.

    Land networks are no agents: their arrests are taken in the mean. A network arrested
    at a daily chance r and replaced after D days on average is free a share 1 / (1 + rD)
    of the time; the calibrated attempt rate holds that share at the 2023 partnership
    index, so the ratio moves it. levers.anti_smuggling is left out: it stands for the
    EU's arrests at sea hubs, which it has always meant.
    """
    p, partnership = model.parameters, model.levers.smuggling_partnership
    arrests = p.smuggler_arrest_rate * p.smuggler_replacement_days
    index = np.array([partnership.index(c.country) for c in crossings])
    return (1.0 + arrests) / (1.0 + index * arrests)
