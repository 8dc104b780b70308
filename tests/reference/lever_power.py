"""How many paired seeds each lever's test needs, from its measured effect.

`python -m reference.lever_power [LEVER ...]`, run in `tests/`, runs each lever (all if
none named) at its low and high settings on pilot seeds from `PILOT_SEED` with the
runs `tests/test_levers.py` makes (`outcome`, which the test imports from here), and
writes the mean and standard deviation of the paired difference in the lever's target, in its
documented direction, and the pairs needed for power 0.95 of the test's rule (paired
t > 2) at the measured effect less 0.84 of its standard error: the sizing of
`tests/reference/power.py`, whose functions this uses: at least 5 pairs and at most
`MOST_PAIRS` (60); a lever that would need more runs 60, with the power the table's
`power` column states (below 0.95).

The pilot runs as many pairs as the test used to (6, or 12 for a lever in `NOISY`), so
that measuring cost no more than one run of the old test; on 6 pairs the effect is known
less well than on the facts' 20, and the 0.84 standard errors taken off it are larger.
A lever already measured at this commit is skipped, so a killed run resumes where it
stopped. The pilot seeds are not the test's (0 up), so the test does not assert on the
runs that sized it. Rerun after a change meant to move outcomes and commit the table.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from reference.power import PILOT_COLUMNS, model_commit, pairs_needed, planning_effect, power_at

from routesim.geography import Geography, load_geography
from routesim.levers import LeverSpec, lever_specs
from routesim.model import RouteModel
from routesim.outcomes import target_value
from routesim.scenario import load_scenario

TABLE = Path(__file__).with_name("lever_power.csv")
PILOT_SEED = 1000
SCALE = 25

#: Levers whose effect is small against seed noise over two months: 150 days, and a pilot
#: of 12 pairs. Deaths come in lumps (a boat at a time), people stopped on the beach try
#: again, and small departure countries launch few boats. (The year 2023 at 100 people per
#: agent, as the stylised facts run, cost twice as much per run here and was no better for
#: most of those piloted: Algeria's and Libya's departure prevention lost half their effect.)
NOISY = {
    "levers.sar_state_vessels.central_med",
    "levers.sar_state_vessels.eastern_med",
    "levers.sar_state_vessels.western_med",
    "levers.sar_state_vessels.atlantic",
    "levers.ngo_vessels",
    "levers.sar_coordination_delay",
    "levers.departure_prevention.libya",
    "levers.departure_prevention.algeria",
    "levers.departure_prevention.mauritania",
    "levers.boat_seizure",
    "levers.information_campaign",
    # Visa-free arrivals in Serbia are a few percent of those setting out on the route.
    "levers.visa_alignment",
    "assumptions.risk_perception_accuracy",
    # Most people taken from Bosnia's border hub try Serbia's instead (0 against 10 over two
    # months: t = -2.7 on six seeds).
    "levers.land_policing.bosnia_herzegovina",
}

#: Settings a lever needs around it to show its effect.
CONTEXT = {
    # One-off events happen on their own date only (routesim.events.EVENTS).
    "levers.lampedusa_surge": {"scenario.start": dt.date(2023, 8, 25), "scenario.days": 30},
    "levers.instrumentalisation": {"scenario.start": dt.date(2020, 2, 20), "scenario.days": 30},
    "levers.ceuta_entry": {"scenario.start": dt.date(2021, 5, 10), "scenario.days": 30},
    # Boats leave Senegal for the Canaries mostly from August to November.
    "levers.departure_prevention.senegal": {
        "scenario.start": dt.date(2023, 8, 1),
        "scenario.days": 90,
    },
    "levers.partner_coast_guard.senegal": {
        "scenario.start": dt.date(2023, 8, 1),
        "scenario.days": 90,
    },
    # A campaign acts on beliefs, which news from travellers also moves: a whole year
    # shows the drop in people setting out clear of seed noise.
    "levers.information_campaign": {"scenario.start": dt.date(2023, 1, 1), "scenario.days": 365},
    # The pull assumption acts on rescue capacity above or below 2023 levels.
    "assumptions.rescue_pull": {"levers.ngo_vessels": 15},
}

COLUMNS = ("name", *PILOT_COLUMNS, "power", "commit")


@cache
def geography() -> Geography:
    return load_geography()


def outcome(spec: LeverSpec, value: float, seed: int) -> float:
    """The lever's target in one run with the lever at `value`."""
    overrides = {
        "scenario.start": dt.date(2023, 6, 1),
        "scenario.days": 150 if spec.name in NOISY else 60,
        "parameters.warmup_days": 45,
        **CONTEXT.get(spec.name, {}),
        spec.name: value,
    }
    scenario = load_scenario("baseline-2023").with_overrides(overrides)
    model = RouteModel(scenario, seed=seed, scale=SCALE, geography=geography())
    daily = model.run()
    return target_value(spec.targets, daily, model.country_totals())


