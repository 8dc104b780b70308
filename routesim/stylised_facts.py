"""Stylised facts: does a mechanism move outcomes the way the evidence says?

A fact compares two settings of some levers ("low" and "high") over the same seeds,
under each view of a contested assumption (e.g. rescue as a "pull factor" or not),
and states which way each target outcome should move from low to high. Facts are
TOML files in `experiments/stylised_facts/<name>/fact.toml`.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from routesim.configs import read_config
from routesim.ensemble import replicate_seeds
from routesim.scenario import REPO_ROOT, load_scenario

FACTS_DIR = REPO_ROOT / "experiments" / "stylised_facts"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expectation(_Strict):
    """One target outcome and the direction it should move from low to high."""

    target: str
    direction: Literal[-1, 1]
    assert_: bool = Field(True, alias="assert", description="false: reported, not asserted")


class RunSettings(_Strict):
    """How big the comparison is."""

    replicates: int = Field(8, ge=2)
    scale: float = Field(20.0, gt=0)
    days: int = Field(365, ge=1)
    start: str = "2023-01-01"
    warmup_days: int = Field(150, ge=0)
    seed: int = Field(1, ge=0)


class Fact(_Strict):
    """A stylised fact: the claim, the two settings, the views and the expectations."""

    name: str
    claim: str
    evidence: str
    scenario: str = "baseline-2023"
    low: dict[str, Any]
    high: dict[str, Any]
    views: dict[str, dict[str, Any]]
    expect: list[Expectation] = Field(min_length=1)
    run: RunSettings = Field(default_factory=RunSettings)


def load_fact(path: str | Path) -> Fact:
    """Read and validate a fact file (a folder name under experiments/stylised_facts works too)."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        path = (path if path.is_dir() else FACTS_DIR / path) / "fact.toml"
    fact = read_config(path, Fact, "fact file")
    for view in fact.views.values():
        for setting in (fact.low, fact.high):
            load_scenario(fact.scenario).with_overrides(
                {**_run_overrides(fact.run), **view, **setting}
            )
    return fact


def run_fact(
    fact: Fact, run: RunSettings | None = None, workers: int | None = None
) -> pd.DataFrame:
    """Every target's value per view, setting and seed (one row each)."""
    run = run or fact.run
    seeds = replicate_seeds(run.seed, run.replicates)
    jobs = [
        (view, setting, seed)
        for view in fact.views
        for setting in ("low", "high")
        for seed in seeds
    ]
    targets = [e.target for e in fact.expect]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(
                _outcomes,
                fact.scenario,
                {**_run_overrides(run), **fact.views[view], **getattr(fact, setting)},
                seed,
                run.scale,
                tuple(targets),
            )
            for view, setting, seed in jobs
        ]
        values = [future.result() for future in futures]
    rows = [
        {"view": view, "setting": setting, "seed": seed, "target": target, "value": value}
        for (view, setting, seed), outcome in zip(jobs, values, strict=True)
        for target, value in zip(targets, outcome, strict=True)
    ]
    return pd.DataFrame(rows)


def verdicts(fact: Fact, results: pd.DataFrame) -> pd.DataFrame:
    """Per view and target: low and high means and the paired difference.

    With the difference come its 90% band and whether it has the expected sign and
    stands clear of seed noise (t > 2).
    """
    rows = []
    for view in fact.views:
        for expectation in fact.expect:
            wide = results[(results["view"] == view) & (results["target"] == expectation.target)]
            wide = wide.pivot(index="seed", columns="setting", values="value")
            diff = (wide["high"] - wide["low"]).to_numpy()
            se = diff.std(ddof=1) / np.sqrt(len(diff))
            t = diff.mean() / se if se > 0 else np.inf * np.sign(diff.mean())
            rows.append(
                {
                    "view": view,
                    "target": expectation.target,
                    "expected": "up" if expectation.direction > 0 else "down",
                    "asserted": expectation.assert_,
                    "low": wide["low"].mean(),
                    "high": wide["high"].mean(),
                    "difference": diff.mean(),
                    "band_low": diff.mean() - 1.645 * se,
                    "band_high": diff.mean() + 1.645 * se,
                    "t": t * expectation.direction,
                    "holds": bool(t * expectation.direction > 2),
                }
            )
    return pd.DataFrame(rows)


def plot_fact(fact: Fact, results: pd.DataFrame, path: Path) -> Path:
    """One panel per target: low and high means with 90% bands, per view."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = len(fact.expect)
    figure = Figure(figsize=(4.2 * n, 4), layout="constrained")
    views = list(fact.views)
    for i, expectation in enumerate(fact.expect):
        ax = figure.add_subplot(1, n, i + 1)
        rows = results[results["target"] == expectation.target]
        for j, setting in enumerate(("low", "high")):
            stats = rows[rows["setting"] == setting].groupby("view")["value"]
            means = stats.mean().reindex(views)
            half = 1.645 * (stats.std() / np.sqrt(stats.count())).reindex(views)
            x = np.arange(len(views)) + (j - 0.5) * 0.38
            ax.bar(
                x,
                means,
                0.36,
                yerr=half,
                capsize=3,
                label=setting,
                color=("tab:blue", "tab:orange")[j],
            )
        ax.set_xticks(np.arange(len(views)), views)
        arrow = "↑" if expectation.direction > 0 else "↓"
        ax.set_title(f"{expectation.target}\nexpected {arrow} from low to high", fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        if i == 0:
            ax.legend(title="setting", fontsize=8)
    figure.suptitle(fact.claim, fontsize=11)
    FigureCanvasAgg(figure).print_png(path)
    return path


def _run_overrides(run: RunSettings) -> dict[str, Any]:
    return {
        "scenario.days": run.days,
        "scenario.start": run.start,
        "parameters.warmup_days": run.warmup_days,
    }


def _outcomes(
    scenario: str, overrides: dict[str, Any], seed: int, scale: float, targets: tuple[str, ...]
) -> list[float]:
    from routesim.geography import shared_geography
    from routesim.model import RouteModel
    from routesim.outcomes import target_value

    model = RouteModel(
        load_scenario(scenario).with_overrides(overrides),
        seed=seed,
        scale=scale,
        geography=shared_geography(),
    )
    daily = model.run()
    by_country = model.country_totals()
    return [target_value(target, daily, by_country) for target in targets]
