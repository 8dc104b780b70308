"""Runs: every point of a design crossed with the replicate seeds.

Replicate ``k`` runs with the same seed at every point (common random numbers), the
k-th of `routesim.ensemble.replicate_seeds`, so differences between points come from
the parameters rather than from luck. A run's id is ``point * replicates + k``: it
depends only on the config, which is what lets an interrupted sweep resume.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from routesim.ensemble import replicate_seeds
from routesim.sweeps.parameters import Parameter


@dataclass(frozen=True)
class Run:
    """One simulation of a sweep.

    Attributes:
        run: Run id, unique in the sweep.
        point: Index of the design point.
        replicate: Replicate number at that point.
        seed: The model's seed.
        values: Value of each swept parameter, by dotted name, as the scenario takes it.
    """

    run: int
    point: int
    replicate: int
    seed: int
    values: dict[str, int | float]


def plan_runs(
    points: pd.DataFrame, parameters: Sequence[Parameter], replicates: int, seed: int
) -> list[Run]:
    """Every run of a sweep, in run-id order.

    Args:
        points: The design, one row per point (see `routesim.sweeps.samplers`).
        parameters: The swept parameters, for casting values to the field's type.
        replicates: Replicates per point.
        seed: The sweep's base seed.

    Returns:
        ``len(points) * replicates`` runs.
    """
    seeds = replicate_seeds(seed, replicates)
    runs = []
    for point, row in enumerate(points.itertuples(index=False)):
        values = {p.name: p.cast(v) for p, v in zip(parameters, row, strict=True)}
        for k, replicate_seed in enumerate(seeds):
            runs.append(Run(point * replicates + k, point, k, replicate_seed, values))
    return runs
