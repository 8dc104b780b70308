"""Migrants: the people of a run as rows of a column store, and their states.

What the migrants do is in `routesim.migration`; this module keeps who they are,
where and in what state, and the lines and calendar they wait in.

People are rows of a column store rather than one Python object each: a year at
one agent per person passes about a million people through the routes, and most
of the time they wait or travel, doing nothing that needs an object. They act in
batches (all who set out today, all who reach a hub today, all whose boats land
tonight) and travel in boats (`routesim.boats.Fleet`) or in guided groups over a land
border (`routesim.borders.land_attempts`).

A row is a group of people who set out together and share everything but their
number, which the row carries (``people``): one person at ``--scale 1``, up to
``scale`` people at a coarser scale. Whatever acts on people acts in people: a boat
takes as many as it carries, splitting a row where it must (`Migrants.peel`), and
chances that strike each person alone (drowning, being returned, giving up) split a
row by a binomial draw (`Migrants.draw`). So the scale changes how finely people are
grouped, which adds noise, but not what is expected to happen to them.

A row's state always has exactly one value, and every change of state goes through
`Migrants.move`, which keeps per-route counts of people in each state: the
conservation test compares them with a recount.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

import numpy as np

from routesim.routes import ROUTES

#: Route index of people who have not chosen a route yet.
NO_ROUTE = len(ROUTES)
#: Up to this many rows, state counts are updated one by one.
_FEW = 8


class State(IntEnum):
    """Where a person is in their journey: one value at every moment."""

    AT_ORIGIN = 0
    TRAVELLING = 1
    WAITING = 2
    AT_SEA = 3
    ARRIVED = 4
    ARRIVED_UNDETECTED = 5
    #: Stopped by partner forces or pushed back over a border, held until released to
    #: try again (not the "returns" metric: people returned home from the EU).
    SENT_BACK = 6
    RESCUED = 7
    DEAD = 8
    MISSING = 9
    GAVE_UP = 10
    LEGAL_PATHWAY = 11


class Migrants:
    """Column store of people: origin, means, risk attitude, state and plans."""

    _COLUMNS = {
        "people": np.int32,
        "origin": np.int16,
        "means": np.float32,
        "risk_aversion": np.float32,
        "informed": np.bool_,
        "state": np.int8,
        "place": np.int16,
        "crossing": np.int16,
        "route": np.int8,
        "attempts": np.int16,
        "since": np.float32,
        "born": np.float32,
        #: The boat a person is on (`routesim.boats.Fleet`), or -1.
        "boat": np.int32,
    }

    #: States in which a person's journey is over (a returnee's ends on return).
    JOURNEY_OVER = (
        State.AT_ORIGIN,
        State.ARRIVED,
        State.ARRIVED_UNDETECTED,
        State.DEAD,
        State.MISSING,
        State.GAVE_UP,
        State.LEGAL_PATHWAY,
    )

    def __init__(self, capacity: int = 1024) -> None:
        self.size = 0
        self._columns: dict[str, np.ndarray] = {
            name: np.zeros(capacity, dtype=dtype) for name, dtype in self._COLUMNS.items()
        }
        self.counts = np.zeros((len(ROUTES) + 1, len(State)), dtype=np.int64)
        #: Whether every row holds one person (as at scale 1, where rows are never split):
        #: then a head count is a number of rows, and the cheap paths serve.
        self.single = True

    def __getattr__(self, name: str) -> np.ndarray:
        columns = self.__dict__.get("_columns", {})
        if name in columns:
            return columns[name][: self.size]
        raise AttributeError(name)

    def add(
        self,
        people: np.ndarray,
        *,
        origin: np.ndarray | int,
        place: np.ndarray | int,
        state: State,
        day: float,
        means: np.ndarray | None = None,
        risk_aversion: np.ndarray | None = None,
        informed: np.ndarray | None = None,
    ) -> np.ndarray:
        """Create one row per entry of `people` (its head count) at `place` in `state`.

        Returns:
            The new rows' indices.
        """
        n = len(people)
        self._reserve(self.size + n)
        rows = np.arange(self.size, self.size + n)
        self.size += n
        cols = self._columns
        cols["people"][rows] = people
        cols["origin"][rows] = origin
        cols["place"][rows] = place
        cols["state"][rows] = state
        cols["crossing"][rows] = -1
        cols["route"][rows] = NO_ROUTE
        cols["attempts"][rows] = 0
        cols["since"][rows] = day
        cols["born"][rows] = day
        cols["boat"][rows] = -1
        cols["means"][rows] = 0.0 if means is None else means
        cols["risk_aversion"][rows] = 1.0 if risk_aversion is None else risk_aversion
        cols["informed"][rows] = False if informed is None else informed
        self.single = self.single and (n == 0 or int(np.max(people)) == 1)
        self.counts[NO_ROUTE, state] += int(np.sum(people))
        return rows

    def headcount(self, rows: np.ndarray) -> int:
        """People in `rows`."""
        return len(rows) if self.single else int(self._columns["people"][rows].sum())

    def peel(self, rows: np.ndarray, people: np.ndarray) -> np.ndarray:
        """Split `people[i]` people off row `rows[i]` into a new row of their own.

        The new rows copy everything but the head count; the old rows keep the rest
        (a row may appear several times). State counts do not change: the people stay
        in the same state on the same route.

        Returns:
            The new rows, in the order of `rows`.
        """
        n = len(rows)
        self._reserve(self.size + n)
        new = np.arange(self.size, self.size + n)
        self.size += n
        for column in self._columns.values():
            column[new] = column[rows]
        cols = self._columns["people"]
        cols[new] = people
        np.subtract.at(cols, rows, people)
        return new

    def first(self, rows: np.ndarray, n: int) -> tuple[np.ndarray, int, int]:
        """The first `n` people of `rows` (all of them if they are fewer).

        Where `n` ends inside a row, that row is split: its first part is taken, the
        rest stays in the row.

        Returns:
            The rows taken, how many of `rows` were taken whole, and the people taken.
        """
        if self.single:
            k = min(n, len(rows))
            return rows[:k], k, k
        people = self._columns["people"][rows]
        total = int(people.sum())
        if total <= n:
            return rows, len(rows), total
        whole = int(np.searchsorted(np.cumsum(people), n, side="right"))
        left = n - int(people[:whole].sum())
        if left <= 0:
            return rows[:whole], whole, n
        peeled = self.peel(rows[whole : whole + 1], np.array([left]))
        return np.concatenate([rows[:whole], peeled]), whole, n

    def split(self, rows: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
        """Share `rows`, in order, out into consecutive groups of `sizes` people.

        The sizes must add up to the people of `rows`. A row that straddles the end of
        a group is split between the groups (it may be split several times).

        Returns:
            The rows of each group.
        """
        if len(sizes) == 1:
            return [rows]
        ends = np.cumsum(sizes)
        if self.single:
            return np.split(rows, ends[:-1])
        row_ends = np.cumsum(self._columns["people"][rows])
        # Pieces run between every row end and every group end, in people counted along.
        bounds = np.union1d(row_ends, ends)
        bounds = bounds[bounds > 0]
        people = np.diff(bounds, prepend=0).astype(np.int32)
        source = np.searchsorted(row_ends, bounds, side="left")
        group = np.searchsorted(ends, bounds, side="left")
        pieces = self.share_out(rows, source, people)
        return np.split(pieces, np.searchsorted(group, np.arange(1, len(sizes)), side="left"))

    def share_out(self, rows: np.ndarray, source: np.ndarray, people: np.ndarray) -> np.ndarray:
        """Split rows into pieces: piece ``i`` takes ``people[i]`` of ``rows[source[i]]``.

        The pieces of a row must add up to its people. A row's first piece stays in
        the row; the others are split off.

        Returns:
            The row of each piece.
        """
        _, firsts = np.unique(source, return_index=True)
        extra = np.ones(len(source), dtype=bool)
        extra[firsts] = False
        pieces = rows[source]
        if extra.any():
            pieces[extra] = self.peel(pieces[extra], people[extra])
        return pieces

    def draw(
        self, rows: np.ndarray, chance: float | np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each person of `rows` meets a fate with `chance` (per row, or one for all).

        Draws how many of each row's people do (binomially) and splits rows whose
        people differ.

        Returns:
            The rows of the people who do, and of those who do not.
        """
        if len(rows) == 0:
            return rows, rows
        if self.single:
            # One person per row: a uniform draw is much cheaper than a binomial.
            hit = rng.random(len(rows)) < chance
            return rows[hit], rows[~hit]
        people = self._columns["people"][rows]
        hit = rng.binomial(people, chance)
        if len(rows) == 1:
            # Most calls are for one boat's single row: no masks needed.
            drawn, heads = int(hit[0]), int(people[0])
            if drawn == heads:
                return rows, rows[:0]
            if drawn == 0:
                return rows[:0], rows
            return self.peel(rows, hit), rows
        whole = hit == people
        part = (hit > 0) & ~whole
        if not part.any():
            return rows[whole], rows[~whole]
        peeled = self.peel(rows[part], hit[part])
        return np.concatenate([rows[whole], peeled]), rows[~whole]

    def plan(self, rows: np.ndarray, crossings: np.ndarray, routes: np.ndarray) -> None:
        """Give people a crossing to aim for; their counts follow them to its route."""
        state = self._columns["state"][rows]
        people = None if self.single else self._columns["people"][rows]
        self._recount(self._columns["route"][rows], state, people, -1)
        self._columns["crossing"][rows] = crossings
        self._columns["route"][rows] = routes
        self._recount(routes, state, people, +1)

    def move(
        self, rows: np.ndarray, state: State, day: float, place: np.ndarray | int | None = None
    ) -> None:
        """Change the state of `rows` (and optionally their place)."""
        if len(rows) == 0:
            return
        cols = self._columns
        routes = cols["route"][rows]
        people = None if self.single else cols["people"][rows]
        if len(rows) <= _FEW:
            # A boat's or a group's few rows: both counts in one pass of plain ints.
            counts = self.counts
            heads = [1] * len(rows) if people is None else people.tolist()
            for route, old, n in zip(
                routes.tolist(), cols["state"][rows].tolist(), heads, strict=True
            ):
                counts[route, old] -= n
                counts[route, state] += n
        else:
            self._recount(routes, cols["state"][rows], people, -1)
            self._recount(routes, state, people, +1)
        cols["state"][rows] = state
        cols["since"][rows] = day
        if place is not None:
            cols["place"][rows] = place

    def _recount(
        self, routes: np.ndarray, states: np.ndarray | int, people: np.ndarray | None, sign: int
    ) -> None:
        # `people` is None where every row holds one person.
        # Most calls move one boat's or group's people, usually of one route and state:
        # small and uniform cases come first; otherwise bincount over flat (route, state)
        # cells, which is much quicker than np.add.at. (`states` is an int where every row
        # moves to one state.)
        if len(routes) <= _FEW:
            state_list = [states] * len(routes) if isinstance(states, int) else states.tolist()
            heads = [1] * len(routes) if people is None else people.tolist()
            for route, state, n in zip(routes.tolist(), state_list, heads, strict=True):
                self.counts[route, state] += sign * n
            return
        if routes.min() == routes.max() and (
            isinstance(states, int) or states.min() == states.max()
        ):
            cell = (routes[0], states if isinstance(states, int) else states[0])
            self.counts[cell] += sign * (len(routes) if people is None else int(people.sum()))
            return
        if isinstance(states, int):
            per_route = np.bincount(routes, weights=people, minlength=len(self.counts))
            self.counts[:, states] += sign * per_route.astype(np.int64)
            return
        cells = routes.astype(np.intp) * self.counts.shape[1] + states
        per_cell = np.bincount(cells, weights=people, minlength=self.counts.size)
        self.counts += sign * per_cell.astype(np.int64).reshape(self.counts.shape)

    def person_days(self, today: float) -> float:
        """Days people have spent on their journeys so far."""
        final = np.isin(self.state, self.JOURNEY_OVER)
        until = np.where(final, self.since, today)
        return float(np.sum((until - self.born) * self.people))

    def count_states(self) -> np.ndarray:
        """Recount people per route and state from the rows (slow; for checks)."""
        counts = np.zeros_like(self.counts)
        np.add.at(counts, (self.route.astype(np.int64), self.state.astype(np.int64)), self.people)
        return counts

    def _reserve(self, needed: int) -> None:
        capacity = len(self._columns["state"])
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity)
        for name, column in self._columns.items():
            grown = np.zeros(new_capacity, dtype=column.dtype)
            grown[:capacity] = column
            self._columns[name] = grown


