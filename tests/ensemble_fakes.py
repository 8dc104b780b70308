"""A stand-in for `routesim.model.simulate`: seeded random daily tables of the right shape.

Module-level so that worker processes can unpickle it by reference.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from routesim.outcomes import FLOW_METRICS, STOCK_METRICS, OutcomeLedger
from routesim.routes import ROUTES


def fake_simulate(
    scenario: Any, seed: int, scale: float = 1.0, geography: Any = None
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    meta = scenario.scenario
    ledger = OutcomeLedger(meta.start, meta.days)
    rates = rng.uniform(0.5, 50.0, size=(len(ROUTES), len(FLOW_METRICS)))
    for day in range(meta.days):
        for r, route in enumerate(ROUTES):
            for m, metric in enumerate(FLOW_METRICS):
                if metric != "dead_missing":  # derived by the ledger
                    ledger.add(day, route, metric, scale * rng.poisson(rates[r, m]))
            for metric in STOCK_METRICS:
                ledger.set_stock(day, route, metric, float(rng.uniform(100, 2000)))
    return ledger.to_frame()


def failing_simulate(
    scenario: Any, seed: int, scale: float = 1.0, geography: Any = None
) -> pd.DataFrame:
    raise RuntimeError(f"replicate with seed {seed} failed")


def fake_daily_table(simulation: Any, geography: Any) -> pd.DataFrame:
    """`fake_simulate` as the engine's evaluate function (stands in for `daily_table`)."""
    return fake_simulate(simulation.resolved(), simulation.seed, simulation.scale, geography)
