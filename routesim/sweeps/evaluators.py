"""Evaluating runs: the function a worker calls on one chunk of a sweep.

A task carries the base scenario, the outcome spec and a chunk of runs; the worker
applies each run's parameter values to the base scenario, runs the model and keeps
the outcomes. The geography is loaded once per worker process and cached there, never
shipped with a task. Results depend only on the task's content, so they are the same
whichever process or machine evaluates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routesim.sweeps.outcomes import OutcomeSpec
from routesim.sweeps.runs import Run

if TYPE_CHECKING:
    from routesim.scenario import Scenario

#: Identifying columns of a stored run, before its parameters and outcomes.
RUN_COLUMNS: tuple[str, ...] = ("run", "point", "replicate", "seed", "config_hash")


@dataclass(frozen=True)
class ChunkTask:
    """Runs for one worker to evaluate, with everything they need besides the geography.

    Attributes:
        base: The resolved base scenario.
        scale: People per agent.
        outcomes: What to keep of each run.
        parameters: Names of the swept parameters, in column order.
        config_hash: The sweep's config hash, stored on every row.
        runs: The runs of this chunk.
        geodata: Folder of the geodata layers; the bundled ones by default.
    """

    base: Scenario
    scale: float
    outcomes: OutcomeSpec
    parameters: tuple[str, ...]
    config_hash: str
    runs: tuple[Run, ...]
    geodata: Path | None = None


def evaluate_chunk(task: ChunkTask) -> pd.DataFrame:
    """Run every run of a chunk and return their rows.

    Args:
        task: The chunk.

    Returns:
        One row per run: `RUN_COLUMNS`, one float column per parameter (by dotted
        name), then one float column per outcome.
    """
    from routesim.geography import shared_geography
    from routesim.model import RouteModel

    # One load per worker process (about 0.3 s), reused by every later chunk.
    geography = shared_geography(task.geodata)
    rows = []
    for run in task.runs:
        scenario = task.base.with_overrides(run.values)
        model = RouteModel(scenario, seed=run.seed, scale=task.scale, geography=geography)
        daily = model.run()
        outcomes = task.outcomes.evaluate(scenario, daily, model.country_totals(), task.scale)
        rows.append(
            {
                "run": run.run,
                "point": run.point,
                "replicate": run.replicate,
                "seed": run.seed,
                "config_hash": task.config_hash,
                **{name: float(run.values[name]) for name in task.parameters},
                **outcomes,
            }
        )
    frame = pd.DataFrame(rows, columns=[*RUN_COLUMNS, *task.parameters, *task.outcomes.columns()])
    # Fixed dtypes, so that every part file of a sweep has the same Parquet schema.
    ids = {column: np.int64 for column in ("run", "point", "replicate", "seed")}
    floats = {column: np.float64 for column in frame.columns[len(RUN_COLUMNS) :]}
    return frame.astype({**ids, "config_hash": str, **floats})
