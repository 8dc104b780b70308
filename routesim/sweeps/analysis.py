"""Tables made from a stored sweep: per-point summaries, effects and Sobol indices.

Bands are the 5th and 95th percentiles over the runs summarised (linearly
interpolated), as in ensemble summaries.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from routesim.sweeps.config import Sweep
from routesim.sweeps.samplers import salib_problem

#: Bins of a continuous parameter's range in effect tables (LHS and Sobol designs).
EFFECT_BINS = 8


def point_summary(runs: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """Mean and 5-95% band over replicates of every outcome at every design point.

    Args:
        runs: Stored runs (`routesim.sweeps.storage.RunStore.read`).
        sweep: The sweep they belong to.

    Returns:
        Columns ``point``, the parameters, ``outcome``, ``n`` (replicates stored),
        ``mean``, ``p05``, ``p95``; one row per point and outcome.
    """
    names = [p.name for p in sweep.parameters]
    long = runs.melt(
        id_vars=["point", *names],
        value_vars=sweep.outcomes.columns(),
        var_name="outcome",
        value_name="y",
    )
    return _band(long, ["point", *names, "outcome"])


def effects(
    runs: pd.DataFrame,
    sweep: Sweep,
    parameter: str,
    by: str | None = None,
    bins: int = EFFECT_BINS,
) -> pd.DataFrame:
    """How each outcome moves with one parameter, over all other variation.

    Grid values are taken as they are; a continuous parameter (Latin hypercube, Sobol)
    is cut into ``bins`` equal-width bins, each shown at its midpoint. The band covers
    every run in a group: replicates and, unless ``by`` holds it fixed, the other
    parameters' values.

    Args:
        runs: Stored runs.
        sweep: The sweep they belong to.
        parameter: The parameter on the x axis.
        by: Another parameter to keep apart (one curve per value), or ``None``.
        bins: Bins of a continuous parameter.

    Returns:
        Columns ``parameter``, ``value``, ``by`` and ``by_value`` (when ``by`` is
        given), ``outcome``, ``n``, ``mean``, ``p05``, ``p95``.
    """
    x = runs[parameter]
    if sweep.config.design.kind != "grid":
        spec = next(p for p in sweep.parameters if p.name == parameter)
        edges = np.linspace(spec.low, spec.high, bins + 1)
        index = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
        x = pd.Series((edges[index] + edges[index + 1]) / 2, index=runs.index)
    keys = {"value": x}
    if by is not None:
        keys["by_value"] = runs[by]
    frame = pd.DataFrame(keys).join(runs[sweep.outcomes.columns()])
    long = frame.melt(id_vars=list(keys), var_name="outcome", value_name="y")
    table = _band(long, [*keys, "outcome"])
    table.insert(0, "parameter", parameter)
    if by is not None:
        table.insert(2, "by", by)
    return table


def all_effects(runs: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """`effects` of every parameter, stacked; for a two-parameter grid, each by the other."""
    names = [p.name for p in sweep.parameters]
    pair = sweep.config.design.kind == "grid" and len(names) == 2
    tables = [
        effects(runs, sweep, name, by=(names[1 - i] if pair else None))
        for i, name in enumerate(names)
    ]
    return pd.concat(tables, ignore_index=True)


def sobol_indices(runs: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """First- and total-order Sobol indices of every outcome (SALib), with 95% intervals.

    Each design point's outcome is its mean over replicates, which takes most of the
    model's seed noise out of the variance being split.

    Args:
        runs: Stored runs of a Sobol design; every point needs at least one run.
        sweep: The sweep they belong to.

    Returns:
        Columns ``outcome``, ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.
        An outcome that does not vary gets NaN indices.

    Raises:
        ValueError: The design is not Sobol, or some points have no run yet.
    """
    from SALib.analyze import sobol

    if sweep.config.design.kind != "sobol":
        raise ValueError("Sobol indices need a sobol design")
    means = _point_means(runs, sweep)
    problem = salib_problem(sweep.parameters)
    rows = []
    for outcome in sweep.outcomes.columns():
        values = means[outcome].to_numpy(dtype=np.float64)
        if np.ptp(values) > 0:
            with warnings.catch_warnings():
                # SALib warns about sample sizes it also accepts; the intervals say enough.
                warnings.simplefilter("ignore")
                result = sobol.analyze(
                    problem, values, calc_second_order=False, seed=sweep.config.sweep.seed
                )
            indices = {key: result[key] for key in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            nan = np.full(len(sweep.parameters), np.nan)
            indices = dict.fromkeys(("S1", "S1_conf", "ST", "ST_conf"), nan)
        for j, parameter in enumerate(sweep.parameters):
            rows.append(
                {"outcome": outcome, "parameter": parameter.name}
                | {key: float(value[j]) for key, value in indices.items()}
            )
    return pd.DataFrame(rows)


def morris_indices(runs: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """Morris elementary effects of every outcome (SALib): mu*, its 95% interval, sigma.

    As for Sobol indices, each design point's outcome is its mean over replicates.
    mu* (mean absolute effect) ranks the parameters; sigma large against mu* says the
    effect depends on the other parameters (interactions or a curved response).

    Args:
        runs: Stored runs of a Morris design; every point needs at least one run.
        sweep: The sweep they belong to.

    Returns:
        Columns ``outcome``, ``parameter``, ``mu``, ``mu_star``, ``mu_star_conf``,
        ``sigma``, ``rank`` (1 = largest mu* for that outcome).

    Raises:
        ValueError: The design is not Morris, or some points have no run yet.
    """
    from SALib.analyze import morris

    if sweep.config.design.kind != "morris":
        raise ValueError("Morris indices need a morris design")
    means = _point_means(runs, sweep)
    names = [p.name for p in sweep.parameters]
    points = runs.groupby("point")[names].first().sort_index().to_numpy(dtype=np.float64)
    problem = salib_problem(sweep.parameters)
    levels = sweep.config.design.levels or 4
    rows = []
    for outcome in sweep.outcomes.columns():
        values = means[outcome].to_numpy(dtype=np.float64)
        result = morris.analyze(
            problem, points, values, num_levels=levels, seed=sweep.config.sweep.seed
        )
        table = pd.DataFrame(
            {
                "outcome": outcome,
                "parameter": names,
                "mu": result["mu"],
                "mu_star": result["mu_star"],
                "mu_star_conf": result["mu_star_conf"],
                "sigma": result["sigma"],
            }
        )
        table["rank"] = table["mu_star"].rank(ascending=False, method="min").astype(int)
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


def _point_means(runs: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """Each design point's outcomes averaged over replicates (every point must have a run)."""
    points = len(sweep.runs()) // sweep.config.sweep.replicates
    means = runs.groupby("point")[sweep.outcomes.columns()].mean().sort_index()
    if len(means) < points:
        kind = sweep.config.design.kind.capitalize()
        raise ValueError(f"{kind} indices need every point: {points - len(means)} have no run yet")
    return means


