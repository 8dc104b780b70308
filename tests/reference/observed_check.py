"""Tolerances of the 2023 check against the observed figures, from measured seed noise.

`python -m reference.observed_check` (run in `tests/`) runs the stable-outcomes case ``baseline-50``
(baseline-2023, scale 50, 10 replicates) from base seeds 1 to 6, seeds the test does not
use, and writes ``observed_check.csv`` beside this file, headed by the commit: per route
(and all routes) and metric, the mean error against the observed 2023 figures over the
six ensembles, the standard deviation of an ensemble's error (the larger of the spread
over the six and the replicate spread of the stored reference over the square root of
its replicates) and the tolerance `tests/test_observed_check.py` holds the check to:
the mean error's size plus `Z` standard deviations, rounded up to a whole percent.
Rerun it with a change meant to alter outcomes (a recalibration), as the reference.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
from reference import stable_outcomes

from routesim import scoring
from routesim.ensemble import ALL_ROUTES, Ensemble, run_ensemble
from routesim.observed import load_observed
from routesim.routes import ROUTES
from routesim.scenario import load_scenario

TABLE = Path(__file__).with_name("observed_check.csv")
CASE = stable_outcomes.CASES["baseline-50"]
SEEDS = range(1, 7)
YEAR = 2023
#: Standard deviations of margin: ten checks (five routes, two metrics) and the two
#: all-route ones pass a new draw of seeds together at about 99% (0.1% each, two-sided).
Z = 3.3
METRICS = ("detections", "dead_missing")


def _observed(route: str, metric: str) -> float:
    observed = load_observed(YEAR)
    routes = ROUTES if route == ALL_ROUTES else (route,)
    if metric == "detections":
        return float(sum(observed.detections_total(r) for r in routes))
    return float(sum(observed.dead_missing[r] for r in routes))


def errors(ensemble: Ensemble) -> pd.DataFrame:
    """Relative error of the ensemble's mean against the observed year, per route and all."""
    check = scoring.observed_check(ensemble)
    if check is None:
        raise ValueError(f"the ensemble does not cover {YEAR} whole")
    rows = [
        (route, metric, float(sim / _observed(route, metric) - 1))
        for metric in METRICS
        for route, sim in (
            *check[f"{metric}_sim"].items(),
            (ALL_ROUTES, check[f"{metric}_sim"].sum()),
        )
    ]
    return pd.DataFrame(rows, columns=["route", "metric", "error"])


def _replicate_sd(route: str, metric: str) -> float:
    # The stored reference is the same case on seed 7: its spread over replicates.
    reference = stable_outcomes.read_reference()
    runs = reference[(reference["case"] == CASE.name) & (reference["route"] == route)]
    values = runs["dead"] + runs["missing"] if metric == "dead_missing" else runs[metric]
    return float(values.std(ddof=1) / np.sqrt(len(values)) / _observed(route, metric))


def main() -> None:
    """Measure the check on `SEEDS` and write the tolerances."""
    measured = []
    for seed in SEEDS:
        print(f"seed {seed} ...", flush=True)
        ensemble = run_ensemble(
            load_scenario(CASE.scenario, list(CASE.overrides)),
            replicates=CASE.replicates,
            seed=seed,
            scale=CASE.scale,
            progress=False,
        )
        measured.append(errors(ensemble).assign(seed=seed))
    table = pd.concat(measured).groupby(["route", "metric"], sort=False)["error"]
    rows = []
    for (route, metric), values in table:
        sd = max(values.std(ddof=1), _replicate_sd(route, metric))
        tolerance = math.ceil(100 * (abs(values.mean()) + Z * sd)) / 100
        rows.append((route, metric, values.mean(), values.min(), values.max(), sd, tolerance))
    out = pd.DataFrame(
        rows, columns=["route", "metric", "mean_error", "min", "max", "sd", "tolerance"]
    )
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=False
    ).stdout.strip()
    with TABLE.open("w") as file:
        file.write(
            f"# {CASE.scenario} at scale {CASE.scale:g}, {CASE.replicates} replicates, base "
            f"seeds {SEEDS.start}-{SEEDS.stop - 1}, against the observed {YEAR}; tolerance = "
            f"|mean_error| + {Z} sd, rounded up; python -m reference.observed_check (in tests/) at "
            f"commit {commit or 'unknown'}\n"
        )
        out.to_csv(file, index=False, float_format="%.4f")
    print(out.to_string(index=False))


if __name__ == "__main__":
    main()
