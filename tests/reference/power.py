"""How many paired seeds each stylised fact's and lesson's test needs, from its measured effect.

`python tests/reference/power.py [NAME ...]` runs each fact's and lesson's views on pilot
seeds (`PILOT_SEED`, `PILOT_PAIRS` pairs, the tests' reduced settings, `reduced`, which
`tests/test_stylised_facts.py` and `tests/test_lessons.py` import from here) and writes,
per comparison, view and asserted target, the mean and standard deviation of the paired
difference and the pairs needed: the fewest (at least `LEAST_PAIRS`) with which the
tests' rule (paired t > 2) holds with probability `POWER` at the measured effect, from
the noncentral t distribution, at the measured effect less 0.84 of its standard error
(`planning_effect`). A view's pairs are the most any of its targets needs.
Comparisons not named keep their rows; a view already measured at this commit is
skipped, so a killed run resumes where it stopped. ``--resize`` sizes the stored effects
again without running anything.

The pilot seeds are not the test's, so the test does not assert on the runs that sized it.
Rerun after a change meant to move outcomes (a refit, a new mechanism) and commit the
table with it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from routesim.comparison import Comparison, Expectation, RunSettings, run_comparison
from routesim.lessons import available_lessons, load_lesson
from routesim.stylised_facts import available_facts, load_fact

TABLE = Path(__file__).with_name("power.csv")
PILOT_SEED = 1000
PILOT_PAIRS = 20
POWER = 0.95
LEAST_PAIRS = 5
MOST_PAIRS = 60
#: Standard errors of the measured effect taken off it before sizing (one-sided 80%).
PLANNING_Z = 0.84
#: The tests' rule: the paired difference's t in the expected direction above this.
T_HOLDS = 2.0
TEST_SEED = 7
#: A lesson's checked observation runs over a summer and autumn at 40 people per agent.
LESSON_RUN = RunSettings(
    replicates=2, scale=40, days=150, start=dt.date(2023, 5, 1), warmup_days=60, seed=TEST_SEED
)


def fact(name: str) -> Comparison:
    return load_fact(name)


def lesson(name: str) -> Comparison:
    return load_lesson(name).comparison()


#: Each kind of comparison: its names and how one is loaded.
KINDS: dict[str, tuple[Callable[[], list[str]], Callable[[str], Comparison]]] = {
    "fact": (available_facts, fact),
    "lesson": (available_lessons, lesson),
}


def reduced(kind: str, comparison: Comparison, pairs: int, seed: int = TEST_SEED) -> RunSettings:
    """The tests' settings with `pairs` paired seeds from `seed`.

    A fact runs over its own window at 100 people per agent after a 60-day warm-up; a
    lesson as `LESSON_RUN`.
    """
    if kind == "lesson":
        return LESSON_RUN.model_copy(update={"replicates": pairs, "seed": seed})
    return comparison.run.model_copy(
        update={"replicates": pairs, "scale": 100, "warmup_days": 60, "seed": seed}
    )


def one_view(comparison: Comparison, view: str) -> Comparison:
    """The comparison under one of its views only."""
    return comparison.model_copy(update={"views": {view: comparison.views[view]}})


def views(kind: str) -> list[tuple[str, str]]:
    """Every (name, view) of a kind of comparison with a target asserted under that view.

    A view whose targets are only reported (information-campaigns' "overestimate") has
    nothing to test or size.
    """
    names, load = KINDS[kind]
    comparisons = {name: load(name) for name in names()}
    return [
        (name, view)
        for name, comparison in comparisons.items()
        for view in comparison.views
        if any(asserted(e, view) for e in comparison.expect)
    ]


def asserted(expectation: Expectation, view: str) -> bool:
    """Whether an expectation is asserted under a view."""
    return expectation.assert_ and (not expectation.views or view in expectation.views)


def planning_effect(effect: float, pilot_pairs: int) -> float:
    """The effect to size for: the measured one less `PLANNING_Z` of its standard errors.

    An effect measured on 20 pairs is itself uncertain (rescue-capacity's pull view: 1.22
    on the pilot seeds, about 0.6 on seed 7's 24 pairs), so sizing for the point estimate
    would leave a test short of power about half the time the truth is below it.
    """
    error = np.sqrt(1.0 / pilot_pairs + effect**2 / (2.0 * pilot_pairs))
    return effect - PLANNING_Z * error


def pairs_needed(effect: float) -> int:
    """The fewest pairs giving the tests' rule power `POWER` at a standardised effect.

    `effect` is the mean paired difference in the expected direction over its standard
    deviation; with n pairs the test's t is noncentral t with n - 1 degrees of freedom
    and noncentrality effect * sqrt(n).
    """
    if not effect > 0:
        return MOST_PAIRS
    for n in range(LEAST_PAIRS, MOST_PAIRS + 1):
        if power_at(effect, n) >= POWER:
            return n
    return MOST_PAIRS


def power_at(effect: float, pairs: int) -> float:
    """The probability that the tests' rule holds on `pairs` pairs at a standardised effect."""
    return float(stats.nct.sf(T_HOLDS, pairs - 1, effect * np.sqrt(pairs)))


#: What a pilot measures of one asserted target (this table's and the levers').
PILOT_COLUMNS = ("target", "pilot_seed", "pilot_pairs", "mean", "sd", "effect", "pairs")
#: The table's columns.
COLUMNS = ("kind", "name", "view", *PILOT_COLUMNS, "commit")


def measure(kind: str, name: str, view: str, commit: str) -> pd.DataFrame:
    """The pilot's paired differences per asserted target of one comparison's view."""
    comparison = KINDS[kind][1](name)
    alone = one_view(comparison, view)
    results = run_comparison(alone, reduced(kind, alone, PILOT_PAIRS, PILOT_SEED))
    rows = []
    for expectation in comparison.expect:
        if not asserted(expectation, view):
            continue
        mine = results[results["target"] == expectation.target]
        wide = mine.pivot(index="seed", columns="setting", values="value")
        diff = (wide["high"] - wide["low"]).to_numpy() * expectation.direction
        mean, sd = float(diff.mean()), float(diff.std(ddof=1))
        effect = mean / sd if sd > 0 else np.inf
        rows.append(
            {
                "kind": kind,
                "name": name,
                "view": view,
                "target": expectation.target,
                "pilot_seed": PILOT_SEED,
                "pilot_pairs": len(diff),
                "mean": mean,
                "sd": sd,
                "effect": effect,
                "pairs": pairs_needed(planning_effect(effect, len(diff))),
                "commit": commit,
            }
        )
    return pd.DataFrame(rows, columns=[*COLUMNS])


def read_table() -> pd.DataFrame:
    """The stored table."""
    # A short hash such as 66e6958 would otherwise be read as a number.
    return pd.read_csv(TABLE, comment="#", dtype={"commit": str})


def view_pairs(table: pd.DataFrame, kind: str) -> dict[tuple[str, str], int]:
    """Pairs per comparison and view of a kind: the most any of its asserted targets needs."""
    mine = table[table["kind"] == kind]
    return {key: int(n) for key, n in mine.groupby(["name", "view"])["pairs"].max().items()}


def main(names: list[str]) -> None:
    """Measure the named comparisons (all if none), resuming what this commit measured."""
    every = {(kind, name) for kind, (listed, _) in KINDS.items() for name in listed()}
    unknown = sorted(set(names) - {name for _, name in every})
    if unknown:
        raise SystemExit(f"unknown fact or lesson {unknown[0]!r}")
    commit = model_commit()
    table = read_table() if TABLE.exists() else pd.DataFrame(columns=[*COLUMNS])
    for kind in KINDS:
        for name, view in views(kind):
            if names and name not in names:
                continue
            here = (table["kind"] == kind) & (table["name"] == name) & (table["view"] == view)
            if (here & (table["commit"] == commit)).any():
                print(f"{kind} {name} / {view}: measured at {commit}, kept", flush=True)
                continue
            print(f"{kind} {name} / {view}: {PILOT_PAIRS} pilot pairs ...", flush=True)
            rows = measure(kind, name, view, commit)
            table = pd.concat([table[~here], rows], ignore_index=True)
            _write(table)
            print(rows[["target", "mean", "sd", "effect", "pairs"]].to_string(index=False))
    print(f"wrote {TABLE}")


def model_commit() -> str:
    """The commit the model code is at ("-dirty" if routesim/ has changes not committed)."""

    def git(*args: str) -> subprocess.CompletedProcess:
        root = Path(__file__).resolve().parents[2]
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )

    head = git("rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
    clean = git("diff", "--quiet", "HEAD", "--", "routesim").returncode == 0
    return head if clean else f"{head}-dirty"


def _write(table: pd.DataFrame) -> None:
    with TABLE.open("w") as out:
        out.write(
            f"# pilot seeds from {PILOT_SEED}; pairs for power {POWER} of paired t > {T_HOLDS}; "
            "made by tests/reference/power.py\n"
        )
        table.sort_values(["kind", "name", "view", "target"]).to_csv(
            out, index=False, float_format="%.6g"
        )


def resize() -> None:
    """Size the stored effects again (after a change to the sizing rule), measuring nothing."""
    table = read_table()
    table["pairs"] = [
        pairs_needed(planning_effect(effect, n))
        for effect, n in zip(table["effect"], table["pilot_pairs"], strict=True)
    ]
    _write(table)
    print(f"wrote {TABLE}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--resize"]:
        resize()
    else:
        main(sys.argv[1:])
