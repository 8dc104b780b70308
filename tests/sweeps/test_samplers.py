"""Designs: grid order, Latin hypercube strata, Saltelli size and bounds, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from routesim.sweeps.parameters import Parameter
from routesim.sweeps.samplers import GridSampler, LatinHypercubeSampler, SobolSampler

A = Parameter("a", 0.0, 10.0, levels=3)
B = Parameter("b", 1.0, 2.0, values=(2.0, 1.0))
C = Parameter("c", -1.0, 1.0)
N = Parameter("n", 1.0, 4.0, integer=True)


def test_grid_is_the_full_product_last_parameter_fastest():
    points = GridSampler().sample([A, B], seed=0)
    assert points.columns.tolist() == ["a", "b"]
    assert points.to_numpy().tolist() == [
        [0.0, 2.0],
        [0.0, 1.0],
        [5.0, 2.0],
        [5.0, 1.0],
        [10.0, 2.0],
        [10.0, 1.0],
    ]


def test_integer_grids_round_and_drop_repeated_levels():
    assert Parameter("n", 1.0, 3.0, levels=5, integer=True).grid_values() == [1.0, 2.0, 3.0]


def test_latin_hypercube_puts_one_point_in_each_stratum():
    samples = 20
    points = LatinHypercubeSampler(samples).sample([A, C], seed=4)
    for parameter in (A, C):
        unit = (points[parameter.name] - parameter.low) / (parameter.high - parameter.low)
        strata = np.floor(unit * samples).astype(int)
        assert sorted(strata) == list(range(samples))
    again = LatinHypercubeSampler(samples).sample([A, C], seed=4)
    other = LatinHypercubeSampler(samples).sample([A, C], seed=5)
    assert points.equals(again)
    assert not points.equals(other)


def test_saltelli_design_has_n_times_d_plus_2_points_in_bounds():
    points = SobolSampler(8).sample([A, C, N], seed=1)
    assert len(points) == 8 * (3 + 2)
    for parameter in (A, C, N):
        column = points[parameter.name]
        assert column.between(parameter.low, parameter.high).all()
    assert (points["n"] == points["n"].round()).all()
    assert points.equals(SobolSampler(8).sample([A, C, N], seed=1))


@pytest.mark.parametrize("sampler", [LatinHypercubeSampler(16), SobolSampler(16)])
def test_random_designs_spread_over_the_whole_range(sampler):
    points = sampler.sample([A, C], seed=2)
    assert points["a"].min() < 1.0 and points["a"].max() > 9.0
