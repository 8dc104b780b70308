"""The logit draw against its probabilities."""

import numpy as np
import pytest
from scipy import stats

from routesim.choice import logit_draw, logit_split


def _probabilities(utility: np.ndarray, stay: float | None) -> np.ndarray:
    options = utility if stay is None else np.append(utility, stay)
    weights = np.exp(options - options.max())
    return weights / weights.sum()


@pytest.mark.parametrize("stay", [None, 0.5])
def test_draws_follow_the_logit_probabilities(stay):
    utility = np.array([1.0, 0.0, -1.0, -np.inf])
    people = 20_000
    picks = logit_draw(
        np.repeat(utility[:, None], people, axis=1), np.random.default_rng(1), stay=stay
    )
    expected = _probabilities(utility[:3], stay) * people
    observed = [np.sum(picks == k) for k in range(3)] + ([np.sum(picks == -1)] if stay else [])
    assert np.sum(picks == 3) == 0, "an option at minus infinity was picked"
    assert stats.chisquare(observed, expected).pvalue > 0.001


def test_a_person_with_nowhere_to_go_stays():
    utility = np.full((3, 5), -np.inf)
    assert (logit_draw(utility, np.random.default_rng(0), stay=None) == -1).all()


def test_a_row_of_many_shares_its_people_out_like_many_single_rows():
    utility = np.array([[0.3], [0.0], [-0.5]])
    rows, picks, heads = logit_split(
        utility, np.array([30_000]), np.random.default_rng(2), stay=0.0
    )
    assert heads.sum() == 30_000 and (rows == 0).all()
    expected = _probabilities(utility[:, 0], 0.0) * 30_000
    by_pick = {int(p): int(h) for p, h in zip(picks, heads, strict=True)}
    observed = [by_pick.get(k, 0) for k in (0, 1, 2, -1)]
    assert stats.chisquare(observed, expected).pvalue > 0.001


def test_mixed_rows_keep_every_person():
    utility = np.random.default_rng(3).normal(size=(4, 6)).astype(np.float32)
    people = np.array([1, 5, 1, 12, 1, 3])
    rows, picks, heads = logit_split(utility, people, np.random.default_rng(4), stay=None)
    assert np.bincount(rows, weights=heads, minlength=6).tolist() == people.tolist()
    assert ((picks >= 0) & (picks < 4)).all()
