"""The logit draw against its probabilities."""

import numpy as np
import pytest
from scipy import stats

from routesim.choice import logit_split


def _probabilities(utility: np.ndarray, stay: float | None) -> np.ndarray:
    options = utility if stay is None else np.append(utility, stay)
    weights = np.exp(options - options.max())
    return weights / weights.sum()


def _split(utility: np.ndarray, people, seed: int, stay: float | None):
    """`logit_split` where each row's utilities are given whole (options x rows)."""
    n_options, n_rows = utility.shape
    return logit_split(
        utility.T,
        np.arange(n_rows),
        np.zeros((n_rows, 1)),
        np.zeros(n_options, dtype=np.int64),
        np.zeros(n_options),
        np.zeros(n_rows),
        np.asarray(people),
        np.random.default_rng(seed),
        stay=stay,
    )


def _picks_by_option(picks, heads, options) -> list[int]:
    by_pick = {int(p): 0 for p in options}
    for pick, head in zip(picks.tolist(), heads.tolist(), strict=True):
        by_pick[pick] += head
    return [by_pick[k] for k in options]


@pytest.mark.parametrize("stay", [None, 0.5])
def test_draws_follow_the_logit_probabilities(stay):
    utility = np.array([1.0, 0.0, -1.0, -np.inf])
    people = 20_000
    rows, picks, heads = _split(np.repeat(utility[:, None], people, axis=1), [1] * people, 1, stay)
    assert (heads == 1).all() and rows.tolist() == list(range(people))
    assert np.sum(picks == 3) == 0, "an option at minus infinity was picked"
    expected = _probabilities(utility[:3], stay) * people
    observed = _picks_by_option(picks, heads, [0, 1, 2] + ([-1] if stay else []))
    assert stats.chisquare(observed, expected).pvalue > 0.001


def test_the_three_terms_add_up_to_the_utility():
    # Two places, two groups: row 0 prefers option 0 by its place, row 1 option 1 by
    # its group, and a price drives row 2 off option 0.
    reach = np.array([[5.0, 0.0], [0.0, 0.0]])
    personal = np.array([[0.0, 0.0], [0.0, 5.0], [0.0, 0.0]])
    rows, picks, heads = logit_split(
        reach,
        np.array([0, 1, 0]),
        personal,
        np.array([0, 1]),
        np.array([1000.0, 0.0]),
        np.array([0.0, 0.0, 0.01]),
        np.array([1000, 1000, 1000]),
        np.random.default_rng(5),
        stay=None,
    )
    share_of_option_0 = np.bincount(rows, weights=heads * (picks == 0), minlength=3) / 1000
    assert share_of_option_0[0] > 0.98 and share_of_option_0[1] < 0.02
    assert share_of_option_0[2] < 0.02


def test_a_person_with_nowhere_to_go_keeps_to_what_they_had():
    rows, picks, heads = _split(np.full((3, 5), -np.inf), [1, 2, 1, 4, 1], 0, None)
    assert (picks == -1).all() and heads.tolist() == [1, 2, 1, 4, 1]


def test_a_row_of_many_shares_its_people_out_like_many_single_rows():
    utility = np.array([[0.3], [0.0], [-0.5]])
    rows, picks, heads = _split(utility, [30_000], 2, 0.0)
    assert heads.sum() == 30_000 and (rows == 0).all()
    expected = _probabilities(utility[:, 0], 0.0) * 30_000
    observed = _picks_by_option(picks, heads, [0, 1, 2, -1])
    assert stats.chisquare(observed, expected).pvalue > 0.001


def test_mixed_rows_keep_every_person():
    utility = np.random.default_rng(3).normal(size=(4, 6))
    people = np.array([1, 5, 1, 12, 1, 3])
    rows, picks, heads = _split(utility, people, 4, None)
    assert np.bincount(rows, weights=heads, minlength=6).tolist() == people.tolist()
    assert ((picks >= 0) & (picks < 4)).all()


def test_same_seed_same_picks():
    utility = np.random.default_rng(6).normal(size=(5, 50))
    first, second = _split(utility, [3] * 50, 7, 0.0), _split(utility, [3] * 50, 7, 0.0)
    assert all((a == b).all() for a, b in zip(first, second, strict=True))
