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

import numba
import numpy as np

from routesim.routes import ROUTES

#: Route index of people who have not chosen a route yet.
NO_ROUTE = len(ROUTES)


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
        #: The row behind in its waiting line (`WaitingLines`), or -1.
        "behind": np.int32,
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

    #: A row's record: one field per column, so that a row is copied whole at once.
    _ROW = np.dtype(list(_COLUMNS.items()))

    def __init__(self, capacity: int = 1024) -> None:
        self.size = 0
        self._table = np.zeros(capacity, dtype=self._ROW)
        self.counts = np.zeros((len(ROUTES) + 1, len(State)), dtype=np.int64)
        #: Whether every row holds one person (as at scale 1, where rows are never split):
        #: then a head count is a number of rows, and the cheap paths serve.
        self.single = True

    def __getattr__(self, name: str) -> np.ndarray:
        table = self.__dict__.get("_table")
        if table is not None and name in self._COLUMNS:
            return table[name][: self.size]
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
        new = self._table[self.size - n : self.size]
        new["people"] = people
        new["origin"] = origin
        new["place"] = place
        new["state"] = state
        new["crossing"] = -1
        new["route"] = NO_ROUTE
        new["attempts"] = 0
        new["since"] = day
        new["born"] = day
        new["boat"] = -1
        new["behind"] = -1
        new["means"] = 0.0 if means is None else means
        new["risk_aversion"] = 1.0 if risk_aversion is None else risk_aversion
        new["informed"] = False if informed is None else informed
        self.single = self.single and (n == 0 or int(np.max(people)) == 1)
        self.counts[NO_ROUTE, state] += int(np.sum(people))
        return rows

    def headcount(self, rows: np.ndarray) -> int:
        """People in `rows`."""
        return len(rows) if self.single else int(self._table["people"][rows].sum())

    def per_route(self, rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """People of `rows` (each times its weight, if given) summed per route.

        Returns:
            One sum per route, in the order of `ROUTES`, and a last one for people
            with no route yet.
        """
        return _per_route(self._table, rows, _NO_WEIGHTS if weights is None else weights)

    def peel(self, rows: np.ndarray, people: np.ndarray) -> np.ndarray:
        """Split `people[i]` people off row `rows[i]` into a new row of their own.

        The new rows copy everything but the head count; the old rows keep the rest
        (a row may appear several times). State counts do not change: the people stay
        in the same state on the same route.

        Returns:
            The new rows, in the order of `rows`.
        """
        new = self._new_rows(len(rows))
        _peel(self._table, rows, people, new)
        return new

    def _new_rows(self, n: int) -> np.ndarray:
        self._reserve(self.size + n)
        self.size += n
        return np.arange(self.size - n, self.size)

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
        people = self._table["people"][rows]
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
        row_ends = np.cumsum(self._table["people"][rows])
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
        pieces = rows[source]
        new = self._new_rows(len(source))
        used = _share_out(self._table, pieces, source, people, len(rows), new)
        self.size -= len(new) - used
        return pieces

    def divide(self, rows: np.ndarray, n_pieces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Split each row into ``n_pieces[i]`` pieces, as even as its people allow.

        A row's first piece stays in the row; the others are split off, in order.

        Returns:
            Each piece's row, and its owner (position in `rows`).
        """
        new = self._new_rows(int(n_pieces.sum()) - len(rows))
        return _divide(self._table, rows, n_pieces, new)

    def draw(
        self, rows: np.ndarray, chance: float | np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each person of `rows` meets a fate with `chance` (per row, or one for all).

        Draws for each person (so a row's count is binomial) and splits rows whose
        people differ. A uniform draw per person, counted per row, is several times
        cheaper than numpy's binomial draw on a boat's few rows.

        Returns:
            The rows of the people who do, and of those who do not.
        """
        if len(rows) == 0:
            return rows, rows
        if self.single:
            # One person per row: a uniform draw is much cheaper than a binomial.
            hit = rng.random(len(rows)) < chance
            return rows[hit], rows[~hit]
        luck = rng.random(int(self._table["people"][rows].sum()))
        chances = np.full(len(rows), chance) if np.ndim(chance) == 0 else chance
        new = self._new_rows(len(rows))
        drawn, kept, used = _part(self._table, rows, chances, luck, new)
        self.size -= len(new) - used
        return drawn, kept

    def plan(self, rows: np.ndarray, crossings: np.ndarray, routes: np.ndarray) -> None:
        """Give people a crossing to aim for; their counts follow them to its route."""
        _plan(self._table, self.counts, rows, crossings, routes)

    def move(
        self, rows: np.ndarray, state: State, day: float, place: np.ndarray | int | None = None
    ) -> None:
        """Change the state of `rows` (and optionally their place)."""
        if len(rows) == 0:
            return
        places = _NO_PLACE if place is None else np.asarray(place, dtype=np.int16).reshape(-1)
        _move(self._table, self.counts, rows, int(state), float(day), places)

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
        capacity = len(self._table)
        if needed <= capacity:
            return
        grown = np.zeros(max(needed, 2 * capacity), dtype=self._ROW)
        grown[:capacity] = self._table
        self._table = grown


class Calendar:
    """People due to act on a given day (end of travel, detention, a return).

    A person waits for one thing at a time, so a booking is a due day and a kind per
    person, kept in arrays indexed by row: booking again replaces a booking. The
    bookings not yet due are also kept as a list, so that a day's people are found
    among those booked (tens of thousands) rather than among every row ever booked
    (millions over a history run); a listed booking since replaced is passed over. A
    day's people come in row order, oldest first.
    """

    KINDS = ("hub", "release", "return", "readmit")

    def __init__(self, capacity: int = 1024) -> None:
        self._day = np.full(capacity, -1, dtype=np.int32)
        self._kind = np.zeros(capacity, dtype=np.int8)
        #: Bookings not yet due, as (rows, due days): one pair of arrays, and the pairs
        #: added since it was last gathered.
        self._listed = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32))
        self._added: list[tuple[np.ndarray, np.ndarray]] = []
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
        due = np.maximum(np.floor(days), self._today + 1).astype(np.int32)
        self._day[rows] = due
        self._kind[rows] = self.KINDS.index(what)
        self._added.append((rows, due))

    def pop(self, day: int) -> dict[str, np.ndarray]:
        """Everything due on `day`, by kind, removed from the calendar."""
        self._today = day
        rows, days = self._listed
        if self._added:
            rows = np.concatenate([rows, *(r for r, _ in self._added)])
            days = np.concatenate([days, *(d for _, d in self._added)])
            self._added = []
        kept_rows, kept_days, due = _due_on(rows, days, day, self._day)
        self._listed = (kept_rows, kept_days)
        kinds = self._kind[due]
        booked = {what: due[kinds == k] for k, what in enumerate(self.KINDS)}
        return {what: rows for what, rows in booked.items() if len(rows)}


