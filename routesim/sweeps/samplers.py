"""Designs: the points of a sweep, one row per point and one column per parameter.

A sampler turns the swept parameters into a table of points; the runs module
crosses the points with replicate seeds. Each sampler is deterministic in the
sweep's seed, so the same config always yields the same points.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from routesim.sweeps.parameters import Parameter


class Sampler(Protocol):
    """Anything that makes the points of a design."""

    def sample(self, parameters: Sequence[Parameter], seed: int) -> pd.DataFrame:
        """Return one row per point, one column per parameter (by dotted name)."""
        ...


@dataclass(frozen=True)
class GridSampler:
    """Full-factorial grid: every combination of each parameter's grid values.

    The last parameter varies fastest, so points of a two-parameter grid fill a
    table row by row.
    """

    def sample(self, parameters: Sequence[Parameter], seed: int) -> pd.DataFrame:
        """The grid's points; ``seed`` is unused (a grid is not random)."""
        axes = [p.grid_values() for p in parameters]
        rows = list(itertools.product(*axes))
        return pd.DataFrame(rows, columns=[p.name for p in parameters], dtype=np.float64)


@dataclass(frozen=True)
class LatinHypercubeSampler:
    """Latin hypercube of ``samples`` points over the parameters' ranges (scipy's qmc)."""

    samples: int

    def sample(self, parameters: Sequence[Parameter], seed: int) -> pd.DataFrame:
        """``samples`` points, one per stratum of every parameter's range."""
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(parameters), rng=np.random.default_rng(seed)).random(
            self.samples
        )
        return _from_unit(parameters, unit)


@dataclass(frozen=True)
class SobolSampler:
    """Saltelli's extension of a Sobol sequence (SALib), for first- and total-order indices.

    With ``samples`` = N base samples and D parameters the design has N (D + 2) points,
    in the order SALib's Sobol analysis expects them. Second-order indices are not
    computed: they would double the runs and the reports do not show them.
    """

    samples: int

    def sample(self, parameters: Sequence[Parameter], seed: int) -> pd.DataFrame:
        """The Saltelli points, scaled to each parameter's range."""
        from SALib.sample import sobol

        unit_problem = {
            "num_vars": len(parameters),
            "names": [p.name for p in parameters],
            "bounds": [[0.0, 1.0]] * len(parameters),
        }
        unit = sobol.sample(unit_problem, self.samples, calc_second_order=False, seed=seed)
        return _from_unit(parameters, unit)


@dataclass(frozen=True)
class MorrisSampler:
    """Morris's elementary-effects trajectories (SALib), for screening many parameters.

    Each of the ``trajectories`` walks a grid of ``levels`` values per parameter, moving
    one parameter at a time, so the design has trajectories x (D + 1) points, in the order
    SALib's Morris analysis expects them.
    """

    trajectories: int
    levels: int = 4

    def sample(self, parameters: Sequence[Parameter], seed: int) -> pd.DataFrame:
        """The trajectories' points, scaled to each parameter's range."""
        from SALib.sample import morris

        unit_problem = {
            "num_vars": len(parameters),
            "names": [p.name for p in parameters],
            "bounds": [[0.0, 1.0]] * len(parameters),
        }
        unit = morris.sample(unit_problem, self.trajectories, num_levels=self.levels, seed=seed)
        return _from_unit(parameters, unit)


def salib_problem(parameters: Sequence[Parameter]) -> dict[str, Any]:
    """The SALib problem definition of the swept parameters (names and bounds)."""
    return {
        "num_vars": len(parameters),
        "names": [p.name for p in parameters],
        "bounds": [[p.low, p.high] for p in parameters],
    }


def make_sampler(kind: str, samples: int | None, levels: int | None = None) -> Sampler:
    """The sampler of a design kind (``grid``, ``latin_hypercube``, ``sobol`` or ``morris``).

    Raises:
        ValueError: For an unknown kind, or a random design without ``samples``.
    """
    if kind == "grid":
        return GridSampler()
    if samples is None:
        raise ValueError(f"a {kind} design needs samples")
    if kind == "latin_hypercube":
        return LatinHypercubeSampler(samples)
    if kind == "sobol":
        return SobolSampler(samples)
    if kind == "morris":
        return MorrisSampler(samples, levels if levels is not None else 4)
    raise ValueError(f"unknown design kind {kind!r}")


def _from_unit(parameters: Sequence[Parameter], unit: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {p.name: p.from_unit(unit[:, j]) for j, p in enumerate(parameters)}, dtype=np.float64
    )
