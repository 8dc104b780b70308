"""A small world for unit tests of the actors: what `routesim.world.World` asks, no more.

No geography, no other actors: each test says what the guards, rescuers and the
migrants' fates do, and reads back what the actor did. Every person is on `CROSSING`.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import mesa
import numpy as np

from routesim.boats import Fleet
from routesim.journeys import Crossing
from routesim.levers import Assumptions, Levers
from routesim.migrants import Migrants, State
from routesim.parameters import Parameters
from routesim.routes import ROUTES

CROSSING = Crossing(
    index=0,
    leg="test_leg",
    start="test_hub",
    end="test_landing",
    route="central_med",
    sea=True,
    country="LBY",
    length_km=300.0,
    sea_area="libyan_sea",
    patrol_areas=(),
)


class StubWorld(mesa.Model):
    """Days on Mesa's clock, counts in a Counter, fates recorded as (what, people)."""

    def __init__(self, seed: int = 0, *, partner_stops: bool = False, **parameters) -> None:
        super().__init__(rng=seed)
        self.parameters = Parameters().model_copy(update=parameters)
        self.levers = Levers()
        self.assumptions = Assumptions()
        self.scale = 1.0
        self.migrants = Migrants()
        self.counts: Counter[tuple[str, str]] = Counter()
        self.fates: list[tuple[str, int]] = []
        self.guards = SimpleNamespace(
            intercept_at_sea=lambda crossings: np.full(len(crossings), partner_stops),
            meet_landings=lambda crossings: (
                np.zeros(len(crossings), dtype=bool),
                np.ones(len(crossings), dtype=bool),
            ),
            turned_back_share=lambda routes: np.zeros(len(routes)),
        )
        self.rescue = SimpleNamespace(encounter=lambda boat, at: None, respond=lambda boat: None)
        self.migration = SimpleNamespace(
            land_detected=lambda rows: self._fate("landed", rows),
            arrive_unseen=lambda rows: self._fate("landed unseen", rows),
            push_back=lambda rows: self._fate("pushed back", rows),
            lose=lambda rows, state: self._fate(State(state).name.lower(), rows),
            partner_stop=lambda rows, before_launch: self._fate("stopped", rows),
            count_people=lambda rows, metric: self.count(
                CROSSING.route, metric, self.migrants.headcount(rows)
            ),
            count_by_country=lambda rows, metric: self.count_country(
                CROSSING.country, metric, self.migrants.headcount(rows)
            ),
        )
        self.fleet = Fleet(self)

    def step(self) -> None:
        self.fleet.sail()

    @property
    def day(self) -> int:
        return int(self.time)

    def count(self, route: str, metric: str, amount: float) -> None:
        self.counts[route, metric] += amount

    def count_routes(self, metric: str, amounts: np.ndarray) -> None:
        for route, amount in zip(ROUTES, amounts, strict=False):
            if amount:
                self.counts[route, metric] += amount

    def count_country(self, country: str, metric: str, amount: float) -> None:
        self.counts[country, metric] += amount

    def sea_state(self, sea_area: str) -> float:
        return 1.0

    def people(self, n: int, per_row: int = 1) -> np.ndarray:
        """Rows for `n` people waiting at the hub of `CROSSING`."""
        heads = np.full(n // per_row, per_row, dtype=np.int32)
        rows = self.migrants.add(heads, origin=0, place=0, state=State.WAITING, day=0.0)
        route = ROUTES.index(CROSSING.route)
        self.migrants.plan(rows, np.full(len(rows), CROSSING.index), np.full(len(rows), route))
        return rows

    def fate(self, what: str) -> int:
        """People who met a fate so far."""
        return sum(n for name, n in self.fates if name == what)

    def _fate(self, what: str, rows: np.ndarray) -> None:
        if len(rows):
            self.fates.append((what, self.migrants.headcount(rows)))