class WaitingLines:
    """People waiting at each crossing's hub, first come first served: one line each.

    A line is a chain of rows through the store (each row names the row behind it), so
    that joining and taking are a few steps per row for every line at once. Lengths
    are in people; taking fewer people than the row at the front holds splits that
    row, and the rest of it keeps its place.
    """

    def __init__(self, migrants: Migrants, n_lines: int) -> None:
        self._migrants = migrants
        self._front = np.full(n_lines, -1, dtype=np.int64)
        self._back = np.full(n_lines, -1, dtype=np.int64)
        #: People in each line.
        self.lengths = np.zeros(n_lines, dtype=np.int64)

    def join(self, rows: np.ndarray, lines: np.ndarray | int) -> None:
        """Add `rows`, in order, at the back of their lines (one for all, or one per row)."""
        if len(rows) == 0:
            return
        if np.ndim(lines) == 0:
            lines = np.full(len(rows), lines)
        _join(self._migrants._table, self._front, self._back, self.lengths, rows, lines)

    def take(self, lines: Sequence[int], people: Sequence[int]) -> list[np.ndarray]:
        """Take up to ``people[i]`` people from the front of line ``lines[i]``, for each i.

        Returns:
            The rows taken from each line, in line order.
        """
        ids = np.asarray(lines, dtype=np.int64)
        wanted = np.minimum(np.asarray(people, dtype=np.int64), self.lengths[ids])
        m = self._migrants
        new = m._new_rows(len(ids))
        taken, ends, used = _take(m._table, self._front, self._back, self.lengths, ids, wanted, new)
        m.size -= len(new) - used
        return np.split(taken, ends[:-1])


# The store's row operations, compiled (numba): they are called tens of thousands of
# times a year on a boat's or a day's few rows, where numpy's per-call cost would
# outweigh the work. They change rows in place and keep the state counts.

_NO_PLACE = np.empty(0, dtype=np.int16)
_NO_WEIGHTS = np.empty(0)


@numba.njit(cache=True)
def _per_route(table, rows, weights):
    """`Migrants.per_route`: weights are one per row, or none (1 each)."""
    sums = np.zeros(NO_ROUTE + 1)
    for k in range(len(rows)):
        row = table[rows[k]]
        sums[row.route] += row.people * (weights[k] if len(weights) else 1.0)
    return sums


@numba.njit(cache=True)
def _split_off(table, row, new, people):
    """Move `people` of `row` into the `new` row, which copies everything else."""
    table[new] = table[row]
    table[new].people = people
    table[row].people -= people


@numba.njit(cache=True)
def _peel(table, rows, people, new):
    """Copy each of `rows` into its `new` row, moving `people` of it there."""
    for k in range(len(rows)):
        _split_off(table, rows[k], new[k], people[k])


@numba.njit(cache=True)
def _share_out(table, pieces, source, people, n_rows, new):
    """`Migrants.share_out`: pieces after a row's first are peeled into `new` rows.

    Returns:
        How many of `new` were used.
    """
    seen = np.zeros(n_rows, dtype=np.bool_)
    used = 0
    for i in range(len(source)):
        if seen[source[i]]:
            _split_off(table, pieces[i], new[used], people[i])
            pieces[i] = new[used]
            used += 1
        seen[source[i]] = True
    return used


