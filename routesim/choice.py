"""How people choose: random utility over crossings (a multinomial logit).

Each person picks the option with the best utility after a Gumbel taste shock, which
is a draw from the logit probabilities. People who share a row share its attributes
but choose each for themselves, so a row's people may split between options.

A person's utility of an option is the sum of three terms: one of the place they are
at (distance, the route's pull), one of the person and the option's group (their view
of a route's risk and success) and the option's price times the person's sensitivity
to it. The terms are passed apart, not as a people x options table: a day's choice at
one person per row meets thousands of people and sixty crossings, and the table's
building and passes over it used to cost more than the choice itself. Utilities and
the draw are compiled (numba), one uniform draw per person; the exponentials between
them are numpy's, which are vectorised.
"""

from __future__ import annotations

import numba
import numpy as np


def logit_split(
    reach: np.ndarray,
    place: np.ndarray,
    personal: np.ndarray,
    group: np.ndarray,
    price: np.ndarray,
    price_weight: np.ndarray,
    people: np.ndarray,
    rng: np.random.Generator,
    *,
    stay: float | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's pick among options, by rows of people who share their utilities.

    Row ``i``'s utility of option ``c`` (on the taste shock's unit scale) is
    ``reach[place[i], c] + personal[i, group[c]] - price[c] * price_weight[i]``.
    Options at minus infinity are never picked. With a `stay` utility, staying is one
    more option, returned as -1; a person with no option left also gets -1.

    Returns:
        Pieces of the rows: each piece's row (position in `place`), pick and head
        count, in row order; a row's pieces add up to its people.
    """
    shifted, top = _utilities(
        np.ascontiguousarray(reach, dtype=np.float64),
        np.asarray(place, dtype=np.int64),
        np.ascontiguousarray(personal, dtype=np.float64),
        np.asarray(group, dtype=np.int64),
        np.asarray(price, dtype=np.float64),
        np.asarray(price_weight, dtype=np.float64),
        -np.inf if stay is None else float(stay),
    )
    # numpy's exp is vectorised (SIMD); a compiled loop's is several times slower.
    weights = np.exp(shifted)
    staying = np.zeros(len(top)) if stay is None else np.exp(stay - top)
    people = np.asarray(people, dtype=np.int64)
    return _share_out(weights, staying, people, rng.random(int(people.sum())))


@numba.njit(cache=True)
def _utilities(reach, place, personal, group, price, price_weight, stay):
    """Each row's utilities less the row's best (staying included), and that best."""
    n_options = reach.shape[1]
    shifted = np.empty((len(place), n_options), dtype=np.float32)
    top = np.empty(len(place))
    for i in range(len(place)):
        best = stay
        for c in range(n_options):
            u = reach[place[i], c] + personal[i, group[c]] - price[c] * price_weight[i]
            shifted[i, c] = u
            best = max(best, u)
        # With nowhere to go and no staying, every weight is exp(-inf) = 0.
        top[i] = best if best > -np.inf else 0.0
        for c in range(n_options):
            shifted[i, c] -= top[i]
    return shifted, top


@numba.njit(cache=True)
def _share_out(weights, staying, people, uniforms):
    """Each row's people drawn over its options' `weights` and its `staying` weight."""
    n_options = weights.shape[1]
    # Cumulative weights of the options, staying last.
    cumulative = np.empty(n_options + 1)
    counts = np.zeros(n_options + 1, dtype=np.int64)
    n_pieces = min(len(uniforms), len(people) * (n_options + 1))
    rows = np.empty(n_pieces, dtype=np.int64)
    picks = np.empty(n_pieces, dtype=np.int64)
    heads = np.empty(n_pieces, dtype=np.int32)
    k = 0
    drawn = 0
    for i in range(len(people)):
        total = 0.0
        for c in range(n_options):
            total += weights[i, c]
            cumulative[c] = total
        options_total = total
        total += staying[i]
        cumulative[n_options] = total
        if total == 0.0:
            # Nowhere to go: the whole row keeps to what it had (-1).
            rows[k], picks[k], heads[k] = i, -1, people[i]
            k += 1
            drawn += people[i]
            continue
        counts[:] = 0
        for _ in range(people[i]):
            pick = np.searchsorted(cumulative, uniforms[drawn] * total, side="right")
            drawn += 1
            if pick > n_options or (pick == n_options and staying[i] == 0.0):
                # Rounding put the draw at the very total: the last option with weight.
                pick = np.searchsorted(cumulative, options_total, side="left")
            counts[pick] += 1
        for option in range(n_options + 1):
            if counts[option] > 0:
                rows[k], heads[k] = i, counts[option]
                picks[k] = option if option < n_options else -1
                k += 1
    return rows[:k], picks[:k], heads[:k]
