"""Reference outcomes that restructuring the model for speed must not move.

`python tests/reference/stable_outcomes.py` runs the baseline on fixed seeds and
writes `stable_outcomes.csv` beside this file, with the commit it ran on.
Regenerate it only when a change is meant to alter outcomes (a new mechanism, a
recalibration), and say so in the commit; `tests/test_stable_outcomes.py` checks
that every other change leaves these outcomes within seed noise.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd

from routesim.ensemble import run_ensemble
from routesim.scenario import load_scenario

REFERENCE = Path(__file__).with_name("stable_outcomes.csv")
SCENARIO = "baseline-2023"
REPLICATES = 10
SEED = 7
SCALE = 50.0
METRICS = ("detections", "departures", "partner_interceptions", "dead", "missing", "arrivals")


def outcomes(workers: int | None = None) -> pd.DataFrame:
    """Run totals of `METRICS` per replicate and route on the reference seeds."""
    ensemble = run_ensemble(
        load_scenario(SCENARIO),
        replicates=REPLICATES,
        seed=SEED,
        scale=SCALE,
        workers=workers,
        progress=False,
    )
    table = ensemble.per_replicate()
    return table[["replicate", "route", *METRICS]].assign(route=lambda t: t["route"].astype(str))


def main() -> None:
    """Write the reference table, headed by the commit it was made on."""
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=False
    ).stdout.strip()
    table = outcomes()
    with REFERENCE.open("w") as out:
        out.write(f"# {SCENARIO}, seed {SEED}, {REPLICATES} replicates, scale {SCALE:g}; ")
        out.write(f"made at commit {commit or 'unknown'}\n")
        table.to_csv(out, index=False, float_format="%.6g")
    print(f"wrote {REFERENCE}")


if __name__ == "__main__":
    main()
