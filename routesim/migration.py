"""Migration: what the migrants decide and what befalls them.

The migrants are a population (`routesim.migrants.Migrants`, a column store of rows
of people), not one Mesa agent per person; their behaviour is here, on `Migration`:
each day some set out, choosing a crossing against staying home; they travel to its
hub, wait in line for a boat or a night at the border, and meet their fates there
(arrival, interception, push-back, death); those freed after an interception retry,
switch crossings or give up. They travel in boats (`routesim.boats.Fleet`) or in
guided groups over a land border (`routesim.borders.land_attempts`). Fates act on rows
of people on any crossings at once: each row carries the crossing it is on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from routesim import beliefs as rumours
from routesim.choice import logit_split
from routesim.errors import ModelSetupError
from routesim.migrants import Calendar, Migrants, State, WaitingLines
from routesim.routes import ROUTES

if TYPE_CHECKING:
    from routesim.journeys import Crossing
    from routesim.parameters import Origin
    from routesim.push import PushSchedule
    from routesim.world import World

#: Pieces per `scale` people into which a row is split when its people are booked.
DELAY_PIECES = 8
#: Least money (EUR) a person is left with: route choice weighs prices against means.
MIN_MEANS = 1.0
#: Highest chance of giving up after one failed attempt: some always try again.
MAX_GIVE_UP = 0.9


class Migration:
    """The migrants' decisions and fates, acting on the rows of the population."""

    def __init__(self, model: World, push: PushSchedule | None = None) -> None:
        self.model = model
        self.migrants = Migrants()
        self.calendar = Calendar()
        self.lines = WaitingLines(self.migrants, len(model.journeys.crossings))
        self.origins = self._origins()
        self._check_relocation_places()
        self.push = push
        self._push_month: tuple[int, int] | None = None
        #: Would-be migrants a day at each origin (of `origins`), before any lever.
        self.per_day = [origin.people_per_year / 365.0 for _, _, origin in self.origins]
        #: People at each origin who put off leaving while borders were closed.
        self.postponed = np.zeros(len(self.origins), dtype=np.int64)

    def follow_push(self, date: dt.date) -> None:
        """Take the month's would-be migrants per origin from the push table, if any.

        Origins or months the table does not have keep ``people_per_year``.
        """
        if self.push is None or (date.year, date.month) == self._push_month:
            return
        self._push_month = (date.year, date.month)
        self.per_day = [
            origin.people_per_year / 365.0
            if (rate := self.push.per_day(hub, date)) is None
            else rate
            for _, hub, origin in self.origins
        ]

    def act_on_due(self) -> None:
        """People whose travel, detention or stay in the EU ends today act on it."""
        due = self.calendar.pop(self.model.day)
        self.reach_hubs(due.get("hub"))
        self.release(due.get("release"))
        self.return_home(due.get("return"))
        self.readmit(due.get("readmit"))

    def leave_lines(
        self, crossings: Sequence[Crossing], people: Sequence[int], *, to_cross: bool = True
    ) -> list[np.ndarray]:
        """Take up to ``people[i]`` from the front of each crossing's line, counting their wait.

        People who leave `to_cross` are counted as repeated attempts if they tried before.

        Returns:
            The rows taken from each crossing's line.
        """
        taken = self.lines.take([c.index for c in crossings], people)
        rows = np.concatenate(taken) if taken else np.empty(0, dtype=np.int64)
        if len(rows):
            m = self.migrants
            waited = m.per_route(rows, self.model.day - m.since[rows])
            self.model.count_routes("waiting_days", waited)
            if to_cross:
                again = (m.attempts[rows] > 0).astype(float)
                self.model.count_routes("repeat_attempts", m.per_route(rows, again))
        return taken

    def leave_by_chance(
        self, crossings: Sequence[Crossing], chances: np.ndarray | float, *, to_cross: bool = True
    ) -> tuple[list[Crossing], list[np.ndarray]]:
        """Each person in each crossing's line leaves it with a chance, taken from the front.

        The chances are one per crossing, or one for all; as many people as leave are
        taken from the front of the line (`leave_lines`).

        Returns:
            The crossings some left, and the rows taken from each of their lines.
        """
        lengths = self.lines.lengths[[c.index for c in crossings]]
        leaving = self.model.rng.binomial(lengths, np.minimum(chances, 1.0)).tolist()
        tonight = [(c, n) for c, n in zip(crossings, leaving, strict=True) if n > 0]
        if not tonight:
            return [], []
        left = [c for c, _ in tonight]
        return left, self.leave_lines(left, [n for _, n in tonight], to_cross=to_cross)

    def move_away(self, crossings: Sequence[Crossing], shares: np.ndarray) -> None:
        """Partner police take a share of the people waiting at each land hub far away.

        They go to `parameters.relocation_place`; after a while there they decide again,
        as people released do: travel back, switch crossings or give up.
        """
        cleared, taken = self.leave_by_chance(crossings, shares, to_cross=False)
        if not cleared:
            return
        index, places = self.model.journeys.place_index, self.model.parameters.relocation_place
        to = np.repeat([index[places[c.country]] for c in cleared], [len(t) for t in taken])
        rows = np.concatenate(taken)
        self.migrants.move(rows, State.SENT_BACK, self.model.day, to)
        self.count_people(rows, "relocated")
        hold = self.model.parameters.relocation_days
        self._book(rows, "release", lambda row: 1 + self.model.rng.exponential(hold, len(row)))

    def hear(self, rows: np.ndarray, outcome: int) -> None:
        """Let the travellers' origins hear how they fared on their route, after a delay."""
        m = self.migrants
        self.model.beliefs.hear(
            self.model.day, m.origin[rows], m.route[rows], outcome, m.people[rows]
        )

    def _origins(self) -> list[tuple[int, str, Origin]]:
        index = self.model.journeys.place_index
        unknown = [pid for pid in self.model.parameters.origins if pid not in index]
        if unknown:
            raise ModelSetupError(
                f"parameters.origins.{unknown[0]}: not a place in the geodata "
                f"(expected a place id such as {sorted(index)[0]!r})"
            )
        return [(index[pid], pid, origin) for pid, origin in self.model.parameters.origins.items()]

    def _check_relocation_places(self) -> None:
        index = self.model.journeys.place_index
        for country, place in self.model.parameters.relocation_place.items():
            if place not in index:
                raise ModelSetupError(
                    f"parameters.relocation_place.{country}: {place!r} is not a place in the "
                    f"geodata (expected a place id such as {sorted(index)[0]!r})"
                )

    def set_out(self) -> None:
        """Today's would-be migrants weigh the crossings against staying; some set out."""
        places, medians, people, resettle = self._would_be_migrants()
        n = len(places)
        if n == 0:
            return
        means = self.model.rng.lognormal(np.log(medians), 0.6)
        risk_aversion = self.model.rng.uniform(0.5, 1.5, n)
        informed = self.model.rng.random(n) < self.model.levers.information_campaign
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
            day=self.model.day,
            means=means[source],
            risk_aversion=risk_aversion[source],
            informed=informed[source],
        )
        routes = self.model.journeys.route[crossings]
        self.migrants.plan(rows, crossings, routes)
        # Resettlement places go to people who would otherwise have set out irregularly.
        resettled = [
            self.migrants.first(rows[places[source] == place], available)[0]
            for place, available in resettle.items()
            if available > 0
        ]
        if resettled:
            legal = np.concatenate(resettled)
            self.migrants.move(legal, State.LEGAL_PATHWAY, self.model.day)
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
        for i, ((place, _, origin), rate) in enumerate(
            zip(self.origins, self.per_day, strict=True)
        ):
            if origin.visa_free_entry:
                rate *= 1.0 - self.model.levers.visa_alignment
            heads = self.rows_of(self._after_closures(i, int(self.model.rng.poisson(rate))))
            places.append(np.full(len(heads), place))
            medians.append(np.full(len(heads), origin.means_median))
            people.append(heads)
            if origin.resettlement_share > 0:
                resettle[place] = int(
                    self.model.rng.poisson(
                        self.model.levers.resettlement_places * origin.resettlement_share / 365.0
                    )
                )
        return np.concatenate(places), np.concatenate(medians), np.concatenate(people), resettle

    def _after_closures(self, origin: int, people: int) -> int:
        """Of `people` at an origin who would weigh a move today, those who do.

        Closures hold some back at home; they leave later, at a rate that rises as the
        closures ease, so closures delay departures rather than cancel them.
        """
        closures = self.model.levers.covid_closures
        if closures == 0 and self.postponed[origin] == 0:
            return people
        rng = self.model.rng
        held = int(rng.binomial(people, closures))
        late = int(
            rng.binomial(
                self.postponed[origin],
                (1.0 - closures) / self.model.parameters.postponed_departure_days,
            )
        )
        self.postponed[origin] += held - late
        return people - held + late

    def rows_of(self, people: int) -> np.ndarray:
        """Head counts of the rows that `people` people setting out together make.

        As few rows as the scale allows, as even as possible: the number of people
        does not depend on the scale, only how finely they are grouped.
        """
        n_rows = min(int(np.ceil(people / self.model.scale)), people)
        if n_rows == 0:
            return np.empty(0, dtype=np.int32)
        base, extra = divmod(people, n_rows)
        heads = np.full(n_rows, base, dtype=np.int32)
        heads[:extra] += 1
        return heads

    def count_people(self, rows: np.ndarray, metric: str) -> None:
        """Count the people of `rows` on each of their routes."""
        if len(rows):
            self.model.count_routes(metric, self.migrants.per_route(rows))

    def count_by_country(self, rows: np.ndarray, metric: str) -> None:
        """Count the people of `rows` by the departure country of their crossing."""
        if len(rows) == 0:
            return
        m, j = self.migrants, self.model.journeys
        per_country = np.bincount(
            j.country[m.crossing[rows]], weights=m.people[rows], minlength=len(j.countries)
        )
        for k in np.flatnonzero(per_country).tolist():
            self.model.count_country(j.countries[k], metric, float(per_country[k]))

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

        Utilities are worked out for every row over every crossing (`logit_split`);
        crossings a person cannot reach from where they are count as minus infinity. The people
        of a row share its attributes but choose each for themselves, so a row may
        split between crossings.

        Returns:
            Pieces of the rows: each piece's row (its position in the arguments), its
            choice and its head count; one piece per row at one person per row.
        """
        p, j = self.model.parameters, self.model.journeys
        true_risk = self.model.beliefs.true_risk()
        accuracy = self.model.assumptions.risk_perception_accuracy
        month = self.model.date.month - 1
        route_terms = np.array(
            [
                p.route_preference[r]
                + self._seasonal(r, month)
                + self.model.assumptions.rescue_pull * (self.model.rescue_presence(r) - 1.0)
                for r in ROUTES
            ]
        )
        route = j.route.astype(np.intp)
        perceived = np.where(
            informed[:, None],
            true_risk[None, :],
            accuracy * true_risk[None, :] + (1 - accuracy) * self.model.beliefs.risk[origins],
        )
        # Terms are divided by the taste-shock scale, the logit's unit.
        noise = p.choice_noise
        # distance_km is infinite where a crossing is out of reach: its utility is -inf.
        reach = (
            route_terms[route] - p.distance_weight * j.distance_km / 1000.0 - 0.3 * j.flights
        ) / noise
        personal = (
            p.success_weight * self.model.beliefs.success[origins]
            - p.risk_weight * risk_aversion[:, None] * perceived
        ) / noise
        return logit_split(
            reach,
            places,
            personal,
            route,
            self.model.prices_today,
            p.price_weight / noise / means,
            people,
            self.model.rng,
            stay=p.stay_utility / noise if stay else None,
        )

    def _seasonal(self, route: str, month: int) -> float:
        """Seasonal term (log scale) of the propensity to set out on a route, by month."""
        p, angle = self.model.parameters, 2 * np.pi * month / 12
        return (
            p.seasonal_cos[route] * np.cos(angle)
            + p.seasonal_sin[route] * np.sin(angle)
            + p.seasonal_cos2[route] * np.cos(2 * angle)
            + p.seasonal_sin2[route] * np.sin(2 * angle)
        )

    def _travel(self, rows: np.ndarray, crossings: np.ndarray) -> None:
        """Send people overland (or by air) to their crossing's hub."""
        if len(rows) == 0:
            return
        days = self._travel_days(rows, crossings)
        self.migrants.move(rows, State.TRAVELLING, self.model.day)
        self.count_people(rows, "set_out")
        self._book(
            rows, "hub", lambda row: days[row] * self.model.rng.uniform(0.8, 1.2, len(row)) + 1
        )

    def _travel_days(self, rows: np.ndarray, crossings: np.ndarray) -> np.ndarray:
        """Days from where people are to their crossing's hub, before day-to-day chance."""
        places = self.migrants.place[rows]
        km = self.model.journeys.distance_km[places, crossings]
        return (
            km / self.model.parameters.overland_km_per_day
            + self.model.journeys.flights[places, crossings]
        )

    def _book(
        self, rows: np.ndarray, what: str, delays: Callable[[np.ndarray], np.ndarray]
    ) -> np.ndarray:
        """Book the people of `rows` for `what`, each piece of a row after its own delay.

        `delays` gives one delay (days) per piece, given each piece's row (its position
        in `rows`). A row of many people is split into up to `DELAY_PIECES` pieces per
        `scale` people, so that it does not reach a hub as one crowd; pieces are never
        smaller than that, so that rows that are booked again and again (people pushed
        back many times) do not crumble into single people.

        Returns:
            The people's delays added up (person-days) per route, in the order of
            `ROUTES` (and a last entry for people with no route yet).
        """
        if len(rows) == 0:
            return np.zeros(len(ROUTES) + 1)
        heads = self.migrants.people[rows]
        n_pieces = np.minimum(heads, np.ceil(heads * DELAY_PIECES / self.model.scale)).astype(
            np.int64
        )
        booked, owner = self.migrants.divide(rows, n_pieces)
        piece_delays = delays(owner)
        self.calendar.add(self.model.day + piece_delays, booked, what)
        return self.migrants.per_route(booked, piece_delays)

    def reach_hubs(self, rows: np.ndarray | None) -> None:
        """Travellers who reach their crossing's hub join its line."""
        if rows is None:
            return
        crossings = self.migrants.crossing[rows]
        self.migrants.move(
            rows, State.WAITING, self.model.day, self.model.journeys.start[crossings]
        )
        self.lines.join(rows, crossings)

    def release(self, rows: np.ndarray | None) -> None:
        """People freed after an interception or a push-back: retry, switch or give up.

        Those who cannot pay the next attempt first work for it, or give up; those who
        think it hopeless wait a while before joining the line again.
        """
        if rows is None or len(rows) == 0:
            return
        m = self.migrants
        quitting, rows = m.draw(rows, self._give_up_chance(rows), self.model.rng)
        self._give_up(quitting)
        rows = self._earn_or_give_up(rows)
        rethink, staying = m.draw(rows, self.model.assumptions.route_switching, self.model.rng)
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
            m.plan(rethink, choice, self.model.journeys.route[choice])
            self._travel(rethink[moved], choice[moved])
            staying = np.concatenate([staying, rethink[~moved]])
        self._rejoin(staying, self._wait_out_days(staying))

    def _give_up(self, rows: np.ndarray) -> None:
        self.count_people(rows, "gave_up")
        self.migrants.move(rows, State.GAVE_UP, self.model.day)

    def _give_up_chance(self, rows: np.ndarray) -> np.ndarray:
        """Each row's chance to give up now: rising with failures, falling with means."""
        p = self.model.parameters
        chance = p.give_up_per_attempt * self.migrants.attempts[rows]
        if p.give_up_means_weight > 0:
            chance = chance * (1.0 + p.give_up_means_weight * self._shortfall(rows))
        return np.minimum(chance, MAX_GIVE_UP)

    def _next_price(self, rows: np.ndarray) -> np.ndarray:
        return self.model.prices_today[self.migrants.crossing[rows]]

    def _shortfall(self, rows: np.ndarray) -> np.ndarray:
        """Share of the next attempt's price that people's means do not cover, 0-1."""
        return np.clip(1.0 - self.migrants.means[rows] / self._next_price(rows), 0.0, 1.0)

    def _earn_or_give_up(self, rows: np.ndarray) -> np.ndarray:
        """People who cannot pay the next attempt work at the hub for it, or give up.

        Returns:
            The rows of those who can pay now.
        """
        p, m = self.model.parameters, self.migrants
        if p.transit_earnings_per_day <= 0 or len(rows) == 0:
            return rows
        price = self._next_price(rows)
        days = (price - m.means[rows]) / p.transit_earnings_per_day
        short = days > 0
        hopeless = days > p.max_earning_days
        self._give_up(rows[hopeless])
        working = short & ~hopeless
        m.means[rows[working]] = price[working]
        self._rejoin(rows[working], days[working])
        return rows[~short]

    def _wait_out_days(self, rows: np.ndarray) -> np.ndarray:
        """Days people wait before trying again: longer where success looks unlikely."""
        mean_days = self.model.parameters.wait_out_days
        if mean_days <= 0 or len(rows) == 0:
            return np.zeros(len(rows))
        m = self.migrants
        success = self.model.beliefs.success[m.origin[rows], m.route[rows]]
        return self.model.rng.exponential(mean_days * (1.0 - success))

    def _rejoin(self, rows: np.ndarray, wait_days: np.ndarray) -> None:
        """People join their crossing's line again after `wait_days` (one per row).

        Those expelled inland travel back to the hub first.
        """
        if len(rows) == 0:
            return
        m, day = self.migrants, self.model.day
        crossings = m.crossing[rows]
        away = m.place[rows] != self.model.journeys.start[crossings]
        delays = wait_days.astype(float)
        if away.any():
            delays[away] += (
                self._travel_days(rows[away], crossings[away])
                * self.model.rng.uniform(0.8, 1.2, int(away.sum()))
                + 1
            )
        # The calendar hands nobody back before tomorrow: under a day means today.
        now = delays < 1
        m.move(rows[now], State.WAITING, day)
        self.lines.join(rows[now], crossings[now])
        later, away, delays = rows[~now], away[~now], delays[~now]
        if len(later) == 0:
            return
        m.move(later[away], State.TRAVELLING, day)
        m.move(later[~away], State.WAITING, day)
        self._book(later, "hub", lambda row: delays[row])
        waited = m.per_route(later, np.asarray(wait_days, dtype=float)[~now])
        self.model.count_routes("waiting_days", waited)

    def return_home(self, rows: np.ndarray | None) -> None:
        """People returned from the EU are back at their origin."""
        if rows is None or len(rows) == 0:
            return
        m = self.migrants
        self.count_people(rows, "returns")
        m.move(rows, State.AT_ORIGIN, self.model.day, m.origin[rows])

    def readmit(self, rows: np.ndarray | None) -> None:
        """People sent back from the Greek islands to Türkiye: returns, held, then they decide."""
        if rows is not None and len(rows):
            self.count_people(rows, "returns")
            self._send_back(rows, self.model.parameters.detention_days)

    def arrive(self, rows: np.ndarray) -> None:
        """Detected arrivals in the EU, at the end of their crossing; some are later returned."""
        if len(rows) == 0:
            return
        m = self.migrants
        m.move(rows, State.ARRIVED, self.model.day, self.model.journeys.end[m.crossing[rows]])
        self.count_people(rows, "arrivals")
        self.count_by_country(rows, "arrivals")
        self.hear(rows, rumours.SUCCESS)
        model, delay = self.model, self.model.parameters.return_delay_days
        share = model.parameters.return_decision_share * model.levers.return_effectiveness
        returned, stay = m.draw(rows, share, model.rng)
        self._book(returned, "return", lambda row: model.rng.exponential(delay, len(row)))
        # Drawn only while the EU-Turkey Statement's returns run: other runs draw as before.
        if model.levers.island_returns > 0:
            island = stay[model.journeys.to_greek_islands[m.crossing[stay]]]
            sent, _ = m.draw(island, model.levers.island_returns, model.rng)
            self._book(sent, "readmit", lambda row: model.rng.exponential(delay, len(row)))

    def arrive_unseen(self, rows: np.ndarray) -> None:
        """People who reach the EU without being seen."""
        if len(rows) == 0:
            return
        m = self.migrants
        self.count_people(rows, "undetected_arrivals")
        m.move(
            rows,
            State.ARRIVED_UNDETECTED,
            self.model.day,
            self.model.journeys.end[m.crossing[rows]],
        )
        self.hear(rows, rumours.SUCCESS)

    def land_detected(self, rows: np.ndarray) -> None:
        """People registered on landing (the Frontex count), rescued or seen arriving."""
        self.count_people(rows, "detections")
        self.arrive(rows)

    def push_back(self, rows: np.ndarray) -> None:
        """People sent back over the border they crossed; they will try again."""
        if len(rows) == 0:
            return
        held = self._send_back(rows, self.model.parameters.retry_days)
        # Back at the hub after a push-back, waiting to cross again.
        self.model.count_routes("waiting_days", held)

    def partner_stop(self, rows: np.ndarray, *, before_launch: bool) -> None:
        """Partner forces stop people and hold them for a while before release."""
        if len(rows) == 0:
            return
        self.count_people(rows, "partner_interceptions")
        self.count_by_country(rows, "partner_interceptions")
        if before_launch:
            self.count_people(rows, "departures_prevented")
        self._send_back(rows, self.model.parameters.detention_days)

    def _send_back(self, rows: np.ndarray, mean_days: float) -> np.ndarray:
        """Hold people stopped on their crossing until release, `mean_days` on average.

        What they paid for the attempt is lost, and some are expelled inland, to the
        origin hub they set out from.

        Returns:
            The person-days they are held, per route (as `_book`).
        """
        m, p = self.migrants, self.model.parameters
        crossings = m.crossing[rows]
        m.move(rows, State.SENT_BACK, self.model.day, self.model.journeys.start[crossings])
        self.hear(rows, rumours.FAILURE)
        if p.failed_attempt_cost > 0:
            lost = p.failed_attempt_cost * self.model.prices_today[crossings]
            m.means[rows] = np.maximum(m.means[rows] - lost, MIN_MEANS)
        if p.expulsion_inland > 0:
            expelled, kept = m.draw(rows, p.expulsion_inland, self.model.rng)
            m.place[expelled] = m.origin[expelled]
            self.count_people(expelled, "expelled")
            rows = np.concatenate([expelled, kept])
        return self._book(
            rows, "release", lambda row: 1 + self.model.rng.exponential(mean_days, len(row))
        )

    def lose(self, rows: np.ndarray, state: State) -> None:
        """People who die on their crossing (a body recovered) or go missing."""
        if len(rows) == 0:
            return
        self.migrants.move(rows, state, self.model.day)
        self.count_people(rows, "dead" if state == State.DEAD else "missing")
        self.hear(rows, rumours.DEATH)

    def crowd(self, crossings: list[Crossing], people: float) -> None:
        """Put `people` at the hubs of `crossings` at once, shared out at random."""
        if not crossings:
            return
        shares = np.full(len(crossings), 1.0 / len(crossings))
        per_crossing = self.model.rng.multinomial(int(round(people)), shares)
        for crossing, count in zip(crossings, per_crossing.tolist(), strict=True):
            heads = self.rows_of(count)
            if len(heads) == 0:
                continue
            hub = self.model.journeys.place_index[crossing.start]
            rows = self.migrants.add(
                heads,
                origin=hub,
                place=hub,
                state=State.WAITING,
                day=self.model.day,
                means=np.full(len(heads), 2000.0),
            )
            self.migrants.plan(
                rows,
                np.full(len(heads), crossing.index),
                np.full(len(heads), ROUTES.index(crossing.route)),
            )
            self.lines.join(rows, crossing.index)
