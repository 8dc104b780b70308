"""A small world for unit tests of the actors: what `routesim.world.World` asks, no more.

`StubWorld` has no geography, no other actors: each test says what the guards, rescuers
and the migrants' fates do, and reads back what the actor did. Every person is on
`CROSSING`. `MigrationWorld` is for the migrants themselves (`routesim.migration`): the
real `Migration` on the synthetic geodata's few places, with beliefs and prices.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import mesa
import numpy as np
from synthetic_geodata import LEGS, make_world, write_world

from routesim.beliefs import Beliefs
from routesim.boats import Fleet
from routesim.geography import Geography, load_geography
from routesim.journeys import Crossing, Journeys
from routesim.levers import Assumptions, Levers
from routesim.migrants import Migrants, State
from routesim.migration import Migration
from routesim.parameters import Origin, Parameters
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


def add_people(
    migrants: Migrants,
    n: int,
    per_row: int,
    crossing: Crossing,
    *,
    origin: int,
    place: int,
    state: State = State.WAITING,
) -> np.ndarray:
    """Rows for `n` people (`per_row` a row) from `origin` at `place`, on `crossing`."""
    heads = np.full(n // per_row, per_row, dtype=np.int32)
    rows = migrants.add(heads, origin=origin, place=place, state=state, day=0.0)
    route = ROUTES.index(crossing.route)
    migrants.plan(rows, np.full(len(rows), crossing.index), np.full(len(rows), route))
    return rows


class CountingWorld(mesa.Model):
    """Days on Mesa's clock, the default levers and assumptions, counts in a Counter."""

    def __init__(self, seed: int, parameters: Parameters, scale: float = 1.0) -> None:
        super().__init__(rng=seed)
        self.parameters = parameters
        self.levers = Levers()
        self.assumptions = Assumptions()
        self.scale = scale
        self.counts: Counter[tuple[str, str]] = Counter()

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


class StubWorld(CountingWorld):
    """Fates recorded as (what, people)."""

    def __init__(self, seed: int = 0, *, partner_stops: bool = False, **parameters) -> None:
        super().__init__(seed, Parameters().model_copy(update=parameters))
        self.migrants = Migrants()
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

    def sea_state(self, sea_area: str) -> float:
        return 1.0

    def people(self, n: int, per_row: int = 1) -> np.ndarray:
        """Rows for `n` people waiting at the hub of `CROSSING`."""
        return add_people(self.migrants, n, per_row, CROSSING, origin=0, place=0)

    def fate(self, what: str) -> int:
        """People who met a fate so far."""
        return sum(n for name, n in self.fates if name == what)

    def _fate(self, what: str, rows: np.ndarray) -> None:
        if len(rows):
            self.fates.append((what, self.migrants.headcount(rows)))


#: The synthetic world's legs, and a road from Sabha to Zuwara: people setting out from
#: Sabha can reach both crossings, Tripoli-Pozzallo and Zuwara-Lampedusa.
MIGRATION_LEGS = {**LEGS, "sabha__zuwara": ("land", [], True, False, "")}
#: Days of Mesa's clock start on this date (the choice's seasonal terms read the month).
START = dt.date(2023, 1, 1)


@cache
def migration_geography() -> Geography:
    """The synthetic geodata with `MIGRATION_LEGS`, loaded once for the whole session."""
    return load_geography(write_world(Path(tempfile.mkdtemp()), make_world(MIGRATION_LEGS)))


class MigrationWorld(CountingWorld):
    """A world for unit tests of `Migration`: one origin (Sabha), two sea crossings.

    Migration here is the real one; the rest is what it asks of the world: journeys on
    the synthetic geodata, beliefs, today's prices (one for every crossing, changed by
    the test). Beliefs start at a 1% risk on every route; news takes `RUMOUR_DAYS` to
    reach home and is not distorted. A step is a morning: people due today act.
    """

    RUMOUR_DAYS = 3

    def __init__(self, seed: int = 0, *, scale: float = 1.0, price: float = 1000.0, **parameters):
        defaults = Parameters(
            origins={"sabha": Origin(people_per_year=0.0)}, relocation_place={"LBY": "sabha"}
        )
        super().__init__(seed, defaults.model_copy(update=parameters), scale)
        self.journeys = Journeys(migration_geography())
        self.prices_today = np.full(len(self.journeys.crossings), price)
        self.beliefs = Beliefs(
            len(self.journeys.place_ids),
            initial_risk=np.full(len(ROUTES), 0.01),
            risk_prior=1.0,
            delay_days=self.RUMOUR_DAYS,
            weight=self.parameters.belief_weight,
            noise=0.0,
            rng=self.rng,
        )
        self.migration = Migration(self)
        self.migrants = self.migration.migrants

    def step(self) -> None:
        self.migration.act_on_due()

    @property
    def date(self) -> dt.date:
        return START + dt.timedelta(days=self.day)

    def rescue_presence(self, route: str) -> float:
        return 1.0

    def crossing(self, leg: str) -> Crossing:
        return next(c for c in self.journeys.crossings if c.leg == leg)

    def place(self, place_id: str) -> int:
        return self.journeys.place_index[place_id]

    def people(
        self, n: int, leg: str, *, per_row: int = 1, state: State = State.WAITING, **columns
    ) -> np.ndarray:
        """Rows for `n` people from Sabha at the hub of crossing `leg`, in `state`.

        `columns` set any other column of the rows (``means``, ``attempts``...).
        """
        crossing = self.crossing(leg)
        hub = self.place(crossing.start)
        rows = add_people(
            self.migrants, n, per_row, crossing, origin=self.place("sabha"), place=hub, state=state
        )
        for column, value in columns.items():
            getattr(self.migrants, column)[rows] = value
        return rows

    def bookings(self, days: int) -> dict[str, list[tuple[int, int]]]:
        """What the calendar holds for the next `days` days: (day, people) per booking, by kind.

        Empties the calendar up to then: call it when the test is done with the world.
        """
        booked: dict[str, list[tuple[int, int]]] = {}
        m = self.migrants
        for day in range(self.day + 1, self.day + days + 1):
            for what, rows in self.migration.calendar.pop(day).items():
                booked.setdefault(what, []).extend((day, int(n)) for n in m.people[rows])
        return booked