class Calendar:
    """People due to act on a given day (end of travel, detention, a return).

    A person waits for one thing at a time, so a booking is a due day and a kind per
    person, kept in arrays indexed by row: booking is an assignment, and a day's list is
    one scan. A day's people come in row order, oldest first.
    """

    KINDS = ("hub", "release", "return")

    def __init__(self, capacity: int = 1024) -> None:
        self._day = np.full(capacity, -1, dtype=np.int32)
        self._kind = np.zeros(capacity, dtype=np.int8)
        self._today = -1

    def add(self, days: np.ndarray, rows: np.ndarray, what: str) -> None:
        """Book each row for `what` on its day (rounded down; tomorrow at the earliest)."""
        if len(rows) == 0:
            return
        needed = int(rows.max()) + 1
        if needed > len(self._day):
            grow = max(needed, 2 * len(self._day)) - len(self._day)
            self._day = np.concatenate([self._day, np.full(grow, -1, dtype=np.int32)])
            self._kind = np.concatenate([self._kind, np.zeros(grow, dtype=np.int8)])
        # A day already handed out is never looked at again.
        self._day[rows] = np.maximum(np.floor(days), self._today + 1)
        self._kind[rows] = self.KINDS.index(what)

    def pop(self, day: int) -> dict[str, np.ndarray]:
        """Everything due on `day`, by kind, removed from the calendar."""
        self._today = day
        due = np.flatnonzero(self._day == day)
        self._day[due] = -1
        kinds = self._kind[due]
        booked = {what: due[kinds == k] for k, what in enumerate(self.KINDS)}
        return {what: rows for what, rows in booked.items() if len(rows)}


