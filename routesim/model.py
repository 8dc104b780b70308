"""The route model: migrants, smugglers, guards and rescuers over the route network.

The clock counts days; a step is a day, in which people set out, reach hubs, are
released and try again, smugglers launch boats and groups try land borders. What
happens at sea unfolds in hours on Mesa's event list between steps. A warm-up
before the scenario's start fills the routes, so that the first weeks of the
reported period do not start from empty hubs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import mesa
import numpy as np
import pandas as pd
from mesa.agentset import AgentSet

from routesim import resources
from routesim.beliefs import Beliefs
from routesim.boats import Fleet
from routesim.borders import BorderForces, land_attempts
from routesim.configs import scale_argument
from routesim.errors import ModelSetupError
from routesim.events import OneOffEvents
from routesim.geography import EU_MEMBERS, Geography, load_geography
from routesim.journeys import Crossing, Journeys
from routesim.migrants import State
from routesim.migration import Migration
from routesim.outcomes import OutcomeLedger
from routesim.push import PushSchedule, push_schedule
from routesim.rescue import RescueCoordination
from routesim.routes import AREA_OF_ROUTE, ROUTES
from routesim.scenario import Scenario
from routesim.smugglers import Smuggler, guides_at_work

__all__ = ["ModelSetupError", "RouteModel", "simulate"]


class RouteModel(mesa.Model):
    """Irregular migration over the four Action Plan routes for one scenario and seed."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        scale: float = 1.0,
        geography: Geography | None = None,
    ) -> None:
        scale = scale_argument(scale)
        super().__init__(rng=seed)
        #: Days stepped plus one-off events scheduled at sea (a measure of work done).
        self.events_scheduled = 0
        self.config = scenario
        self.levers = scenario.levers
        self.assumptions = scenario.assumptions
        self.parameters = scenario.parameters
        self.scale = scale
        self.geography = geography if geography is not None else load_geography()
        self.journeys = Journeys(self.geography)
        self.eu_members = frozenset(EU_MEMBERS)
        self.warmup = int(self.parameters.warmup_days)
        self.start = scenario.scenario.start - dt.timedelta(days=self.warmup)
        self.days = scenario.scenario.days
        self._today = -1
        self._date_of: tuple[int, dt.date] = (-1, self.start)
        self.ledger = OutcomeLedger(scenario.scenario.start, self.days)
        phases = scenario.phases()
        #: The timeline's changes still to come (those dated up to the warm-up's first day
        #: are in force from the start).
        self.phases = [phase for phase in phases if phase.date > self.start]
        started = [phase for phase in phases if phase.date <= self.start]
        if started:
            self.levers = started[-1].scenario.levers
            self.assumptions = started[-1].scenario.assumptions
        self.migration = Migration(self, _push(scenario))
        #: The population: rows of people and their states (the migrants' behaviour is
        #: on `migration`).
        self.migrants = self.migration.migrants
        self.beliefs = Beliefs(
            n_origins=len(self.journeys.place_ids),
            initial_risk=np.array([self.parameters.initial_risk[r] for r in ROUTES]),
            risk_prior=self.assumptions.risk_prior,
            delay_days=self.parameters.rumour_delay_days,
            weight=self.parameters.belief_weight,
            noise=self.parameters.rumour_noise,
            rng=self.rng,
        )
        self.guards = BorderForces(self)
        self.smugglers = self._smugglers()
        self._networks: list[Smuggler] = list(self.smugglers)
        self.rescue = RescueCoordination(self)
        self.fleet = Fleet(self)
        self.events = OneOffEvents(self, self.smugglers)
        self.land_crossings = [c for c in self.journeys.crossings if not c.sea]
        self.prices_today = np.zeros(len(self.journeys.crossings))
        #: What people expect to pay for each crossing where no network operates.
        self._unserved_prices = [
            self.parameters.base_price(c.country, c.route) * (1.5 if c.sea else 1.0)
            for c in self.journeys.crossings
        ]
        self.datacollector = mesa.DataCollector(
            model_reporters={s.name.lower(): _state_counter(s) for s in State}
        )

    # --- time ------------------------------------------------------------------------

    @property
    def day(self) -> int:
        """Days since the start of the warm-up (the step in progress, or the last one).

        Events at sea fall between two steps, so they belong to the last step's day.
        """
        return self._today

    @property
    def date(self) -> dt.date:
        """The calendar date of the current day."""
        day = self.day
        if day != self._date_of[0]:
            # Boats and smugglers ask many times a day; date arithmetic is not free.
            self._date_of = (day, self.start + dt.timedelta(days=day))
        return self._date_of[1]

    def sea_state(self, sea_area: str) -> float:
        """Sea-state multiplier of an area this month (1 = an average month)."""
        return self.parameters.sea_state.get(sea_area, _CALM)[self.date.month - 1]

    def run(self) -> pd.DataFrame:
        """Run the warm-up and the scenario period; return the daily outcome table."""
        self.run_for(self.warmup + self.days)
        return self.ledger.to_frame()

    def schedule_event(self, function, *, at=None, after=None, **kwargs):
        """Schedule a one-off event (see `mesa.Model.schedule_event`), counting it."""
        self.events_scheduled += 1
        return super().schedule_event(function, at=at, after=after, **kwargs)

    def person_days(self) -> float:
        """Person-days simulated so far (people times days in the run)."""
        return self.migrants.person_days(self.time - 1)

    def daily_so_far(self) -> pd.DataFrame:
        """The daily outcome table up to the last completed day of the scenario period."""
        done = self.day - self.warmup + 1
        daily = self.ledger.to_frame()
        return daily[daily["day"] < done]

    def waiting_by_place(self) -> dict[str, float]:
        """People waiting at each hub now (departure points and border crossings)."""
        waiting: dict[str, float] = defaultdict(float)
        for crossing in self.journeys.crossings:
            waiting[crossing.start] += float(self.migration.lines.lengths[crossing.index])
        return dict(waiting)

    def country_totals(self) -> pd.DataFrame:
        """Run totals by departure country (departures, partner interceptions, arrivals)."""
        return self.ledger.country_totals()

    def step(self) -> None:
        """One day on the routes."""
        self.events_scheduled += 1
        self.fleet.sail()
        self._today = day = int(self.time) - 1
        self._follow_timeline()
        self.migration.follow_push(self.date)
        self.migration.act_on_due()
        self.events.happen()
        self.prices_today = self._prices()
        self.migration.set_out()
        self.guards.patrol()
        self.smugglers.shuffle_do("act")
        self.fleet.launch()
        self.migration.move_away(self.land_crossings, self.guards.clear_camps(self.land_crossings))
        guides = guides_at_work(self, self.land_crossings)
        land_attempts(self, self.land_crossings, self.parameters.land_attempt_rate * guides)
        self.beliefs.update(day)
        self._record_stocks()
        self.datacollector.collect(self)

    def _follow_timeline(self) -> None:
        """Put in force the levers and assumptions of the timeline's changes due today."""
        while self.phases and self.phases[0].date <= self.date:
            phase = self.phases.pop(0)
            self.levers, self.assumptions = phase.scenario.levers, phase.scenario.assumptions
            self.rescue.station_vessels()

    # --- outcomes --------------------------------------------------------------------

    def count(self, route: str, metric: str, amount: float) -> None:
        """Add to today's count of a metric on a route (only within the scenario period)."""
        self.ledger.add(self.day - self.warmup, route, metric, amount)

    def count_routes(self, metric: str, amounts: np.ndarray) -> None:
        """Add each route's amount (in the order of `ROUTES`) to today's count of a metric."""
        self.ledger.add_routes(self.day - self.warmup, metric, amounts)

    def count_country(self, country: str, metric: str, amount: float) -> None:
        """Add to a run total counted by the departure country of a crossing."""
        self.ledger.add_country(self.day - self.warmup, country, metric, amount)

    def _record_stocks(self) -> None:
        day = self.day - self.warmup
        if day < 0:
            return
        counts = self.migrants.counts
        asked = self._asked_prices("route")
        for i, route in enumerate(ROUTES):
            self.ledger.set_stock(day, route, "waiting", counts[i, State.WAITING])
            self.ledger.set_stock(day, route, "at_sea", counts[i, State.AT_SEA])
            self.ledger.set_stock(day, route, "price", asked.get(route, np.nan))

    def _asked_prices(self, by: str) -> dict[str, float]:
        """Mean price asked by the networks operating now, per `by` ("hub" or "route")."""
        prices: dict[str, list[float]] = defaultdict(list)
        # Asked twice a day of every network: a plain loop over a list, not the AgentSet.
        for smuggler in self._networks:
            if smuggler.active:
                prices[smuggler.hub if by == "hub" else smuggler.route].append(smuggler.price)
        return {key: sum(values) / len(values) for key, values in prices.items()}

    # --- the smuggling market -------------------------------------------------------

    def _prices(self) -> np.ndarray:
        """Price per person of each crossing today: what its hub's networks ask.

        Where every network at a hub is under arrest, people expect to pay more.
        """
        asked = self._asked_prices("hub")
        return np.array(
            [
                asked.get(c.start, unserved)
                for c, unserved in zip(self.journeys.crossings, self._unserved_prices, strict=True)
            ]
        )

    def rescue_presence(self, route: str) -> float:
        """Rescue vessels on a route's sea, relative to 2023 (1 = as in 2023)."""
        return self.rescue.capacity(AREA_OF_ROUTE[route])

    # --- smugglers and one-off events ----------------------------------------------------

    def _smugglers(self) -> AgentSet:
        networks = AgentSet([], random=self.random)
        by_hub: dict[str, list[Crossing]] = defaultdict(list)
        for crossing in self.journeys.crossings:
            if crossing.sea:
                by_hub[crossing.start].append(crossing)
        for hub in sorted(by_hub):
            for _ in range(self.parameters.networks_per_hub):
                networks.add(Smuggler(self, hub, by_hub[hub]))
        return networks


_CALM = [1.0] * 12


def _push(scenario: Scenario) -> PushSchedule | None:
    """The scenario's push table, or None if its origins keep ``people_per_year``."""
    name = scenario.scenario.push
    if name is None:
        return None
    path = resources.find("push", f"{name}.csv")
    if path is None:
        raise ModelSetupError(f"scenario.push: no push table {name!r}")
    return push_schedule(path)


def _state_counter(state: State):
    def count(model: RouteModel) -> int:
        return int(model.migrants.counts[:, state].sum())

    return count


def simulate(
    scenario: Scenario, seed: int, scale: float = 1.0, geography: Geography | None = None
) -> pd.DataFrame:
    """Run one replicate of a scenario; return its daily outcome table."""
    return RouteModel(scenario, seed=seed, scale=scale, geography=geography).run()
