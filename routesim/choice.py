"""How people choose: random utility over crossings (a multinomial logit).

Each person picks the option with the best utility after a Gumbel taste shock.
People who share a row share its attributes but choose each for themselves, so a
row's people are shared out over the options by a multinomial draw.
"""

from __future__ import annotations

import numpy as np

#: Above this many people choosing at once, cumulative sums go row by row.
MANY_PEOPLE = 400


def logit_draw(utility: np.ndarray, rng: np.random.Generator, *, stay: float | None) -> np.ndarray:
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
    if cumulative.shape[1] > MANY_PEOPLE:
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


def logit_split(
    utility: np.ndarray, people: np.ndarray, rng: np.random.Generator, *, stay: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's pick among options x rows of `utility`, per row's `people`.

    One-person rows draw as `logit_draw`. The people of a larger row are shared out
    over the options by a multinomial draw on the row's logit probabilities, so that
    a row of many people chooses as many people would, not as one.

    Returns:
        Pieces: each one's row (column of `utility`), pick (-1 to stay, or where no
        option is left) and head count.
    """
    single = people == 1
    if single.all():
        return np.arange(len(people)), logit_draw(utility, rng, stay=stay), people
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
        np.concatenate([logit_draw(utility[:, one], rng, stay=stay), picks]),
        np.concatenate([people[one], counts[row, option]]).astype(np.int32),
    )
