"""Paired comparisons: does moving some levers from "low" to "high" move outcomes as claimed?

A comparison runs two settings of some levers over the same seeds (common random
numbers), under each view of a contested assumption, and states which way each target
outcome should move from low to high. Stylised facts (`routesim.stylised_facts`) and
the checked observations of lessons (`routesim.lessons`) are both comparisons, run,
judged and drawn by the functions here.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from routesim.configs import ConfigModel, Scale
from routesim.engine import Engine, Simulation
from routesim.ensemble import replicate_seeds
from routesim.errors import RoutesimError
from routesim.parallel import make_backend
from routesim.scenario import ScenarioError, load_scenario

if TYPE_CHECKING:
    from routesim.geography import Geography

#: Colours of the low and high settings in comparison figures.
SETTING_COLOURS = ("tab:blue", "tab:orange")


class Expectation(ConfigModel):
    """One target outcome and the direction it should move from low to high."""

    target: str
    direction: Literal[-1, 1]
    assert_: bool = Field(True, alias="assert", description="false: reported, not asserted")
    # Lax only to take a TOML array (a list) as the tuple; text stays text.
    views: tuple[str, ...] | None = Field(
        None, strict=False, description="the views this expectation is for (default: every view)"
    )


class RunSettings(ConfigModel):
    """How big the comparison is."""

    replicates: int = Field(8, ge=2)
    scale: Scale = Field(20.0, description="people per agent row: at least one")
    days: int = Field(365, ge=1)
    start: dt.date = dt.date(2023, 1, 1)
    warmup_days: int = Field(150, ge=0)
    seed: int = Field(1, ge=0)

    def resized(self, replicates: int | None = None, scale: float | None = None) -> RunSettings:
        """These settings with another number of replicates or scale, where given."""
        sizes = {"replicates": replicates, "scale": scale}
        return self.model_copy(update={k: v for k, v in sizes.items() if v})


class Comparison(ConfigModel):
    """A claim, the two settings, the views and the expectations."""

    claim: str
    scenario: str = "baseline-2023"
    low: dict[str, Any]
    high: dict[str, Any]
    views: dict[str, dict[str, Any]]
    expect: list[Expectation] = Field(min_length=1)
    run: RunSettings = Field(default_factory=RunSettings)


def check_comparison(comparison: Comparison, source: Path | str) -> None:
    """Raise a one-line `RoutesimError` naming `source` if a view or setting is invalid."""
    for index, expectation in enumerate(comparison.expect):
        unknown = sorted(set(expectation.views or ()) - set(comparison.views))
        if unknown:
            raise RoutesimError(
                f"{source}: expect.{index}.views: unknown view {unknown[0]!r} "
                f"(expected one of {', '.join(comparison.views)})"
            )
    base = load_scenario(comparison.scenario)
    for view in comparison.views.values():
        for setting in (comparison.low, comparison.high):
            try:
                base.with_overrides({**_run_overrides(comparison.run), **view, **setting})
            except ScenarioError as exc:
                raise RoutesimError(f"{source}: {exc}") from None


def run_comparison(
    comparison: Comparison,
    run: RunSettings | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Every target's value per view, setting and seed (one row each)."""
    run = run or comparison.run
    seeds = replicate_seeds(run.seed, run.replicates)
    jobs = [
        (view, setting, seed)
        for view in comparison.views
        for setting in ("low", "high")
        for seed in seeds
    ]
    targets = list(dict.fromkeys(e.target for e in comparison.expect))
    scenario = load_scenario(comparison.scenario)
    simulations = [
        Simulation(
            scenario,
            seed,
            run.scale,
            {**_run_overrides(run), **comparison.views[view], **getattr(comparison, setting)},
        )
        for view, setting, seed in jobs
    ]
    engine = Engine(make_backend(workers or min(len(jobs), os.cpu_count() or 1)))
    values = engine.run(simulations, partial(_target_values, tuple(targets)))
    rows = [
        {"view": view, "setting": setting, "seed": seed, "target": target, "value": value}
        for (view, setting, seed), outcome in zip(jobs, values, strict=True)
        for target, value in zip(targets, outcome, strict=True)
    ]
    return pd.DataFrame(rows)


def verdicts(comparison: Comparison, results: pd.DataFrame) -> pd.DataFrame:
    """Per view and target: low and high means and the paired difference.

    With the difference come its 90% band and whether it has the expected sign and
    stands clear of seed noise (t > 2).
    """
    rows = []
    for view in comparison.views:
        for expectation in comparison.expect:
            if expectation.views is not None and view not in expectation.views:
                continue
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


def plot_comparison[P: (Path, BinaryIO)](
    comparison: Comparison,
    results: pd.DataFrame,
    path: P,
    labels: tuple[str, str] = ("low", "high"),
) -> P:
    """One panel per target: low and high means with 90% bands, per view (a PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = len(comparison.expect)
    figure = Figure(figsize=(4.2 * n, 4), layout="constrained")
    views = list(comparison.views)
    for i, expectation in enumerate(comparison.expect):
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
                label=labels[j],
                color=SETTING_COLOURS[j],
            )
        ax.set_xticks(np.arange(len(views)), views)
        arrow = "↑" if expectation.direction > 0 else "↓"
        where = f" ({', '.join(expectation.views)})" if expectation.views else ""
        ax.set_title(f"{expectation.target}\nexpected {arrow} from low to high{where}", fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        if i == 0:
            ax.legend(title="setting", fontsize=8)
    figure.suptitle(comparison.claim, fontsize=11)
    FigureCanvasAgg(figure).print_png(path)
    return path


def write_results(
    comparison: Comparison,
    results: pd.DataFrame,
    folder: Path,
    labels: tuple[str, str] = ("low", "high"),
) -> pd.DataFrame:
    """Write results.csv, verdicts.csv and figure.png into `folder`; return the verdicts."""
    results.to_csv(folder / "results.csv", index=False)
    table = verdicts(comparison, results)
    table.round(5).to_csv(folder / "verdicts.csv", index=False)
    plot_comparison(comparison, results, folder / "figure.png", labels)
    return table


def _run_overrides(run: RunSettings) -> dict[str, Any]:
    return {
        "scenario.days": run.days,
        "scenario.start": run.start,
        "parameters.warmup_days": run.warmup_days,
    }


def _target_values(
    targets: tuple[str, ...], simulation: Simulation, geography: Geography
) -> list[float]:
    from routesim.outcomes import target_value

    model = simulation.model(geography)
    daily = model.run()
    by_country = model.country_totals()
    return [target_value(target, daily, by_country) for target in targets]
