"""The fitted 2023 world still meets the observed 2023 figures, at reduced cost.

The 2023 check (`routesim.scoring.observed_check`, what `routesim run` prints) of the
stable-outcomes case ``baseline-50`` (baseline-2023 at scale 50, 10 replicates, seed
7): per route and over all routes, the ensemble's detections and dead and missing
against Frontex's and IOM's 2023 figures. Each error must stay within the tolerance in
`tests/reference/observed_check.csv`: the error the current fit makes, measured as the
mean over six ensembles on seeds this test does not use, plus 3.3 standard deviations
of an ensemble's seed noise, so that a draw of new random numbers (a rewrite that
reorders them) passes all twelve checks together at about 99%, while a drift of the
outcomes by more than that margin fails. The margin is the room a drift has: per route
and metric it is ``tolerance - |mean_error|`` in the table (for all-route detections
about two percent; for the Eastern Mediterranean's dead and missing, a few dozen a
year in lumps, most of the figure).

The ensemble is the one `tests/test_stable_outcomes.py` runs for that case: in the same
process it is run once (`stable_outcomes.ensemble`), so the check adds about 31 s of CPU
(measured alone, pytest -n 0) only when pytest's workers put the two tests apart, and
next to nothing when they share one.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from reference import observed_check, stable_outcomes


@pytest.fixture(scope="module")
def tolerances() -> pd.DataFrame:
    return pd.read_csv(observed_check.TABLE, comment="#").set_index(["route", "metric"])


def test_the_2023_check_is_within_its_tolerances(tolerances: pd.DataFrame) -> None:
    ensemble = stable_outcomes.ensemble(observed_check.CASE, workers=1)
    errors = observed_check.errors(ensemble).set_index(["route", "metric"])["error"]
    assert errors.notna().all(), f"no error for {errors[errors.isna()].index.tolist()}"
    assert set(errors.index) == set(tolerances.index)
    limit = tolerances["tolerance"]
    off = [
        f"{route}.{metric}: {error:+.1%} against the observed (tolerance ±{limit[key]:.0%})"
        for key, error in errors.items()
        for route, metric in [key]
        if not abs(error) <= limit[key]
    ]
    assert not off, "the 2023 check drifted:\n" + "\n".join(off)


def test_each_tolerance_is_the_measured_error_plus_its_margin(tolerances: pd.DataFrame) -> None:
    # A tolerance edited by hand instead of measured would no longer say what it allows.
    for key, row in tolerances.iterrows():
        expected = math.ceil(100 * (abs(row["mean_error"]) + observed_check.Z * row["sd"])) / 100
        assert row["tolerance"] == pytest.approx(expected, abs=0.011), key
        assert row["min"] <= row["mean_error"] <= row["max"], key
