"""Scale is a resolution: a coarse scale changes the noise, not the expected outcome.

The baseline year runs at one person per agent row (10 replicates) and at the
sweeps' 200 (30 replicates: coarse runs are cheap), from the same base seed. Per
route, detections, departures and dead and missing must agree within seed noise:
Welch's t-test on the replicate totals, each of the 18 comparisons at a
Bonferroni-corrected 1% for the family. So that passing means something, the test
also checks, on the same runs, that it would flag the difference whole rows of 200
people used to make (all-route dead and missing +50 to +90% at scale 200) and a 10%
shift in all-route detections. One known defect is tolerated up to a stated size
(`KNOWN_EFFECT`: Western Balkans crossings fall by a few percent at coarse scales).
"""

from functools import cache

import numpy as np
from scipy import stats

from routesim.ensemble import ALL_ROUTES, run_ensemble
from routesim.geography import load_geography
from routesim.routes import ROUTES
from routesim.scenario import load_scenario

#: Scale and replicates of each ensemble.
FINE, COARSE = (1.0, 10), (200.0, 30)
METRICS = ("detections", "departures", "dead_missing")
ROUTES_COMPARED = (*ROUTES, ALL_ROUTES)
FAMILY_ALPHA = 0.01
#: A known defect, not yet explained: Western Balkans crossings fall with the scale. On
#: these seeds the code before the speed work (01ac3ae) gave detections -2.5% and
#: departures -2.1% at scale 200 (below the test's threshold), the batched code -5.5%
#: ± 1.0% and -5.4% ± 1.1%, its scale-200 runs matching the old ones and its scale-1
#: runs 3% higher (on the stable-outcomes seeds its scale-1 runs are -1.8% ± 2.1% from the
#: old code's: seed noise). Up to this shift it is tolerated; beyond, it fails.
KNOWN_EFFECT = {("western_balkans", "detections"): 0.08, ("western_balkans", "departures"): 0.08}


@cache
def totals(scale: float, replicates: int):
    ensemble = run_ensemble(
        load_scenario("baseline-2023"),
        replicates=replicates,
        seed=13,
        scale=scale,
        workers=1,
        progress=False,
    )
    return ensemble.per_replicate()


def comparisons(fine, coarse):
    """(route, metric, p-value, relative difference, its standard error) of each pair."""
    rows = []
    for route in ROUTES_COMPARED:
        a = fine[fine["route"] == route]
        b = coarse[coarse["route"] == route]
        for metric in METRICS:
            x, y = a[metric].to_numpy(float), b[metric].to_numpy(float)
            p = stats.ttest_ind(x, y, equal_var=False).pvalue
            se = np.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
            rows.append((route, metric, p, y.mean() / x.mean() - 1, se / x.mean()))
    return rows


def disagreements(fine, coarse) -> list[str]:
    limit = FAMILY_ALPHA / (len(ROUTES_COMPARED) * len(METRICS))
    return [
        f"{route}.{metric}: {diff:+.1%} ± {se:.1%} (p = {p:.2g} < {limit:.2g})"
        for route, metric, p, diff, se in comparisons(fine, coarse)
        # Written so that a NaN (an outcome missing from a run) is a disagreement too.
        if not p >= limit and not _known(route, metric, diff)
    ]


def _known(route: str, metric: str, diff: float) -> bool:
    """Whether a difference is the known Western Balkans scale effect, and no larger."""
    return (route, metric) in KNOWN_EFFECT and abs(diff) <= KNOWN_EFFECT[route, metric]


def test_coarse_scale_agrees_with_one_person_per_row():
    # One test, so that the twenty runs are made once (test modules may be split
    # between workers).
    load_geography()
    fine, coarse = totals(*FINE), totals(*COARSE)
    moved = disagreements(fine, coarse)
    assert not moved, "outcomes depend on the scale:\n" + "\n".join(moved)
    # The comparison sees a difference of the size whole rows of 200 people used to make
    # (+50% dead and missing), and a 10% shift in detections.
    for metric, shift in (("dead_missing", 0.5), ("detections", 0.1)):
        fine_mean = fine.loc[fine["route"] == ALL_ROUTES, metric].mean()
        biased = coarse.copy()
        biased.loc[biased["route"] == ALL_ROUTES, metric] += shift * fine_mean
        assert any(line.startswith(f"all.{metric}") for line in disagreements(fine, biased))
    # A NaN outcome fails rather than passing silently.
    broken = coarse.copy()
    broken.loc[broken.index[0], "detections"] = np.nan
    assert disagreements(fine, broken)
