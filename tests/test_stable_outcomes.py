"""Speed work must not change what the model says: outcomes stay within seed noise.

The reference (`tests/reference/stable_outcomes.csv`) was made on fixed seeds before
the hot paths were restructured; restructuring changes which random numbers are drawn
in which order, so the check is statistical: per route and metric, the mean over the
replicates may move by no more than seed noise (Welch t within `T_LIMIT`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from reference import stable_outcomes

#: About 30 route-metric comparisons: under no change the chance that any one of them
#: exceeds 4.5 is well under 1%, while a broken mechanism moves outcomes by far more.
T_LIMIT = 4.5


@pytest.fixture(scope="module")
def before_and_after() -> tuple[pd.DataFrame, pd.DataFrame]:
    before = pd.read_csv(stable_outcomes.REFERENCE, comment="#")
    return before, stable_outcomes.outcomes(workers=1)


def welch_t(a: np.ndarray, b: np.ndarray) -> float:
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    diff = b.mean() - a.mean()
    if se == 0:
        return 0.0 if diff == 0 else np.inf
    return float(diff / se)


def test_outcomes_within_seed_noise(before_and_after):
    before, after = before_and_after
    moved = []
    for route, old in before.groupby("route"):
        new = after[after["route"] == route]
        for metric in stable_outcomes.METRICS:
            t = welch_t(old[metric].to_numpy(float), new[metric].to_numpy(float))
            if abs(t) > T_LIMIT:
                moved.append(
                    f"{route}.{metric}: {old[metric].mean():,.0f} -> "
                    f"{new[metric].mean():,.0f} (t = {t:.1f})"
                )
    assert not moved, "outcomes moved beyond seed noise:\n" + "\n".join(moved)


def test_welch_t_flags_a_real_shift():
    rng = np.random.default_rng(0)
    a = rng.normal(100, 5, 10)
    assert abs(welch_t(a, a + rng.normal(0, 5, 10))) < T_LIMIT
    assert welch_t(a, a * 1.3) > T_LIMIT