def paired_difference(spec: LeverSpec, seeds: range) -> tuple[np.ndarray, np.ndarray]:
    """The target at the lever's low and at its high setting on each seed."""
    low = np.array([outcome(spec, spec.low, seed) for seed in seeds])
    high = np.array([outcome(spec, spec.high, seed) for seed in seeds])
    return low, high


def pilot_pairs(spec: LeverSpec) -> int:
    return 12 if spec.name in NOISY else 6


def read_table() -> pd.DataFrame:
    # A short hash such as 66e6958 would otherwise be read as a number.
    return pd.read_csv(TABLE, comment="#", dtype={"commit": str})


def lever_pairs(table: pd.DataFrame) -> dict[str, int]:
    """Pairs per lever, as sized from its pilot."""
    return {name: int(n) for name, n in zip(table["name"], table["pairs"], strict=True)}


def measure(spec: LeverSpec, commit: str) -> dict[str, object]:
    n = pilot_pairs(spec)
    low, high = paired_difference(spec, range(PILOT_SEED, PILOT_SEED + n))
    diff = (high - low) * spec.direction
    mean, sd = float(diff.mean()), float(diff.std(ddof=1))
    effect = mean / sd if sd > 0 else np.inf
    return {
        "name": spec.name,
        "target": spec.targets,
        "pilot_seed": PILOT_SEED,
        "pilot_pairs": n,
        "mean": mean,
        "sd": sd,
        "effect": effect,
        "pairs": pairs_needed(planning_effect(effect, n)),
        "commit": commit,
    }


def main(names: list[str]) -> None:
    specs = {spec.name: spec for spec in lever_specs()}
    unknown = sorted(set(names) - set(specs))
    if unknown:
        raise SystemExit(f"unknown lever {unknown[0]!r}")
    commit = model_commit()
    for name in names or list(specs):
        # Read afresh each time: another process may be measuring other levers.
        table = read_table() if TABLE.exists() else pd.DataFrame(columns=[*COLUMNS])
        if ((table["name"] == name) & (table["commit"] == commit)).any():
            print(f"{name}: measured at {commit}, kept", flush=True)
            continue
        began = time.perf_counter()
        row = measure(specs[name], commit)
        table = read_table() if TABLE.exists() else table
        table = pd.concat([table[table["name"] != name], pd.DataFrame([row])], ignore_index=True)
        _write(table)
        print(
            f"{name}: effect {row['effect']:.3g} on {row['pilot_pairs']} pairs -> "
            f"{row['pairs']} pairs ({time.perf_counter() - began:.0f} s)",
            flush=True,
        )


def _write(table: pd.DataFrame) -> None:
    # The power of each lever's test at the effect it was sized for, with the pairs it runs.
    table = table.assign(
        power=[
            power_at(planning_effect(effect, n), pairs)
            for effect, n, pairs in zip(
                table["effect"], table["pilot_pairs"], table["pairs"], strict=True
            )
        ]
    )[list(COLUMNS)]
    with TABLE.open("w") as out:
        out.write(
            f"# pilot seeds from {PILOT_SEED}; pairs for power 0.95 of paired t > 2; "
            "made by tests/reference/lever_power.py\n"
        )
        table.sort_values("name").to_csv(out, index=False, float_format="%.6g")


if __name__ == "__main__":
    main(sys.argv[1:])
