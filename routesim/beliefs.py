"""Beliefs about routes, held by each origin community and fed by rumours.

People at an origin share what they believe of each route's death risk and chance
of getting through. News of how earlier travellers fared travels back with a delay
and with noise (rumours exaggerate and play down), and updates those beliefs;
nobody at home sees the true figures directly.
"""

from __future__ import annotations

from collections import defaultdict

import numba
import numpy as np

from routesim.routes import ROUTES

#: What a rumour can report about a traveller.
SUCCESS, DEATH, FAILURE = 0, 1, 2


class Beliefs:
    """Perceived death risk and success chance per origin and route."""

    def __init__(
        self,
        n_origins: int,
        initial_risk: np.ndarray,
        risk_prior: float,
        delay_days: float,
        weight: float,
        noise: float,
        rng: np.random.Generator,
    ) -> None:
        self.risk = np.tile(initial_risk * risk_prior, (n_origins, 1))
        self.success = np.full((n_origins, len(ROUTES)), 0.6)
        self.delay = int(round(delay_days))
        self.weight = weight
        self.noise = noise
        self.rng = rng
        self._news: dict[int, np.ndarray] = defaultdict(
            lambda: np.zeros((n_origins, len(ROUTES), 3))
        )
        # What really happens, counted without delay: the "true risk" campaigns convey.
        self._true = np.zeros((len(ROUTES), 3))
        self._initial_risk = initial_risk

    def hear(
        self,
        day: int,
        origins: np.ndarray,
        routes: np.ndarray,
        outcome: int,
        people: np.ndarray,
    ) -> None:
        """Record travellers' outcomes; their origin hears of it `delay` days later.

        Args:
            day: Today.
            origins: Each group of travellers' origin.
            routes: Each group's route index.
            outcome: `SUCCESS`, `DEATH` or `FAILURE`.
            people: Each group's head count.
        """
        if len(origins) == 0:
            return
        _file(self._news[day + self.delay], self._true, origins, routes, outcome, people)

    def update(self, day: int) -> None:
        """Fold in the news arriving today."""
        news = self._news.pop(day, None)
        if news is None:
            return
        heard = news.sum(axis=2)
        known = heard > 0
        # News from many travellers weighs more than news from a few.
        w = 1.0 - (1.0 - self.weight) ** np.minimum(heard / 10.0, 50.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            risk = news[:, :, DEATH] / heard
            success = news[:, :, SUCCESS] / heard
        # Rumours distort: each community hears the rates scaled by a lognormal factor.
        risk = risk * self.rng.lognormal(0.0, self.noise, risk.shape)
        success = np.clip(success * self.rng.lognormal(0.0, self.noise, success.shape), 0.0, 1.0)
        self.risk[known] += w[known] * (risk[known] - self.risk[known])
        self.success[known] += w[known] * (success[known] - self.success[known])

    def true_risk(self) -> np.ndarray:
        """Death risk per route as realised so far (the prior estimate until known)."""
        outcomes = self._true.sum(axis=1)
        observed = np.divide(
            self._true[:, DEATH], outcomes, out=np.zeros(len(ROUTES)), where=outcomes > 0
        )
        # Blend with the prior estimate until enough outcomes are in.
        w = np.minimum(outcomes / 2000.0, 1.0)
        return w * observed + (1 - w) * self._initial_risk


@numba.njit(cache=True)
def _file(news, true, origins, routes, outcome, people):
    """Add travellers' outcome to their origins' news and to what really happens.

    Compiled: news comes boat by boat, thousands of times a year, a few groups each.
    """
    for k in range(len(origins)):
        news[origins[k], routes[k], outcome] += people[k]
        true[routes[k], outcome] += people[k]
