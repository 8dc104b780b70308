"""The world the actors live in: what migrants, smugglers, guards and rescuers see.

The actors are typed against this small interface, not against the whole
`routesim.model.RouteModel`: it is what a test's stub world has to provide, and
what a change to the model must keep.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from routesim.beliefs import Beliefs
    from routesim.boats import Fleet
    from routesim.borders import BorderForces
    from routesim.geography import Geography
    from routesim.journeys import Journeys
    from routesim.levers import Assumptions, Levers
    from routesim.migrants import Migrants
    from routesim.migration import Migration
    from routesim.parameters import Parameters
    from routesim.rescue import RescueCoordination


class World(Protocol):
    """The model as its actors use it."""

    rng: np.random.Generator
    random: random.Random
    parameters: Parameters
    levers: Levers
    assumptions: Assumptions
    scale: float
    geography: Geography
    journeys: Journeys
    eu_members: frozenset[str]
    migrants: Migrants
    migration: Migration
    beliefs: Beliefs
    guards: BorderForces
    rescue: RescueCoordination
    fleet: Fleet
    prices_today: np.ndarray

    @property
    def time(self) -> float:
        """Mesa's clock: days, with events at sea falling between whole days."""
        ...

    @property
    def day(self) -> int:
        """Days since the start of the warm-up."""
        ...

    @property
    def date(self) -> dt.date:
        """The calendar date of the current day."""
        ...

    def count(self, route: str, metric: str, amount: float) -> None:
        """Add to today's count of a metric on a route."""
        ...

    def count_routes(self, metric: str, amounts: np.ndarray) -> None:
        """Add each route's amount (in the order of `ROUTES`) to today's count of a metric."""
        ...

    def count_country(self, country: str, metric: str, amount: float) -> None:
        """Add to a run total counted by departure country."""
        ...

    def schedule_event(self, function: Callable[[], None], *, at: float) -> object:
        """Run `function` at time `at` on the event list."""
        ...

    def sea_state(self, sea_area: str) -> float:
        """Sea-state multiplier of an area this month."""
        ...

    def rescue_presence(self, route: str) -> float:
        """Rescue vessels on a route's sea, relative to 2023."""
        ...
