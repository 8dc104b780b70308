"""routesim through the EMA Workbench: 16 experiments, then feature scores and a PRIM box.

Two levers (NGO vessels, state SAR vessels in the Central Mediterranean) and one
contested assumption (the rescue "pull"), each sampled by the Workbench's own Latin
hypercube sampler and paired into 16 experiments; 60 days at 200 people per agent, run
with the SequentialEvaluator. Then extra-trees feature scores of every outcome, and PRIM
on Central Mediterranean dead and missing above the median of the 16 runs (60 days cannot
be compared with a year's observed figure). Writes into this folder::

    python experiments/workbench/run_example.py [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from ema_workbench import SequentialEvaluator, perform_experiments
from ema_workbench.analysis import feature_scoring, prim

from routesim.sweeps.workbench import SEED, workbench_model

EXPERIMENTS = 16
OUTCOME = "dead_missing_central_med"


def main() -> None:
    """Run the experiments and write their table, feature scores and PRIM box."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)

    model = workbench_model(
        levers=["levers.ngo_vessels", "levers.sar_state_vessels.central_med"],
        uncertainties=["assumptions.rescue_pull"],
        days=60,
        scale=200,
        seed=2023,
    )
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model,
            scenarios=EXPERIMENTS,
            policies=EXPERIMENTS,
            # Pair the two designs row by row: 16 experiments, 16 values of every input.
            combine="sample",
            evaluator=evaluator,
            uncertainty_sampling_kwargs={"rng": 1},
            lever_sampling_kwargs={"rng": 2},
        )
    inputs = experiments[[p.name for p in [*model.levers, *model.uncertainties]]]
    table = inputs.join(pd.DataFrame(outcomes))
    table.to_csv(out / "experiments.csv", index=False, float_format="%.6g")

    measured = {name: values for name, values in outcomes.items() if name != SEED}
    varied = {name: values for name, values in measured.items() if np.ptp(values) > 0}
    scores = feature_scoring.get_feature_scores_all(inputs, varied, random_state=0)
    scores.index.name = "input"
    scores.to_csv(out / "feature_scores.csv", float_format="%.3f")
    print("extra-trees feature scores (each outcome's column sums to 1):")
    print(scores[[c for c in scores.columns if c.endswith("_central_med")]].round(2).to_string())

    threshold = float(np.median(outcomes[OUTCOME]))
    box = prim.Prim(inputs, outcomes[OUTCOME] > threshold, mass_min=0.1).find_box()
    stats, limits = box.inspect(style="data")[0]
    print(f"\nPRIM: {OUTCOME} above {threshold:g} (the median of {EXPERIMENTS} runs)")
    print(stats[["coverage", "density", "mass", "res_dim"]].to_string())
    print(limits.to_string())
    limits.droplevel(0, axis=1).to_csv(out / "prim_box.csv", float_format="%.4g")
    box.show_tradeoff().savefig(out / "prim_tradeoff.png", dpi=110)


if __name__ == "__main__":
    main()
