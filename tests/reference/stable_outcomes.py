"""Reference outcomes that restructuring the model for speed must not move.

`python tests/reference/stable_outcomes.py [CASE ...]` runs each case (a scenario at a
scale, on fixed seeds) and writes its replicate totals to `stable_outcomes.csv` beside
this file, headed by the commit it ran on; cases not named keep their rows. Regenerate
only when a change is meant to alter outcomes (a new mechanism, a recalibration), and
say so in the commit; `tests/test_stable_outcomes.py` checks that every other change
leaves these outcomes within seed noise.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from routesim.ensemble import Ensemble, run_ensemble
from routesim.scenario import load_scenario

REFERENCE = Path(__file__).with_name("stable_outcomes.csv")
#: The smallest shift the test flags per case, route and metric (`power`), for readers.
POWER_TABLE = Path(__file__).with_name("stable_outcomes.power.csv")
SEED = 7
METRICS = (
    "detections",
    "departures",
    "partner_interceptions",
    "dead",
    "missing",
    "arrivals",
    "undetected_arrivals",
    "gave_up",
)


@dataclass(frozen=True)
class Case:
    """A scenario run at one scale for the reference."""

    name: str
    scenario: str
    scale: float
    replicates: int
    overrides: tuple[str, ...] = ()


#: The history scenario over 2019-2023 (the years the joint fit covers).
_HISTORY = ("scenario.start=2019-01-01", "scenario.days=1826")

CASES = {
    case.name: case
    for case in (
        Case("baseline-50", "baseline-2023", 50.0, 10),
        Case("baseline-1", "baseline-2023", 1.0, 8),
        Case("deterrence-50", "deterrence-2023", 50.0, 10),
        Case("deterrence-1", "deterrence-2023", 1.0, 8),
        Case("history-50", "history-2015-2023", 50.0, 8, _HISTORY),
        Case("history-1", "history-2015-2023", 1.0, 4, _HISTORY),
    )
}


_RUNS: dict[Case, Ensemble] = {}


def ensemble(case: Case, workers: int | None = None) -> Ensemble:
    """The case's ensemble, run once per process: other tests reuse it (the 2023 check)."""
    if case not in _RUNS:
        _RUNS[case] = run_ensemble(
            load_scenario(case.scenario, list(case.overrides)),
            replicates=case.replicates,
            seed=SEED,
            scale=case.scale,
            workers=workers,
            progress=False,
        )
    return _RUNS[case]


def outcomes(case: Case, workers: int | None = None) -> pd.DataFrame:
    """Run totals of `METRICS` per replicate and route (and all routes) of a case."""
    table = ensemble(case, workers).per_replicate()
    table = table[["replicate", "route", *METRICS]].assign(route=lambda t: t["route"].astype(str))
    return table.assign(case=case.name)[["case", "replicate", "route", *METRICS]]


def read_reference() -> pd.DataFrame:
    """The stored reference table."""
    return pd.read_csv(REFERENCE, comment="#")


def comparisons(reference: pd.DataFrame) -> int:
    """Route-metric comparisons over every case: the Bonferroni family's size."""
    return int(reference.groupby("case")["route"].nunique().sum()) * len(METRICS)


def power(reference: pd.DataFrame, family_alpha: float = 0.01) -> pd.DataFrame:
    """The smallest relative shift of each case, route and metric the test would flag.

    With the reference's replicate spread on both sides of Welch's test, at the
    Bonferroni-corrected level of the whole family.
    """
    limit = family_alpha / comparisons(reference)
    rows = []
    for (case, route), runs in reference.groupby(["case", "route"], sort=False):
        n = len(runs)
        t_needed = stats.t.ppf(1 - limit / 2, 2 * n - 2)
        for metric in METRICS:
            values = runs[metric].to_numpy(float)
            spread = values.std(ddof=1) / values.mean() if values.mean() else np.nan
            rows.append((case, route, metric, t_needed * spread * np.sqrt(2 / n)))
    table = pd.DataFrame(rows, columns=["case", "route", "metric", "shift"])
    return table.pivot_table(index=["case", "route"], columns="metric", values="shift", sort=False)


def write_power(reference: pd.DataFrame) -> None:
    """Store `power` of the reference as percentages, headed by how it was made."""
    table = (100 * power(reference)).round(0)
    with POWER_TABLE.open("w") as out:
        out.write(
            "# smallest relative shift (%) tests/test_stable_outcomes.py flags per case, route "
            "and metric; written with the reference by python tests/reference/"
            "stable_outcomes.py (or --power)\n"
        )
        table.to_csv(out, float_format="%.0f")


def main(names: list[str]) -> None:
    """Write the named cases (all if none) into the reference table, headed by the commit."""
    unknown = sorted(set(names) - set(CASES))
    if unknown:
        raise SystemExit(f"unknown case {unknown[0]!r} (cases: {', '.join(CASES)})")
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=False
    ).stdout.strip()
    kept = read_reference() if REFERENCE.exists() and names else None
    tables = [] if kept is None else [kept[~kept["case"].isin(names)]]
    for name in names or list(CASES):
        print(f"running {name} ...", flush=True)
        tables.append(outcomes(CASES[name]))
    table = pd.concat(tables, ignore_index=True)
    with REFERENCE.open("w") as out:
        out.write(f"# seed {SEED}; cases in tests/reference/stable_outcomes.py; ")
        out.write(f"made at commit {commit or 'unknown'}\n")
        table.to_csv(out, index=False, float_format="%.6g")
    write_power(read_reference())
    print(f"wrote {REFERENCE} and {POWER_TABLE}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--power"]:
        print(power(read_reference()).to_string(float_format=lambda x: f"{x:.0%}"))
        write_power(read_reference())
    else:
        main(sys.argv[1:])
