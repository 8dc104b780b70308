"""Small sweep configs for the sweep tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

#: A tiny sweep of the real model: 30 days after a 30-day warm-up, 200 people per agent.
SMALL_SWEEP = """
[sweep]
name = "small"
seed = 5
replicates = 2
scale = 200

[base]
scenario = "baseline-2023"
set = {{ "scenario.days" = 30, "parameters.warmup_days" = 30 }}

[design]
kind = "grid"

[parameters."levers.ngo_vessels"]
values = [0, 10]

[parameters."assumptions.rescue_pull"]
low = 0.0
high = 1.0
levels = {levels}

[outcomes]
metrics = ["departures", "dead_missing"]
routes = ["central_med", "all"]
"""


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a sweep config into tmp_path; returns its path."""

    def write(text: str, name: str = "sweep.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_sweep(write_config) -> Path:
    """The tiny grid sweep: 2 x 2 points, 2 replicates (8 runs)."""
    return write_config(SMALL_SWEEP.format(levels=2), "small.toml")


def synthetic_rows(sweep, runs, outcome) -> pd.DataFrame:
    """Rows shaped like those of `routesim.sweeps.evaluators.rows`, outcomes from ``outcome``.

    ``outcome(values, seed)`` gives each run's outcomes.

    Lets storage and analysis be tested against known functions without the model.
    """

    names = [p.name for p in sweep.parameters]
    rows = []
    for run in runs:
        value = outcome(run.values, run.seed)
        rows.append(
            {
                "run": run.run,
                "point": run.point,
                "replicate": run.replicate,
                "seed": run.seed,
                "config_hash": sweep.config_hash,
            }
            | {name: float(run.values[name]) for name in names}
            | dict.fromkeys(sweep.outcomes.columns(), value)
        )
    return pd.DataFrame(rows)
