"""Runs: ids, common replicate seeds across points, chunks."""

from __future__ import annotations

import pandas as pd

from routesim.ensemble import replicate_seeds
from routesim.sweeps.parameters import Parameter
from routesim.sweeps.runs import plan_runs


def test_runs_cross_points_with_the_same_replicate_seeds():
    points = pd.DataFrame({"x": [0.0, 1.0, 2.0]})
    runs = plan_runs(points, [Parameter("x", 0.0, 2.0, integer=True)], replicates=3, seed=9)
    assert [r.run for r in runs] == list(range(9))
    seeds = replicate_seeds(9, 3)
    for run in runs:
        assert run.run == run.point * 3 + run.replicate
        assert run.seed == seeds[run.replicate]
        assert run.values == {"x": run.point}
