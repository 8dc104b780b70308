"""Stylised facts: does a mechanism move outcomes the way the evidence says?

A fact is a paired comparison (`routesim.comparison`): two settings of some levers
("low" and "high") over the same seeds, under each view of a contested assumption
(e.g. rescue as a "pull factor" or not), and which way each target outcome should move
from low to high, with the claim and its evidence. Facts are TOML files in
`experiments/stylised_facts/<name>/fact.toml`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routesim.comparison import (
    Comparison,
    Expectation,
    RunSettings,
    check_comparison,
    plot_comparison,
    run_comparison,
    verdicts,
)
from routesim.configs import read_config
from routesim.resources import bundled

__all__ = [
    "FACTS_DIR",
    "Expectation",
    "Fact",
    "RunSettings",
    "available_facts",
    "load_fact",
    "plot_fact",
    "run_fact",
    "verdicts",
]

FACTS_DIR = bundled("stylised_facts")


class Fact(Comparison):
    """A stylised fact: a named comparison with the evidence behind its claim."""

    name: str
    evidence: str


def available_facts() -> list[str]:
    """Names of the facts in ``experiments/stylised_facts``, sorted."""
    return sorted(path.parent.name for path in FACTS_DIR.glob("*/fact.toml"))


def load_fact(path: str | Path) -> Fact:
    """Read and validate a fact file (a folder name under experiments/stylised_facts works too)."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        path = (path if path.is_dir() else FACTS_DIR / path) / "fact.toml"
    fact = read_config(path, Fact, "fact file")
    check_comparison(fact, path)
    return fact


def run_fact(
    fact: Fact, run: RunSettings | None = None, workers: int | None = None
) -> pd.DataFrame:
    """Every target's value per view, setting and seed (one row each)."""
    return run_comparison(fact, run, workers)


def plot_fact(fact: Fact, results: pd.DataFrame, path: Path) -> Path:
    """One panel per target: low and high means with 90% bands, per view."""
    return plot_comparison(fact, results, path)
