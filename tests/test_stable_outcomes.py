"""Speed work must not change what the model says: outcomes stay within seed noise.

The reference (`tests/reference/stable_outcomes.csv`) was made on fixed seeds before the
hot paths were restructured; restructuring changes which random numbers are drawn in
which order, so the check is statistical. For each case (baseline-2023,
deterrence-2023 and the history scenario over 2019-2023, at scales 50 and 1), route
and metric, Welch's t-test compares the replicate totals before and after, each
comparison at a Bonferroni-corrected 1% for the whole family. So that passing means
something, the design must see a 10% shift in all-route detections and a 50% shift in
all-route deaths with the reference's seed noise (power check), and a missing or NaN
outcome fails.

What it cannot see: `tests/reference/stable_outcomes.power.csv` (written with the
reference, or by ``python tests/reference/stable_outcomes.py --power``) holds the
smallest shift flagged per case, route and metric; a drift below it passes. Over the
six cases, all routes together / a single route (a route's totals vary more from seed
to seed; an empty cell is a metric that is 0 in every reference run, where any other
value fails):

    detections 1-8% / 2-52%
    departures 2-8% / 1-52%
    partner_interceptions 6-27% / 6-71%
    dead 8-37% / 16-194%
    missing 11-44% / 15-214%
    arrivals 2-11% / 2-59%
    undetected_arrivals 3-10% / 3-79%
    gave_up 4-52% / 4-88%

The widest are the Eastern Mediterranean's dead and missing (a few dozen a year, in
lumps) and the Western Mediterranean and Atlantic at scale 1 (few replicates).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from reference import stable_outcomes
from scipy import stats

FAMILY_ALPHA = 0.01
#: Shifts of all-route totals the comparison must be able to see.
DETECTABLE = {"detections": 0.10, "dead": 0.50}


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return stable_outcomes.read_reference()


def _comparisons(before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[str, str, float, str]]:
    """(route, metric, p-value, description) of every route and metric of one case."""
    rows = []
    for route, old in before.groupby("route"):
        new = after[after["route"] == route]
        for metric in stable_outcomes.METRICS:
            x, y = old[metric].to_numpy(float), new[metric].to_numpy(float)
            if np.isnan(y).any() or len(y) == 0:
                rows.append((route, metric, 0.0, "missing or NaN after the change"))
                continue
            if x.std() == 0 and y.std() == 0:
                p = 1.0 if x.mean() == y.mean() else 0.0
            else:
                p = float(stats.ttest_ind(x, y, equal_var=False).pvalue)
            rows.append((route, metric, p, f"{x.mean():,.0f} -> {y.mean():,.0f}"))
    return rows


def _limit(reference: pd.DataFrame) -> float:
    return FAMILY_ALPHA / stable_outcomes.comparisons(reference)


@pytest.mark.parametrize("name", list(stable_outcomes.CASES))
def test_outcomes_within_seed_noise(name: str, reference: pd.DataFrame) -> None:
    before = reference[reference["case"] == name]
    assert not before.empty, f"no reference rows for {name}: regenerate the reference"
    after = stable_outcomes.outcomes(stable_outcomes.CASES[name], workers=1)
    limit = _limit(reference)
    moved = [
        f"{route}.{metric}: {what} (p = {p:.2g} < {limit:.2g})"
        for route, metric, p, what in _comparisons(before, after)
        if p < limit
    ]
    assert not moved, f"{name}: outcomes moved beyond seed noise:\n" + "\n".join(moved)


def test_the_comparison_would_see_a_real_shift(reference: pd.DataFrame) -> None:
    # Power of the design: with the reference's seed noise on both sides, the family's
    # level and each case's replicates, all-route detections 10% off (deaths 50%) are seen.
    smallest = stable_outcomes.power(reference, FAMILY_ALPHA).xs("all", level="route")
    for metric, shift in DETECTABLE.items():
        unseen = smallest[smallest[metric] > shift]
        assert unseen.empty, f"a {shift:.0%} shift in all-route {metric} would pass: {unseen}"


def test_a_nan_outcome_fails() -> None:
    before = pd.DataFrame(
        {"route": ["all"] * 3, **{m: [1.0, 2.0, 3.0] for m in stable_outcomes.METRICS}}
    )
    after = before.copy()
    after.loc[0, "dead"] = np.nan
    failing = [(r, m) for r, m, p, _ in _comparisons(before, after) if p < 1e-6]
    assert failing == [("all", "dead")]


def test_the_power_table_is_the_references() -> None:
    # A reference regenerated without its table would leave readers a stale limit.
    stored = pd.read_csv(stable_outcomes.POWER_TABLE, comment="#", index_col=["case", "route"])
    measured = (100 * stable_outcomes.power(stable_outcomes.read_reference())).round(0)
    measured.columns.name = None
    pd.testing.assert_frame_equal(stored, measured, check_dtype=False, atol=0.5)


def test_the_docstring_states_the_power_tables_ranges() -> None:
    table = pd.read_csv(stable_outcomes.POWER_TABLE, comment="#")
    stated = {
        metric: tuple(int(x) for x in bounds)
        for metric, *bounds in re.findall(
            r"^ +(\w+) (\d+)-(\d+)% / (\d+)-(\d+)%$", __doc__ or "", re.MULTILINE
        )
    }
    assert set(stated) == set(stable_outcomes.METRICS)
    for metric, bounds in stated.items():
        together, single = (
            table[table["route"] == "all"][metric],
            table[table["route"] != "all"][metric],
        )
        actual = (together.min(), together.max(), single.min(), single.max())
        assert bounds == tuple(int(x) for x in actual), (
            f"{metric}: docstring {bounds}, table {actual}"
        )
