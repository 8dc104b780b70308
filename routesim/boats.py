"""Boats: parties of migrants at sea, and what happens to them.

A night's boats are launched together (`Fleet.launch`) and each crossing's fate is
drawn when it puts to sea: a partner coast guard may stop it near its own coast; an
NGO ship on patrol may meet it; it may fall into distress, at a rate that grows with a
flimsy boat, a heavy load and a rough sea; otherwise it reaches the EU coast, where it
is intercepted, seen landing or lands unseen. Deaths come from these mechanisms, not
from a rate per route.

Most crossings end in a stop or a landing, which need nobody else's time: they are
settled together at the end of their night (`Fleet.sail`), the people of all such
boats in a few array operations. A boat in distress competes with the others for the
rescue vessels, so its alarm and rescue unfold one boat at a time, in hours, on the
model's event list.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from routesim.migrants import State
from routesim.routes import ROUTES

if TYPE_CHECKING:
    from routesim.journeys import Crossing
    from routesim.migrants import Migrants
    from routesim.world import World

HOURS = 24.0


@dataclass(frozen=True)
class Episode:
    """Something that happened to a boat at sea, kept for the app's "follow a boat".

    The model records what happened and to how many; `routesim.app.story` tells it.

    Attributes:
        time: Model time.
        what: ``"stopped"`` (by the partner coast guard), ``"distress"``, ``"sank"``,
            ``"exposure"`` (deaths on the way), ``"landed"``, ``"picked_up"`` (by a
            partner coast guard, and taken back), ``"aboard"`` (taken aboard a
            rescuer) or ``"disembarked"``.
        people: How many people it concerned.
        dead: Of the people lost in a sinking, the bodies recovered (the rest missing).
        by: The responder (``"state"``, ``"ngo"``, ``"merchant"``, ``"partner"``, or
            ``""`` when no rescuer was alerted), or how a landing ended
            (``"intercepted"``, ``"seen"``, ``"unseen"``).
        hours: How far away the responder alerted to a distress call was.
        port: The place id of the port where survivors were landed.
    """

    time: float
    what: str
    people: int = 0
    dead: int = 0
    by: str = ""
    hours: float = 0.0
    port: str = ""


class Boat:
    """A boat with its passengers on a sea crossing.

    Boats are many (tens of thousands a year) and act only through the fleet and the
    rescue services, so they are plain records, not Mesa agents.

    Attributes:
        id: The boat's number in the run (its passengers carry it in `Migrants.boat`).
        price: What the smuggler charged each person aboard, in euros.
        story: What has happened to the boat since it put to sea: the app's "follow a
            boat" tells it.
        at_sea: False once the boat's crossing is over, whatever its end.
    """

    def __init__(
        self,
        model: World,
        crossing: Crossing,
        boat_type: str,
        rows: np.ndarray,
        price: float,
        boat_id: int = 0,
    ) -> None:
        self.model = model
        self.id = boat_id
        self.crossing = crossing
        self.rows = rows
        self.boat_type = boat_type
        self.price = price
        self.load = self.people
        self.spec = model.parameters.boats[boat_type]
        self.story: list[Episode] = []
        self.at_sea = True
        self.launched_at = 0.0
        self.duration = 0.0
        self.distress_at = 0.0
        self.fraction = 0.0
        #: When the crossing ends, if it ends in a stop or a landing (0 until known).
        self.ends_at = 0.0

    @property
    def people(self) -> int:
        """Number of people aboard."""
        return self.model.migrants.headcount(self.rows)

    @property
    def load_factor(self) -> float:
        """People aboard at launch as a multiple of the boat's rated capacity."""
        return self.load / self.spec.rated_capacity

    def load_factor_risk(self) -> float:
        """Hazard multiplier of overloading: grows faster than the load."""
        return max(self.load_factor, 0.5) ** 1.5

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

    def record(self, what: str, when: float | None = None, **details: Any) -> None:
        """Add what happened to the boat (now, unless `when` is given) to its story."""
        time = self.model.time if when is None else when
        self.story.append(Episode(time, what, **details))

    def remove(self) -> None:
        """The crossing is over: the boat leaves the fleet, keeping its story."""
        self.at_sea = False
        self.model.fleet.at_sea.pop(self.id, None)

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
            self.record("distress")
        else:
            hours = (rescuer.arrival - model.time) * HOURS
            self.record("distress", by=rescuer.actor, hours=hours)
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
        self.record("sank", people=dead + lost, dead=dead)
        model.migration.lose(recovered, State.DEAD)
        model.migration.lose(missing, State.MISSING)


