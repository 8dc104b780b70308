"""Every lever and assumption moves the outcome it targets, in the documented direction.

Each test runs the model at low and at high settings of one lever over the same
seeds (common random numbers) and asks that the paired difference in the target
outcome has the documented sign and stands clear of seed noise (t > 2).

How many pairs each lever runs is sized from its measured effect, for power 0.95 of that
rule (at least 5 pairs): `tests/reference/lever_power.csv`, written by
`python -m reference.lever_power` (run in `tests/`) from pilot pairs on other seeds
(6, or 12 for the noisy levers), gives each lever's mean paired difference, its standard
deviation and the pairs needed, sized for the measured effect less 0.84 of its standard
error, and the power each lever's test has with them. Fixed counts of 6 or 12 pairs ran
most levers, whose effects are many times their noise, on more pairs than they need, and a
few on too few: Bosnia's land policing (effect 0.52 of its noise on the pilot) had power
0.44 on its 12 pairs; it now runs the most pairs sized (60), with power 0.98 at the
measured effect but 0.51 at the effect sized for, as the table states.
"""

import numpy as np
import pytest
from reference.lever_power import lever_pairs, paired_difference, read_table

from routesim.levers import lever_specs

SPECS = lever_specs()
PAIRS = lever_pairs(read_table())


def test_every_lever_has_its_pairs_measured():
    missing = sorted({spec.name for spec in SPECS} - set(PAIRS))
    assert not missing, f"run python -m reference.lever_power {missing} in tests/"


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_lever_moves_its_target_in_the_documented_direction(spec):
    pairs = PAIRS.get(spec.name)
    if pairs is None:
        pytest.fail(f"{spec.name}: no measured pairs (run tests/reference/lever_power.py)")
    low, high = paired_difference(spec, range(pairs))
    diff = (high - low) * spec.direction
    t = diff.mean() / (diff.std(ddof=1) / np.sqrt(len(diff)) + 1e-12)
    assert diff.mean() > 0 and t > 2, (
        f"{spec.name} {spec.low} -> {spec.high}: {spec.targets} went {low.mean():.4g} -> "
        f"{high.mean():.4g} (expected direction {spec.direction:+d}, t = {t:.2f} on "
        f"{pairs} pairs)"
    )