class WaitingLine:
    """People waiting at one crossing's hub, first come first served.

    Its length is in people. The rows wait in a buffer, the front at `_head`; taking
    fewer people than the row at the front holds splits that row, and the rest of it
    keeps its place (`take_from_lines`).
    """

    def __init__(self, migrants: Migrants) -> None:
        self._migrants = migrants
        self._rows = np.empty(16, dtype=np.int64)
        self._head = 0
        self._tail = 0
        self.length = 0

    def join(self, rows: np.ndarray, people: int | None = None) -> None:
        """Add people (`people` of them, if known) at the back of the line."""
        n = len(rows)
        if n == 0:
            return
        if self._tail + n > len(self._rows):
            waiting = self._rows[self._head : self._tail]
            grown = np.empty(max(2 * len(waiting) + n, 16), dtype=np.int64)
            grown[: len(waiting)] = waiting
            self._rows, self._head, self._tail = grown, 0, len(waiting)
        self._rows[self._tail : self._tail + n] = rows
        self._tail += n
        self.length += self._migrants.headcount(rows) if people is None else people

    def front(self, people: int) -> np.ndarray:
        """The rows that hold the first `people` people (at most: every row holds one)."""
        return self._rows[self._head : min(self._head + people, self._tail)]

    def take(self, people: int) -> np.ndarray:
        """Remove up to `people` people from the front of the line; return their rows."""
        return take_from_lines(self._migrants, [self], [people])[0]


