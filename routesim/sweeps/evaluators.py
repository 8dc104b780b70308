"""Evaluating runs: what the engine keeps of each run of a sweep, and the rows stored.

The engine (`routesim.engine`) runs a sweep's runs where its backend says, each a
`Simulation` of the base scenario with the run's parameter values as overrides;
`sweep_outcomes` keeps the outcomes the sweep asks for, and `rows` lays a chunk of
them out as the store's rows. Results depend only on the run, so they are the same
whichever process or machine evaluates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routesim.engine import Simulation
from routesim.sweeps.outcomes import OutcomeSpec
from routesim.sweeps.runs import Run

if TYPE_CHECKING:
    from routesim.geography import Geography

#: Identifying columns of a stored run, before its parameters and outcomes.
RUN_COLUMNS: tuple[str, ...] = ("run", "point", "replicate", "seed", "config_hash")


def sweep_outcomes(
    spec: OutcomeSpec, simulation: Simulation, geography: Geography
) -> dict[str, float]:
    """Run one run of a sweep and keep the outcomes of `spec`."""
    model = simulation.model(geography)
    daily = model.run()
    return spec.evaluate(model.config, daily, model.country_totals(), simulation.scale)


def rows(
    runs: Sequence[Run],
    outcomes: Sequence[dict[str, float]],
    parameters: tuple[str, ...],
    spec: OutcomeSpec,
    config_hash: str,
) -> pd.DataFrame:
    """The stored rows of some runs and their outcomes.

    Returns:
        One row per run: `RUN_COLUMNS`, one float column per parameter (by dotted
        name), then one float column per outcome.
    """
    records = [
        {
            "run": run.run,
            "point": run.point,
            "replicate": run.replicate,
            "seed": run.seed,
            "config_hash": config_hash,
            **{name: float(run.values[name]) for name in parameters},
            **outcome,
        }
        for run, outcome in zip(runs, outcomes, strict=True)
    ]
    frame = pd.DataFrame(records, columns=[*RUN_COLUMNS, *parameters, *spec.columns()])
    # Fixed dtypes, so that every part file of a sweep has the same Parquet schema.
    ids = {column: np.int64 for column in ("run", "point", "replicate", "seed")}
    floats = {column: np.float64 for column in frame.columns[len(RUN_COLUMNS) :]}
    return frame.astype({**ids, "config_hash": str, **floats})