@numba.njit(cache=True)
def _divide(table, rows, n_pieces, new):
    pieces = np.empty(len(rows) + len(new), dtype=np.int64)
    owner = np.empty(len(pieces), dtype=np.int64)
    k, used = 0, 0
    for i in range(len(rows)):
        row = rows[i]
        base, extra = divmod(table[row].people, n_pieces[i])
        pieces[k], owner[k] = row, i
        k += 1
        for rank in range(1, n_pieces[i]):
            _split_off(table, row, new[used], base + (rank < extra))
            pieces[k], owner[k] = new[used], i
            k += 1
            used += 1
    return pieces, owner


@numba.njit(cache=True)
def _part(table, rows, chances, luck, new):
    """Part `rows` by a uniform draw per person (`luck`) against each row's chance.

    A row partly hit keeps its other people; those hit move to a `new` row.

    Returns:
        The rows hit (whole rows first, then new ones), the rows not hit, and how many
        of `new` were used.
    """
    drawn = np.empty(len(rows), dtype=np.int64)
    kept = np.empty(len(rows), dtype=np.int64)
    n_whole, n_kept, used, person = 0, 0, 0, 0
    for k in range(len(rows)):
        row = rows[k]
        heads = table[row].people
        hit = 0
        for _ in range(heads):
            hit += luck[person] < chances[k]
            person += 1
        if hit == heads:
            drawn[n_whole] = row
            n_whole += 1
            continue
        kept[n_kept] = row
        n_kept += 1
        if hit > 0:
            _split_off(table, row, new[used], hit)
            used += 1
    drawn[n_whole : n_whole + used] = new[:used]
    return drawn[: n_whole + used], kept[:n_kept], used


@numba.njit(cache=True)
def _plan(table, counts, rows, crossings, routes):
    for k in range(len(rows)):
        row = table[rows[k]]
        counts[row.route, row.state] -= row.people
        row.crossing = crossings[k]
        row.route = routes[k]
        counts[row.route, row.state] += row.people


@numba.njit(cache=True)
def _move(table, counts, rows, state, day, places):
    """Move `rows` to `state` (and to `places`: none, one for all, or one per row)."""
    for k in range(len(rows)):
        row = table[rows[k]]
        counts[row.route, row.state] -= row.people
        counts[row.route, state] += row.people
        row.state = state
        row.since = day
        if len(places) == 1:
            row.place = places[0]
        elif len(places) > 1:
            row.place = places[k]


@numba.njit(cache=True)
def _join(table, front, back, lengths, rows, lines):
    for k in range(len(rows)):
        row, line = rows[k], lines[k]
        table[row].behind = -1
        if back[line] >= 0:
            table[back[line]].behind = row
        else:
            front[line] = row
        back[line] = row
        lengths[line] += table[row].people


@numba.njit(cache=True)
def _take(table, front, back, lengths, lines, wanted, new):
    """`WaitingLines.take`: a row the count ends in is split into one of `new`.

    Returns:
        The rows taken, line after line; where each line's rows end; and how many of
        `new` were used.
    """
    taken = np.empty(wanted.sum(), dtype=np.int64)
    ends = np.empty(len(lines), dtype=np.int64)
    n, used = 0, 0
    for i in range(len(lines)):
        line, need = lines[i], wanted[i]
        lengths[line] -= need
        while need > 0:
            row = front[line]
            heads = table[row].people
            if heads <= need:
                front[line] = table[row].behind
                taken[n] = row
                need -= heads
            else:
                _split_off(table, row, new[used], need)
                taken[n] = new[used]
                used += 1
                need = 0
            n += 1
        if front[line] < 0:
            back[line] = -1
        ends[i] = n
    return taken[:n], ends, used


@numba.njit(cache=True)
def _due_on(rows, days, day, booked):
    """`Calendar.pop`'s pass over the listed bookings.

    Returns the bookings not due on `day` (rows and days, in listed order) and the rows
    still booked for `day` (each once, in row order), whose bookings it clears.
    """
    n = len(rows)
    kept_rows = np.empty(n, dtype=rows.dtype)
    kept_days = np.empty(n, dtype=days.dtype)
    today = np.empty(n, dtype=rows.dtype)
    kept = listed_today = 0
    for i in range(n):
        if days[i] == day:
            today[listed_today] = rows[i]
            listed_today += 1
        else:
            kept_rows[kept] = rows[i]
            kept_days[kept] = days[i]
            kept += 1
    # A row booked again (for another day) since it was listed is passed over here.
    listed = np.sort(today[:listed_today])
    due = np.empty(listed_today, dtype=rows.dtype)
    n_due = 0
    for j in range(listed_today):
        row = listed[j]
        if (j == 0 or row != listed[j - 1]) and booked[row] == day:
            booked[row] = -1
            due[n_due] = row
            n_due += 1
    return kept_rows[:kept].copy(), kept_days[:kept].copy(), due[:n_due]