class Fleet:
    """The boats of a run: each night's launches, and every crossing until it ends.

    Smugglers order tonight's boats (`board`); `launch` takes their people from the
    waiting lines and puts them to sea together; `sail`, at the start of each day,
    ends the crossings that ended overnight.

    Attributes:
        at_sea: The boats at sea (or about to sail tonight), by id.
    """

    def __init__(self, model: World) -> None:
        self.model = model
        self.at_sea: dict[int, Boat] = {}
        self._orders: list[tuple[Crossing, str, int, float]] = []
        #: People not yet booked tonight in the lines asked about (lines change by day).
        self._free: dict[int, int] = {}
        #: Boats whose crossing ends in the night after a day's step, by that day's step
        #: time, with how it ends ("stopped" or "coast").
        self._ending: dict[int, list[tuple[Boat, str]]] = defaultdict(list)
        self._boats_made = 0

    # --- tonight's launches -----------------------------------------------------------

    def waiting(self, crossing: Crossing) -> int:
        """People in a crossing's line not yet booked on a boat tonight."""
        free = self._free.get(crossing.index)
        if free is None:
            free = self._free[crossing.index] = int(
                self.model.migration.lines.lengths[crossing.index]
            )
        return free

    def board(self, crossing: Crossing, boat_type: str, load: int, price: float) -> None:
        """A smuggler's boat for tonight: `load` people from the front of the line."""
        self._orders.append((crossing, boat_type, load, price))
        self._free[crossing.index] = self.waiting(crossing) - load

    def launch(self) -> None:
        """Tonight's boats take their people from the lines; those not stopped put to sea."""
        orders, self._orders = self._orders, []
        self._free.clear()
        if not orders:
            return
        model = self.model
        by_crossing: dict[int, list[int]] = defaultdict(list)
        for k, (crossing, _, _, _) in enumerate(orders):
            by_crossing[crossing.index].append(k)
        rows_of: list[np.ndarray] = [np.empty(0, dtype=np.int64)] * len(orders)
        loads = [np.array([orders[k][2] for k in ks]) for ks in by_crossing.values()]
        taken = model.migration.leave_lines(
            [orders[ks[0]][0] for ks in by_crossing.values()], [int(n.sum()) for n in loads]
        )
        for ks, load, rows in zip(by_crossing.values(), loads, taken, strict=True):
            for k, boat_rows in zip(ks, model.migrants.split(rows, load), strict=True):
                rows_of[k] = boat_rows
        boats = [
            self._new_boat(crossing, boat_type, rows, price)
            for (crossing, boat_type, _, price), rows in zip(orders, rows_of, strict=True)
        ]
        people = np.array([b.load for b in boats], dtype=float)
        routes = _route_indices(boats)
        model.count_routes("attempts", _per_route(routes, people))
        model.count_routes(
            "smuggler_revenue", _per_route(routes, people * [b.price for b in boats])
        )
        prevented = model.guards.prevent_launches([b.crossing for b in boats])
        if prevented.any():
            model.count_routes("boats_seized", _per_route(routes[prevented]))
            stopped = [b for b, p in zip(boats, prevented.tolist(), strict=True) if p]
            model.migration.partner_stop(_rows(stopped), before_launch=True)
        self.put_to_sea([b for b, p in zip(boats, prevented.tolist(), strict=True) if not p])

    def _new_boat(self, crossing: Crossing, boat_type: str, rows: np.ndarray, price: float) -> Boat:
        self._boats_made += 1
        return Boat(self.model, crossing, boat_type, rows, price, self._boats_made)

    def put_to_sea(self, boats: Sequence[Boat]) -> None:
        """Boats leave tonight; how each crossing will end is drawn now."""
        if not boats:
            return
        model, rng = self.model, self.model.rng
        n = len(boats)
        rows = _rows(boats)
        ids = np.repeat([b.id for b in boats], [len(b.rows) for b in boats])
        model.migrants.boat[rows] = ids
        model.migrants.move(rows, State.AT_SEA, model.day)
        model.migrants.attempts[rows] += 1
        model.migration.count_people(rows, "departures")
        model.migration.count_by_country(rows, "departures")
        routes = _route_indices(boats)
        specs = [b.spec for b in boats]
        model.count_routes("boats_launched", _per_route(routes))
        model.count_routes(
            "boat_hazard", _per_route(routes, [1000 * s.hazard_per_hour for s in specs])
        )
        model.count_routes("boat_cost", _per_route(routes, [s.cost for s in specs]))

        sea = np.array([model.sea_state(b.crossing.sea_area) for b in boats])
        launched_at = model.time + rng.uniform(18, 28, n) / HOURS
        length = np.array([b.crossing.length_km for b in boats])
        duration = length / (np.array([s.speed_kmh for s in specs]) / sea**0.5) / HOURS
        stopped = model.guards.intercept_at_sea([b.crossing for b in boats])
        stop_after = np.minimum(duration / 2, rng.uniform(1, 8, n) / HOURS)
        fraction = rng.uniform(0.2, 0.5, n)
        area_hazard = np.array(
            [model.parameters.sea_hazard.get(b.crossing.sea_area, 1.0) for b in boats]
        )
        hazard = (
            np.array([s.hazard_per_hour for s in specs])
            * HOURS
            * np.array([b.load_factor_risk() for b in boats])
            * sea
            * area_hazard
        )
        with np.errstate(divide="ignore"):
            to_distress = rng.exponential(size=n) / hazard
        for i, boat in enumerate(boats):
            self.at_sea[boat.id] = boat
            boat.launched_at, boat.duration = float(launched_at[i]), float(duration[i])
            if stopped[i]:
                self._ends(boat, boat.launched_at + float(stop_after[i]), "stopped")
                continue
            # NGO ships on patrol take people off unseaworthy boats before any distress call.
            boat.fraction = float(fraction[i])
            encounter = model.rescue.encounter(
                boat, boat.launched_at + boat.fraction * boat.duration
            )
            if encounter is not None:
                model.schedule_event(encounter.rescue, at=encounter.arrival)
                continue
            boat.fraction = 0.0
            if to_distress[i] < duration[i]:
                boat.fraction = float(to_distress[i] / duration[i])
                boat.distress_at = boat.launched_at + float(to_distress[i])
                model.schedule_event(boat.in_distress, at=boat.distress_at)
            else:
                self._ends(boat, boat.launched_at + boat.duration, "coast")

    def _ends(self, boat: Boat, when: float, how: str) -> None:
        # Counted, as everything that happens overnight, on the day of the step before.
        boat.ends_at = when
        self._ending[math.floor(when)].append((boat, how))

    # --- the night's ends ----------------------------------------------------------------

    def sail(self) -> None:
        """End the crossings that ended overnight: boats stopped and boats at the coast.

        Called at the start of a day, before its step changes anything: what happened
        overnight belongs to the day before, as events at sea do.
        """
        ending = self._ending.pop(math.floor(self.model.time) - 1, None)
        if not ending:
            return
        stopped = [boat for boat, how in ending if how == "stopped"]
        if stopped:
            self._stopped(stopped)
        landing = [boat for boat, how in ending if how == "coast"]
        if landing:
            self._reach_coast(landing)

    def _stopped(self, boats: list[Boat]) -> None:
        """Partner coast guards stop boats near their coast and take everyone back."""
        for boat in boats:
            boat.record("stopped", boat.ends_at, people=boat.people)
        self.model.migration.partner_stop(_rows(boats), before_launch=False)
        for boat in boats:
            boat.remove()

    def _reach_coast(self, boats: list[Boat]) -> None:
        """Boats reach the EU coast: intercepted, seen landing, or landing unseen.

        Some aboard may have died of exposure on the way.
        """
        model = self.model
        m, migration = model.migrants, model.migration
        rows = _rows(boats)
        ids = np.array([b.id for b in boats])
        aboard = _boat_index(ids, m.boat[rows])
        days = np.array([b.duration for b in boats])
        exposure = 1.0 - (1.0 - model.parameters.exposure_deaths_per_day) ** (days**2)
        died, alive = m.draw(rows, exposure[aboard], model.rng)
        migration.lose(died, State.DEAD)
        lost = _people_by_boat(m, died, ids)
        landed = _people_by_boat(m, alive, ids)
        intercepted, seen = model.guards.meet_landings([b.crossing for b in boats])
        boat_of = _boat_index(ids, m.boat[alive])
        caught = alive[intercepted[boat_of]]
        migration.count_people(caught, "eu_interceptions")
        # A boat turned back at sea is not registered (the practice is denied), so only
        # those landed count as detected crossings.
        turned, admitted = m.draw(
            caught, model.guards.turned_back_share(m.route[caught].astype(np.int64)), model.rng
        )
        migration.push_back(turned)
        migration.land_detected(np.concatenate([admitted, alive[seen[boat_of]]]))
        migration.arrive_unseen(alive[~(intercepted | seen)[boat_of]])
        for i, boat in enumerate(boats):
            when = boat.ends_at
            if lost[i]:
                boat.record("exposure", when, people=int(lost[i]))
            if landed[i]:
                how = "intercepted" if intercepted[i] else "seen" if seen[i] else "unseen"
                boat.record("landed", when, people=int(landed[i]), by=how)
            boat.remove()


def _rows(boats: Sequence[Boat]) -> np.ndarray:
    """The rows of everyone aboard `boats`, boat after boat."""
    return np.concatenate([b.rows for b in boats])


def _route_indices(boats: Sequence[Boat]) -> np.ndarray:
    return np.array([ROUTES.index(b.crossing.route) for b in boats], dtype=np.int64)


def _per_route(routes: np.ndarray, amounts: object = None) -> np.ndarray:
    """Amounts (one per boat; 1 each if None) summed per route."""
    weights = None if amounts is None else np.asarray(amounts, dtype=float)
    return np.bincount(routes, weights=weights, minlength=len(ROUTES)).astype(float)


def _boat_index(ids: np.ndarray, boat_ids: np.ndarray) -> np.ndarray:
    """Position in `ids` of each entry of `boat_ids` (all of which are in `ids`)."""
    order = np.argsort(ids)
    return order[np.searchsorted(ids, boat_ids, sorter=order)]


def _people_by_boat(m: Migrants, rows: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """People of `rows` aboard each boat of `ids`."""
    return np.bincount(
        _boat_index(ids, m.boat[rows]), weights=m.people[rows], minlength=len(ids)
    ).astype(np.int64)
