"""Analysis against known functions: point bands, effects, Sobol indices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from routesim.sweeps import analysis
from routesim.sweeps.config import load_sweep

from .conftest import synthetic_rows

SOBOL = """
[sweep]
name = "sobol"
seed = 3
replicates = 1

[design]
kind = "sobol"
samples = 256

[parameters."assumptions.rescue_pull"]
low = 0.0
high = 1.0

[parameters."assumptions.route_switching"]
low = 0.0
high = 1.0

[parameters."assumptions.risk_perception_accuracy"]
low = 0.0
high = 1.0

[outcomes]
metrics = ["departures"]
routes = ["all"]
lever_targets = false
"""


def test_sobol_indices_recover_a_known_function(write_config):
    sweep = load_sweep(write_config(SOBOL))
    # y = 4 x1 + x2: x1 has 16/17 of the variance, x2 1/17, x3 none.
    rows = synthetic_rows(
        sweep,
        sweep.runs(),
        lambda v, seed: 4 * v["assumptions.rescue_pull"] + v["assumptions.route_switching"],
    )
    indices = analysis.sobol_indices(rows, sweep).set_index("parameter")
    assert indices.loc["assumptions.rescue_pull", "S1"] == pytest.approx(16 / 17, abs=0.05)
    assert indices.loc["assumptions.route_switching", "ST"] == pytest.approx(1 / 17, abs=0.03)
    assert abs(indices.loc["assumptions.risk_perception_accuracy", "ST"]) < 0.01


def test_sobol_indices_need_every_point(write_config):
    sweep = load_sweep(write_config(SOBOL))
    rows = synthetic_rows(sweep, sweep.runs()[:-1], lambda v, seed: v["assumptions.rescue_pull"])
    with pytest.raises(ValueError, match="1 have no run yet"):
        analysis.sobol_indices(rows, sweep)


def test_point_bands_and_grid_effects_follow_the_runs(small_sweep):
    sweep = load_sweep(small_sweep)

    def outcome(values, seed):
        return 100 * values["levers.ngo_vessels"] + (seed % 7)

    rows = synthetic_rows(sweep, sweep.runs(), outcome)
    summary = analysis.point_summary(rows, sweep)
    first = summary[(summary["point"] == 3) & (summary["outcome"] == "departures.all")].iloc[0]
    expected = [outcome({"levers.ngo_vessels": 10}, run.seed) for run in sweep.runs()[6:8]]
    assert first["n"] == 2
    assert first["mean"] == pytest.approx(np.mean(expected))
    assert first["p05"] == pytest.approx(np.percentile(expected, 5))

    effects = analysis.all_effects(rows, sweep)
    ngo = effects[
        (effects["parameter"] == "levers.ngo_vessels") & (effects["outcome"] == "departures.all")
    ]
    # A two-parameter grid keeps the other parameter apart: 2 values x 2 levels.
    assert len(ngo) == 4 and set(ngo["by"]) == {"assumptions.rescue_pull"}
    assert sorted(ngo["mean"].round(6).unique()) == sorted(
        {
            round(
                np.mean([outcome({"levers.ngo_vessels": v}, r.seed) for r in sweep.runs()[:2]]), 6
            )
            for v in (0, 10)
        }
    )


MORRIS = SOBOL.replace('name = "sobol"', 'name = "morris"').replace(
    'kind = "sobol"\nsamples = 256', 'kind = "morris"\nsamples = 20\nlevels = 4'
)


def test_morris_screening_ranks_a_known_function(write_config):
    sweep = load_sweep(write_config(MORRIS))
    assert len(sweep.runs()) == 20 * (3 + 1)  # trajectories x (parameters + 1)
    rows = synthetic_rows(
        sweep,
        sweep.runs(),
        lambda v, seed: 4 * v["assumptions.rescue_pull"] + v["assumptions.route_switching"],
    )
    indices = analysis.morris_indices(rows, sweep).set_index("parameter")
    assert indices["rank"].to_dict() == {
        "assumptions.rescue_pull": 1,
        "assumptions.route_switching": 2,
        "assumptions.risk_perception_accuracy": 3,
    }
    # A linear function: every elementary effect is its slope, with no spread.
    assert indices.loc["assumptions.rescue_pull", "mu_star"] == pytest.approx(4.0)
    assert indices.loc["assumptions.route_switching", "mu_star"] == pytest.approx(1.0)
    assert indices["sigma"].max() == pytest.approx(0.0, abs=1e-9)


def test_morris_screening_needs_every_point(write_config):
    sweep = load_sweep(write_config(MORRIS))
    rows = synthetic_rows(sweep, sweep.runs()[:-1], lambda v, seed: v["assumptions.rescue_pull"])
    with pytest.raises(ValueError, match="Morris indices need every point: 1 have no run yet"):
        analysis.morris_indices(rows, sweep)


def test_morris_agreement_compares_the_union_of_both_top_lists():
    def screening(order):
        mu = {name: float(len(order) - i) for i, name in enumerate(order)}
        return pd.DataFrame({"outcome": "y", "parameter": list(mu), "mu_star": list(mu.values())})

    names = [f"p{i}" for i in range(6)]
    same = analysis.morris_agreement(screening(names), screening(names), top=3).iloc[0]
    assert (same["compared"], same["common"], same["spearman"]) == (3, 3, pytest.approx(1.0))
    # The second puts p3 where the first has p2: four levers compared, two in both lists.
    swapped = names[:2] + ["p3", "p2"] + names[4:]
    other = analysis.morris_agreement(screening(names), screening(swapped), top=3).iloc[0]
    assert (other["compared"], other["common"]) == (4, 2)
    assert other["spearman"] == pytest.approx(0.8)
