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
from collections.abc import Callable

import mesa
import numpy as np
import pandas as pd
from mesa.agentset import AgentSet

from routesim import beliefs as rumours
from routesim.beliefs import Beliefs
from routesim.borders import BorderGuardUnit, land_attempts
from routesim.errors import RoutesimError
from routesim.geography import EU_MEMBERS, Geography, load_geography
from routesim.journeys import Crossing, Journeys
from routesim.levers import PARTNER_ISO3
from routesim.migrants import Calendar, Migrants, State, WaitingLine
from routesim.outcomes import OutcomeLedger
from routesim.rescue import AREA_OF_ROUTE, RescueCoordination
from routesim.routes import ROUTES
from routesim.scenario import Scenario
from routesim.smugglers import Smuggler

_PARTNER_LEVER = {iso3: name for name, iso3 in PARTNER_ISO3.items()}
SURGE_DATE = (9, 11)
INSTRUMENTALISATION_DATE = (3, 1)


class ModelSetupError(RoutesimError, ValueError):
    """The scenario does not fit the geodata (e.g. an origin that is not a place)."""


class RouteModel(mesa.Model):
    """Irregular migration over the four Action Plan routes for one scenario and seed."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        scale: float = 1.0,
        geography: Geography | None = None,
    ) -> None:
        if not scale >= 1:
            raise ModelSetupError(f"scale: expected at least 1 person per agent row, got {scale!r}")
        super().__init__(rng=seed)
        self.events_processed = 0
        self.config = scenario
        self.levers = scenario.levers
        self.assumptions = scenario.assumptions
        self.p = scenario.parameters
        self.scale = float(scale)
        self.geography = geography if geography is not None else load_geography()
        self.journeys = Journeys(self.geography)
        self.eu_members = frozenset(EU_MEMBERS)
        self.warmup = int(self.p.warmup_days)
        self.start = scenario.scenario.start - dt.timedelta(days=self.warmup)
        self.days = scenario.scenario.days
        self._today = -1
        self._date_of: tuple[int, dt.date] = (-1, self.start)
        self.ledger = OutcomeLedger(scenario.scenario.start, self.days)
        self.migrants = Migrants()
        self.calendar = Calendar()
        self.lines = {c.index: WaitingLine(self.migrants) for c in self.journeys.crossings}
        self.origins = self._origins()
        self.beliefs = Beliefs(
            n_origins=len(self.journeys.place_ids),
            initial_risk=np.array([self.p.initial_risk[r] for r in ROUTES]),
            risk_prior=self.assumptions.risk_prior,
            delay_days=self.p.rumour_delay_days,
            weight=self.p.belief_weight,
            noise=self.p.rumour_noise,
            rng=self.rng,
        )
        self.guards = self._guards()
        self.smugglers = self._smugglers()
        self.rescue = RescueCoordination(self)
        self.land_crossings = [c for c in self.journeys.crossings if not c.sea]
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
        return self.p.sea_state.get(sea_area, _CALM)[self.date.month - 1]

    def _seasonal(self, route: str, month: int) -> float:
        """Seasonal term (log scale) of the propensity to set out on a route, by month."""
        p, angle = self.p, 2 * np.pi * month / 12
        return (
            p.seasonal_cos[route] * np.cos(angle)
            + p.seasonal_sin[route] * np.sin(angle)
            + p.seasonal_cos2[route] * np.cos(2 * angle)
            + p.seasonal_sin2[route] * np.sin(2 * angle)
        )

    def run(self) -> pd.DataFrame:
        """Run the warm-up and the scenario period; return the daily outcome table."""
        self.run_for(self.warmup + self.days)
        return self.ledger.to_frame()

    def schedule_event(self, function, *, at=None, after=None, **kwargs):
        """Schedule a one-off event (see `mesa.Model.schedule_event`), counting it."""
        self.events_processed += 1
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
            waiting[crossing.start] += self.lines[crossing.index].length
        return dict(waiting)

    def country_totals(self) -> pd.DataFrame:
        """Run totals by departure country (departures, partner interceptions, arrivals)."""
        return self.ledger.country_totals()

    def step(self) -> None:
        """One day on the routes."""
        self.events_processed += 1
        self._today = day = int(self.time) - 1
        due = self.calendar.pop(day)
        self._reach_hubs(due.get("hub"))
        self._release(due.get("release"))
        self._return_home(due.get("return"))
        self._one_off_events()
        self._prices_today = self._prices()
        self._set_out()
        self.guards.do("patrol")
        self.smugglers.shuffle_do("act")
        for crossing in self.land_crossings:
            land_attempts(self, crossing, self.p.land_attempt_rate)
        self.beliefs.update(day)
        self._record_stocks()
        self.datacollector.collect(self)

    # --- outcomes --------------------------------------------------------------------

    def count(self, route: str, metric: str, amount: float) -> None:
        """Add to today's count of a metric on a route (only within the scenario period)."""
        self.ledger.add(self.day - self.warmup, route, metric, amount)

    def leave_line(self, crossing: Crossing, people: int) -> np.ndarray:
        """Take up to `people` from the front of a crossing's line, counting their wait."""
        rows = self.lines[crossing.index].take(people)
        m = self.migrants
        heads = m.people[rows]
        self.count(crossing.route, "waiting_days", float(np.dot(self.day - m.since[rows], heads)))
        self.count(crossing.route, "repeat_attempts", int(heads[m.attempts[rows] > 0].sum()))
        return rows

    def count_country(self, country: str, metric: str, amount: float) -> None:
        """Add to a run total counted by the departure country of a crossing."""
        self.ledger.add_country(self.day - self.warmup, country, metric, amount)

    def hear(
        self, rows: np.ndarray, crossing: Crossing, *, success: bool = False, death: bool = False
    ) -> None:
        """Let the travellers' origins hear how they fared, after a delay."""
        outcome = rumours.SUCCESS if success else rumours.DEATH if death else rumours.FAILURE
        origins = self.migrants.origin[rows].astype(np.int64)
        people = self.migrants.people[rows]
        self.beliefs.hear(self.day, origins, ROUTES.index(crossing.route), outcome, people)

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
        for smuggler in self.smugglers:
            if smuggler.active:
                prices[getattr(smuggler, by)].append(smuggler.price)
        return {key: sum(values) / len(values) for key, values in prices.items()}

    # --- people setting out and choosing a crossing -------------------------------------

    def _origins(self) -> list[tuple[int, object]]:
        index = self.journeys.place_index
        unknown = [pid for pid in self.p.origins if pid not in index]
        if unknown:
            raise ModelSetupError(
                f"parameters.origins.{unknown[0]}: not a place in the geodata "
                f"(expected a place id such as {sorted(index)[0]!r})"
            )
        return [(index[pid], origin) for pid, origin in self.p.origins.items()]

    def _set_out(self) -> None:
        """Today's would-be migrants weigh the crossings against staying; some set out."""
        places, medians, people, resettle = self._would_be_migrants()
        n = len(places)
        if n == 0:
            return
        means = self.rng.lognormal(np.log(medians), 0.6)
        risk_aversion = self.rng.uniform(0.5, 1.5, n)
        informed = self.rng.random(n) < self.levers.information_campaign
        source, choice, heads = self._choose(
            places, places, means, risk_aversion, informed, people, stay=True
        )
        going = choice >= 0
        source, crossings = source[going], choice[going]
        rows = self.migrants.add(
            heads[going],
            origin=places[source],
            place=places[source],
            state=State.AT_ORIGIN,
            day=self.day,
            means=means[source],
            risk_aversion=risk_aversion[source],
            informed=informed[source],
        )
        routes = self.journeys.route[crossings]
        self.migrants.plan(rows, crossings, routes)
        # Resettlement places go to people who would otherwise have set out irregularly.
        resettled = [
            self.migrants.first(rows[places[source] == place], available)[0]
            for place, available in resettle.items()
            if available > 0
        ]
        if resettled:
            legal = np.concatenate(resettled)
            self.migrants.move(legal, State.LEGAL_PATHWAY, self.day)
            self.count_people(legal, "legal_pathway")
            rows = rows[~np.isin(rows, legal)]
        self._travel(rows, self.migrants.crossing[rows])

    def _would_be_migrants(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, int]]:
        """Today's rows of people weighing a move, and resettlement places per origin.

        Returns:
            Each row's origin, median means and head count, and the resettlement places
            (people) of each origin that has any.
        """
        places, medians, people = [], [], []
        resettle: dict[int, int] = {}
        for place, origin in self.origins:
            rate = origin.people_per_year / 365.0
            if origin.visa_free_entry:
                rate *= 1.0 - self.levers.visa_alignment
            heads = self.rows_of(int(self.rng.poisson(rate)))
            places.append(np.full(len(heads), place))
            medians.append(np.full(len(heads), origin.means_median))
            people.append(heads)
            if origin.resettlement_share > 0:
                resettle[place] = int(
                    self.rng.poisson(
                        self.levers.resettlement_places * origin.resettlement_share / 365.0
                    )
                )
        return np.concatenate(places), np.concatenate(medians), np.concatenate(people), resettle

    def rows_of(self, people: int) -> np.ndarray:
        """Head counts of the rows that `people` people setting out together make.

        As few rows as the scale allows, as even as possible: the number of people
        does not depend on the scale, only how finely they are grouped.
        """
        n_rows = min(int(np.ceil(people / self.scale)), people)
        if n_rows == 0:
            return np.empty(0, dtype=np.int32)
        base, extra = divmod(people, n_rows)
        heads = np.full(n_rows, base, dtype=np.int32)
        heads[:extra] += 1
        return heads

    def count_people(self, rows: np.ndarray, metric: str) -> None:
        """Count the people of `rows` on each of their routes."""
        if len(rows) == 0:
            return
        m = self.migrants
        per_route = np.bincount(
            m.route[rows].astype(np.int64), weights=m.people[rows], minlength=len(ROUTES)
        )
        for r in np.flatnonzero(per_route[: len(ROUTES)]):
            self.count(ROUTES[r], metric, float(per_route[r]))

    def _choose(
        self,
        origins: np.ndarray,
        places: np.ndarray,
        means: np.ndarray,
        risk_aversion: np.ndarray,
        informed: np.ndarray,
        people: np.ndarray,
        *,
        stay: bool,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each person's crossing (index), or -1 for staying, by random utility.

        Utilities are worked out for every row over every crossing at once; crossings
        a person cannot reach from where they are count as minus infinity. The people
        of a row share its attributes but choose each for themselves, so a row may
        split between crossings.

        Returns:
            Pieces of the rows: each piece's row (its position in the arguments), its
            choice and its head count; one piece per row at one person per row.
        """
        p, j = self.p, self.journeys
        true_risk = self.beliefs.true_risk()
        accuracy = self.assumptions.risk_perception_accuracy
        month = self.date.month - 1
        route_terms = np.array(
            [
                p.route_preference[r]
                + self._seasonal(r, month)
                + self.assumptions.rescue_pull * (self.rescue_presence(r) - 1.0)
                for r in ROUTES
            ]
        )
        route = j.route.astype(np.intp)
        perceived = np.where(
            informed[:, None],
            true_risk[None, :],
            accuracy * true_risk[None, :] + (1 - accuracy) * self.beliefs.risk[origins],
        )
        # Terms are divided by the taste-shock scale where they are small (per place and
        # crossing, per person and route) before they meet in the people x crossings table.
        noise = p.choice_noise
        # distance_km is infinite where a crossing is out of reach: its utility is -inf.
        reach = (
            route_terms[route] - p.distance_weight * j.distance_km / 1000.0 - 0.3 * j.flights
        ) / noise
        personal = (
            p.success_weight * self.beliefs.success[origins]
            - p.risk_weight * risk_aversion[:, None] * perceived
        ) / noise
        # The big table is crossings x people in single precision: whole rows of people
        # at a time are quicker to sum up, and choice probabilities need no more.
        f32 = np.float32
        utility = reach.T.astype(f32)[:, places]
        utility += personal.T.astype(f32)[route]
        utility -= np.outer(
            self._prices_today.astype(f32), (p.price_weight / noise / means).astype(f32)
        )
        stay_utility = p.stay_utility / noise if stay else None
        return _logit_split(utility, people, self.rng, stay=stay_utility)

    def _prices(self) -> np.ndarray:
        """Price per person of each crossing today: what its hub's networks ask.

        Where every network at a hub is under arrest, people expect to pay more.
        """
        asked = self._asked_prices("hub")
        return np.array(
            [
                asked[c.start]
                if c.start in asked
                else self.p.base_price(c.country, c.route) * (1.5 if c.sea else 1.0)
                for c in self.journeys.crossings
            ]
        )

    def _travel(self, rows: np.ndarray, crossings: np.ndarray) -> None:
        """Send people overland (or by air) to their crossing's hub."""
        if len(rows) == 0:
            return
        places = self.migrants.place[rows]
        km = self.journeys.distance_km[places, crossings]
        days = km / self.p.overland_km_per_day + self.journeys.flights[places, crossings]
        self.migrants.move(rows, State.TRAVELLING, self.day)
        self.count_people(rows, "set_out")
        self._book(rows, "hub", lambda row: days[row] * self.rng.uniform(0.8, 1.2, len(row)) + 1)

    def _book(
        self, rows: np.ndarray, what: str, delays: Callable[[np.ndarray], np.ndarray]
    ) -> float:
        """Book the people of `rows` for `what`, each piece of a row after its own delay.

        `delays` gives one delay (days) per piece, given each piece's row (its position
        in `rows`). A row of many people is split into up to `DELAY_PIECES` pieces per
        `scale` people, so that it does not reach a hub as one crowd; pieces are never
        smaller than that, so that rows that are booked again and again (people pushed
        back many times) do not crumble into single people.

        Returns:
            The people's delays added up (person-days).
        """
        if len(rows) == 0:
            return 0.0
        heads = self.migrants.people[rows]
        if heads.max() == 1:
            piece_delays = delays(np.arange(len(rows)))
            self.calendar.add(self.day + piece_delays, rows, what)
            return float(piece_delays.sum())
        n_pieces = np.minimum(heads, np.ceil(heads * DELAY_PIECES / self.scale)).astype(np.int64)
        owner = np.repeat(np.arange(len(rows)), n_pieces)
        # Each row's people shared out as evenly as its pieces allow.
        rank = np.arange(len(owner)) - np.repeat(np.cumsum(n_pieces) - n_pieces, n_pieces)
        base, extra = np.divmod(heads, n_pieces)
        people = (base[owner] + (rank < extra[owner])).astype(np.int32)
        booked = self.migrants.share_out(rows, owner, people)
        piece_delays = delays(owner)
        self.calendar.add(self.day + piece_delays, booked, what)
        return float(np.dot(piece_delays, people))

    def _reach_hubs(self, rows: np.ndarray | None) -> None:
        if rows is None:
            return
        crossings = self.migrants.crossing[rows]
        self.migrants.move(rows, State.WAITING, self.day, self.journeys.start[crossings])
        self._join_lines(rows, crossings)

    def _join_lines(self, rows: np.ndarray, crossings: np.ndarray) -> None:
        if len(rows) and crossings.min() == crossings.max():
            self.lines[int(crossings[0])].join(rows)
            return
        order = np.argsort(crossings, kind="stable")
        rows, crossings = rows[order], crossings[order]
        for start, end in _runs(crossings):
            self.lines[int(crossings[start])].join(rows[start:end])

    def _release(self, rows: np.ndarray | None) -> None:
        """People freed after an interception or a push-back: retry, switch or give up."""
        if rows is None or len(rows) == 0:
            return
        m = self.migrants
        give_up = np.minimum(self.p.give_up_per_attempt * m.attempts[rows], 0.9)
        quitting, rows = m.draw(rows, give_up, self.rng)
        self.count_people(quitting, "gave_up")
        m.move(quitting, State.GAVE_UP, self.day)
        rethink, staying = m.draw(rows, self.assumptions.route_switching, self.rng)
        if len(rethink):
            source, choice, heads = self._choose(
                m.origin[rethink].astype(np.int64),
                m.place[rethink].astype(np.int64),
                m.means[rethink],
                m.risk_aversion[rethink],
                m.informed[rethink],
                m.people[rethink],
                stay=False,
            )
            rethink = m.share_out(rethink, source, heads)
            keep = choice < 0
            choice = np.where(keep, m.crossing[rethink], choice)
            moved = choice != m.crossing[rethink]
            self.count_people(rethink[moved], "switched_crossing")
            m.plan(rethink, choice, self.journeys.route[choice])
            self._travel(rethink[moved], choice[moved])
            staying = np.concatenate([staying, rethink[~moved]])
        rows = staying
        m.move(rows, State.WAITING, self.day)
        self._join_lines(rows, m.crossing[rows])

    def _return_home(self, rows: np.ndarray | None) -> None:
        if rows is None or len(rows) == 0:
            return
        m = self.migrants
        self.count_people(rows, "returns")
        m.move(rows, State.AT_ORIGIN, self.day, m.origin[rows])

    # --- fates at the border ---------------------------------------------------------

    def arrive(self, rows: np.ndarray, crossing: Crossing) -> None:
        """Detected arrivals in the EU; some are later returned home."""
        if len(rows) == 0:
            return
        self.migrants.move(rows, State.ARRIVED, self.day, self.journeys.place_index[crossing.end])
        people = self.migrants.headcount(rows)
        self.count(crossing.route, "arrivals", people)
        self.count_country(crossing.country, "arrivals", people)
        self.hear(rows, crossing, success=True)
        share = self.p.return_decision_share * self.levers.return_effectiveness
        returned, _ = self.migrants.draw(rows, share, self.rng)
        self._book(
            returned, "return", lambda row: self.rng.exponential(self.p.return_delay_days, len(row))
        )

    def land(self, rows: np.ndarray, crossing: Crossing) -> None:
        """A boat reaches the EU coast."""
        route = crossing.route
        people = self.migrants.headcount(rows)
        guards = self.eu_guards(crossing)
        if guards is not None and guards.catches(self.p.eu_sea_interception[route]):
            self.count(route, "eu_interceptions", people)
            self.count(route, "detections", people)
            pushed, admitted = self.migrants.draw(rows, self.p.pushback_share[route], self.rng)
            self.push_back(pushed, crossing)
            self.arrive(admitted, crossing)
            return
        seen = (
            guards.catches(self.p.sea_detection[route])
            if guards is not None
            else (self.rng.random() < self.p.sea_detection[route])
        )
        if seen:
            self.count(route, "detections", people)
            self.arrive(rows, crossing)
        else:
            self.count(route, "undetected_arrivals", people)
            self.migrants.move(
                rows, State.ARRIVED_UNDETECTED, self.day, self.journeys.place_index[crossing.end]
            )
            self.hear(rows, crossing, success=True)

    def land_rescued(self, rows: np.ndarray, crossing: Crossing) -> None:
        """Rescued people landed at an EU port are registered: detected crossings."""
        self.count(crossing.route, "detections", self.migrants.headcount(rows))
        self.arrive(rows, crossing)

    def push_back(self, rows: np.ndarray, crossing: Crossing) -> None:
        """People sent back over the border they crossed; they will try again."""
        if len(rows) == 0:
            return
        self.migrants.move(
            rows, State.RETURNED, self.day, self.journeys.place_index[crossing.start]
        )
        self.hear(rows, crossing)
        delays = self._book(
            rows, "release", lambda row: 1 + self.rng.exponential(self.p.retry_days, len(row))
        )
        # Back at the hub after a push-back, waiting to cross again.
        self.count(crossing.route, "waiting_days", delays)

    def partner_stop(self, rows: np.ndarray, crossing: Crossing, *, before_launch: bool) -> None:
        """Partner forces stop people and hold them for a while before release."""
        people = self.migrants.headcount(rows)
        self.count(crossing.route, "partner_interceptions", people)
        self.count_country(crossing.country, "partner_interceptions", people)
        if before_launch:
            self.count(crossing.route, "departures_prevented", people)
        self.migrants.move(
            rows, State.RETURNED, self.day, self.journeys.place_index[crossing.start]
        )
        self.hear(rows, crossing)
        self._book(
            rows, "release", lambda row: 1 + self.rng.exponential(self.p.detention_days, len(row))
        )

    def lose(self, rows: np.ndarray, crossing: Crossing, state: State) -> None:
        """People who die on a crossing (a body recovered) or go missing."""
        if len(rows) == 0:
            return
        self.migrants.move(rows, state, self.day)
        metric = "dead" if state == State.DEAD else "missing"
        self.count(crossing.route, metric, self.migrants.headcount(rows))
        self.hear(rows, crossing, death=True)

    # --- guards and rescuers -----------------------------------------------------------

    def _guards(self) -> AgentSet:
        units = AgentSet([], random=self.random)
        self._units: dict[str, BorderGuardUnit] = {}
        self._partner_units: dict[tuple[str, int | None], BorderGuardUnit | None] = {}
        self._eu_units: dict[int, BorderGuardUnit | None] = {}
        for area, row in self.geography.patrol_areas.iterrows():
            unit = BorderGuardUnit(self, area, row["kind"], row["force"], row["country"])
            units.add(unit)
            self._units[area] = unit
        return units

    def eu_guards(self, crossing: Crossing) -> BorderGuardUnit | None:
        """The EU unit watching the EU end of a crossing."""
        if crossing.index not in self._eu_units:
            eu = [self._units[a] for a in crossing.patrol_areas if self._units[a].force == "eu"]
            self._eu_units[crossing.index] = eu[-1] if eu else None
        return self._eu_units[crossing.index]

    def partner_guards(
        self, country: str, crossing: Crossing | None = None
    ) -> BorderGuardUnit | None:
        """The partner unit of `country` on a crossing, or any of that country's units."""
        key = (country, crossing.index if crossing else None)
        if key not in self._partner_units:
            self._partner_units[key] = self._find_partner_guards(country, crossing)
        return self._partner_units[key]

    def _find_partner_guards(
        self, country: str, crossing: Crossing | None
    ) -> BorderGuardUnit | None:
        on_leg = [
            self._units[a]
            for a in (crossing.patrol_areas if crossing else ())
            if self._units[a].force == "partner" and self._units[a].country == country
        ]
        if on_leg:
            return on_leg[0]
        anywhere = [
            u for u in self._units.values() if u.force == "partner" and u.country == country
        ]
        return anywhere[0] if anywhere else None

    def _partner_catches(
        self, country: str, chances: dict[str, float], levers: object, crossing: Crossing | None
    ) -> bool:
        if country not in chances:
            return False
        unit = self.partner_guards(country, crossing)
        if unit is None:
            return False
        lever = _PARTNER_LEVER.get(country)
        index = getattr(levers, lever) if lever else 1.0
        return unit.catches(chances[country], index)

    def prevented_before_launch(self, crossing: Crossing) -> bool:
        """Whether partner forces stop a boat on the beach."""
        return self._partner_catches(
            crossing.country,
            self.p.departure_prevention,
            self.levers.departure_prevention,
            crossing,
        )

    def partner_intercepts_at_sea(self, crossing: Crossing) -> bool:
        """Whether the partner coast guard intercepts a boat off its coast."""
        return self._partner_catches(
            crossing.country, self.p.partner_interception, self.levers.partner_coast_guard, crossing
        )

    def partner_guards_respond(self, country: str) -> bool:
        """Whether a partner coast guard answers a distress call in its own SAR region."""
        return self._partner_catches(
            country, self.p.partner_interception, self.levers.partner_coast_guard, None
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
            for _ in range(self.p.networks_per_hub):
                networks.add(Smuggler(self, hub, by_hub[hub]))
        return networks

    def _one_off_events(self) -> None:
        date = self.date
        if (date.month, date.day) == SURGE_DATE and self.levers.lampedusa_surge > 0:
            self._surge()
        if (
            date.month,
            date.day,
        ) == INSTRUMENTALISATION_DATE and self.levers.instrumentalisation > 0:
            self._instrumentalise()

    def _surge(self) -> None:
        """The September 2023 surge: crowds at Sfax and Zuwara, every boat launched."""
        hubs = [
            c
            for c in self.journeys.crossings
            if c.route == "central_med" and c.sea and c.country in ("TUN", "LBY")
        ]
        self._crowd(hubs, self.levers.lampedusa_surge)
        for smuggler in self.smugglers:
            if any(smuggler.hub == c.start for c in hubs):
                smuggler.surge_until = self.day + 3

    def _instrumentalise(self) -> None:
        """People moved by a neighbouring state to the Evros land border."""
        evros = [c for c in self.land_crossings if c.route == "eastern_med" and c.country == "TUR"]
        self._crowd(evros, self.levers.instrumentalisation)

    def _crowd(self, crossings: list[Crossing], people: float) -> None:
        if not crossings:
            return
        shares = np.full(len(crossings), 1.0 / len(crossings))
        per_crossing = self.rng.multinomial(int(round(people)), shares)
        for crossing, count in zip(crossings, per_crossing.tolist(), strict=True):
            heads = self.rows_of(count)
            if len(heads) == 0:
                continue
            hub = self.journeys.place_index[crossing.start]
            rows = self.migrants.add(
                heads,
                origin=hub,
                place=hub,
                state=State.WAITING,
                day=self.day,
                means=np.full(len(heads), 2000.0),
            )
            self.migrants.plan(
                rows,
                np.full(len(heads), crossing.index),
                np.full(len(heads), ROUTES.index(crossing.route)),
            )
            self.lines[crossing.index].join(rows)


_CALM = [1.0] * 12
#: Pieces per `scale` people into which a row is split when its people are booked.
DELAY_PIECES = 8
#: Above this many people choosing at once, cumulative sums go row by row.
_MANY_PEOPLE = 400


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """Start and end of each run of equal values in a sorted array."""
    if len(values) == 0:
        return []
    bounds = (np.flatnonzero(np.diff(values)) + 1).tolist()
    return list(zip([0, *bounds], [*bounds, len(values)], strict=True))


def _logit_draw(utility: np.ndarray, rng: np.random.Generator, *, stay: float | None) -> np.ndarray:
    """Each person's pick, the best option after Gumbel taste shocks (unit scale).

    `utility` holds options x people. The best option after adding independent Gumbel
    shocks follows the multinomial logit probabilities, so one uniform draw per person
    against the cumulative probabilities replaces a Gumbel draw per person and option.
    Options at minus infinity are never picked. With a `stay` utility, staying is one
    more option, returned as -1; a person with no option left also gets -1.
    """
    top = utility.max(axis=0)
    if stay is not None:
        top = np.maximum(top, stay)
    some = np.isfinite(top)
    top = np.where(some, top, 0.0).astype(utility.dtype)
    cumulative = np.exp(utility - top)
    if cumulative.shape[1] > _MANY_PEOPLE:
        # For many people, row by row beats numpy's cumsum along the axis several times.
        for k in range(1, len(cumulative)):
            cumulative[k] += cumulative[k - 1]
    else:
        cumulative = np.cumsum(cumulative, axis=0)
    total = cumulative[-1]
    if stay is not None:
        total = total + np.exp(stay - top)
    draw = (rng.random(utility.shape[1]) * total).astype(utility.dtype)
    pick = np.count_nonzero(cumulative <= draw, axis=0)
    if stay is None:
        # Rounding can put a draw at the very total: take the last option with any weight.
        pick = np.minimum(pick, np.argmax(cumulative >= total, axis=0))
    return np.where(some & (pick < len(utility)), pick, -1)


def _logit_split(
    utility: np.ndarray, people: np.ndarray, rng: np.random.Generator, *, stay: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's pick among options x rows of `utility`, per row's `people`.

    One-person rows draw as `_logit_draw`. The people of a larger row are shared out
    over the options by a multinomial draw on the row's logit probabilities, so that
    a row of many people chooses as many people would, not as one.

    Returns:
        Pieces: each one's row (column of `utility`), pick (-1 to stay, or where no
        option is left) and head count.
    """
    single = people == 1
    if single.all():
        return np.arange(len(people)), _logit_draw(utility, rng, stay=stay), people
    one = np.flatnonzero(single)
    many = np.flatnonzero(~single)
    weights = utility[:, many].astype(np.float64)
    top = weights.max(axis=0)
    if stay is not None:
        top = np.maximum(top, stay)
    some = np.isfinite(top)
    top = np.where(some, top, 0.0)
    weights = np.exp(weights - top)
    # The last column is staying (or, with nowhere left to go, keeping the plan).
    leave = np.zeros(len(many)) if stay is None else np.exp(stay - top)
    weights = np.vstack([weights, np.where(some, leave, 1.0)]).T
    counts = rng.multinomial(people[many], weights / weights.sum(axis=1, keepdims=True))
    row, option = np.nonzero(counts)
    picks = np.where(option == len(utility), -1, option)
    return (
        np.concatenate([one, many[row]]),
        np.concatenate([_logit_draw(utility[:, one], rng, stay=stay), picks]),
        np.concatenate([people[one], counts[row, option]]).astype(np.int32),
    )


def _state_counter(state: State):
    def count(model: RouteModel) -> int:
        return int(model.migrants.counts[:, state].sum())

    return count


def simulate(
    scenario: Scenario, seed: int, scale: float = 1.0, geography: Geography | None = None
) -> pd.DataFrame:
    """Run one replicate of a scenario; return its daily outcome table."""
    return RouteModel(scenario, seed=seed, scale=scale, geography=geography).run()
