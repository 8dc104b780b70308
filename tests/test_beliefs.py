"""Beliefs: news of travellers' fates reaches home after a delay and moves beliefs."""

import numpy as np

from routesim.beliefs import DEATH, SUCCESS, Beliefs
from routesim.routes import ROUTES


def _beliefs(noise: float = 0.0) -> Beliefs:
    return Beliefs(
        n_origins=2,
        initial_risk=np.full(len(ROUTES), 0.02),
        risk_prior=1.0,
        delay_days=5,
        weight=0.5,
        noise=noise,
        rng=np.random.default_rng(0),
    )


def test_news_arrives_after_the_delay_and_only_at_its_origin():
    beliefs = _beliefs()
    route = 1
    beliefs.hear(
        day=0,
        origins=np.array([0]),
        routes=np.array([route]),
        outcome=DEATH,
        people=np.array([100]),
    )
    for day in range(5):
        beliefs.update(day)
    assert beliefs.risk[0, route] == 0.02
    beliefs.update(5)
    assert beliefs.risk[0, route] > 0.5, "news of 100 deaths should raise the perceived risk"
    assert beliefs.risk[1, route] == 0.02, "another origin heard nothing"
    assert np.all(np.delete(beliefs.risk[0], route) == 0.02), "other routes unchanged"


def test_news_from_many_weighs_more_than_from_a_few():
    few, many = _beliefs(), _beliefs()
    for beliefs, n in ((few, 2), (many, 200)):
        beliefs.hear(0, np.array([0, 0]), np.array([0, 0]), SUCCESS, np.array([n, n]))
        beliefs.hear(0, np.array([0]), np.array([0]), DEATH, np.array([n]))
        beliefs.update(5)
    assert abs(many.risk[0, 0] - 1 / 3) < abs(few.risk[0, 0] - 1 / 3)
    assert many.success[0, 0] > few.success[0, 0] > 0.6


def test_the_true_risk_counts_without_delay_once_enough_outcomes_are_in():
    beliefs = _beliefs()
    beliefs.hear(0, np.array([0, 1]), np.array([2, 2]), DEATH, np.array([10, 10]))
    beliefs.hear(0, np.array([0]), np.array([2]), SUCCESS, np.array([80]))
    assert 0.02 < beliefs.true_risk()[2] < 0.2, "100 outcomes: still mostly the prior"
    beliefs.hear(0, np.array([1]), np.array([2]), DEATH, np.array([380]))
    beliefs.hear(0, np.array([0]), np.array([2]), SUCCESS, np.array([1520]))
    assert abs(beliefs.true_risk()[2] - 0.2) < 1e-9