def take_from_lines(
    migrants: Migrants, lines: list[WaitingLine], people: Sequence[int]
) -> list[np.ndarray]:
    """Take up to ``people[i]`` people from the front of ``lines[i]``, for every line at once.

    Where a line's count ends inside a row, that row is split: its first part is taken,
    the rest keeps its place at the front.

    Returns:
        The rows taken from each line, in line order.
    """
    wanted = np.minimum(people, [line.length for line in lines])
    fronts = [line.front(int(n)) for line, n in zip(lines, wanted.tolist(), strict=True)]
    sizes = np.array([len(f) for f in fronts])
    rows = np.concatenate(fronts) if fronts else np.empty(0, dtype=np.int64)
    if migrants.single:
        # A row per person: the front rows are exactly the people taken.
        for line, n in zip(lines, sizes.tolist(), strict=True):
            line._head += n
            line.length -= n
        return np.split(rows, np.cumsum(sizes)[:-1])
    line_of = np.repeat(np.arange(len(lines)), sizes)
    heads = migrants.people[rows]
    before = np.cumsum(heads) - heads
    # People ahead of each row in its own line, not in the lines before it.
    before -= before[np.repeat(np.cumsum(sizes) - sizes, sizes)]
    need = wanted[line_of] - before
    whole = heads <= need
    part = ~whole & (need > 0)
    taken = rows.copy()
    if part.any():
        taken[part] = migrants.peel(rows[part], need[part])
    keep = whole | part
    n_whole = np.bincount(line_of[whole], minlength=len(lines)).tolist()
    for line, advance, n in zip(lines, n_whole, wanted.tolist(), strict=True):
        line._head += advance
        line.length -= n
    return np.split(taken[keep], np.cumsum(np.bincount(line_of[keep], minlength=len(lines)))[:-1])