def _band(long: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    grouped = long.groupby(list(keys), sort=True, observed=True)["y"]
    table = grouped.agg(
        n="size",
        mean="mean",
        p05=lambda v: np.percentile(v, 5.0),
        p95=lambda v: np.percentile(v, 95.0),
    )
    return table.reset_index()


def morris_agreement(first: pd.DataFrame, second: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """How alike two Morris screenings (say, from different seeds) rank the leading levers.

    For each outcome, the parameters either screening puts in its ``top`` by mu* are
    ranked in both, and the two rankings compared by Spearman's rho. Taking the union
    makes it stricter than comparing one screening's top list only: a lever one seed
    thinks important and the other does not counts against the agreement.

    Args:
        first: `morris_indices` of one screening.
        second: `morris_indices` of the other, over the same parameters and outcomes.
        top: Length of each screening's leading list.

    Returns:
        Columns ``outcome``, ``compared`` (parameters in the union), ``common`` (in
        both top lists), ``spearman``.
    """
    from scipy.stats import spearmanr

    rows = []
    for outcome, one in first.groupby("outcome", sort=False):
        one = one.set_index("parameter")["mu_star"]
        other = second[second["outcome"] == outcome].set_index("parameter")["mu_star"]
        leaders = set(one.nlargest(top).index) | set(other.nlargest(top).index)
        common = set(one.nlargest(top).index) & set(other.nlargest(top).index)
        names = sorted(leaders)
        rho = spearmanr(one[names], other[names]).statistic
        rows.append(
            {"outcome": outcome, "compared": len(names), "common": len(common), "spearman": rho}
        )
    return pd.DataFrame(rows)
