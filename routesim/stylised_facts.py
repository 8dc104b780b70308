"""Stylised facts: does a mechanism move outcomes the way the evidence says?

A fact is a paired comparison (`routesim.comparison`): two settings of some levers
("low" and "high") over the same seeds, under each view of a contested assumption
(e.g. rescue as a "pull factor" or not), and which way each target outcome should move
from low to high, with the claim and its evidence. Facts are TOML files in
`stylised_facts/<name>/fact.toml` (bundled in ``routesim/data/``, or in a
``$ROUTESIM_PATH`` folder).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routesim import resources
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
from routesim.errors import RoutesimError

__all__ = [
    "Expectation",
    "Fact",
    "RunSettings",
    "available_facts",
    "load_fact",
    "plot_fact",
    "run_fact",
    "verdicts",
]


class Fact(Comparison):
    """A stylised fact: a named comparison with the evidence behind its claim."""

    name: str
    evidence: str


def available_facts() -> list[str]:
    """Names of the facts in ``$ROUTESIM_PATH`` folders and bundled ones, sorted."""
    return resources.names("stylised_facts", "*/fact.toml")


def load_fact(path: str | Path) -> Fact:
    """Read and validate a fact file, its folder, or a fact by name (`available_facts`)."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        folder = path if path.is_dir() else resources.find("stylised_facts", str(path))
        if folder is None:
            known = resources.listing("stylised_facts", available_facts())
            raise RoutesimError(f"no stylised fact {str(path)!r} ({known})")
        path = folder / "fact.toml"
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
