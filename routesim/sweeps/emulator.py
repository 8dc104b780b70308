"""A Gaussian-process emulator of a sweep's outcomes, and Sobol indices computed on it.

Sobol indices straight from model runs need many runs per point to clear the seed noise
(the partner-interception sweep's 768 runs gave intervals of about ±0.3). An emulator
fitted to the runs of a space-filling design (a Latin hypercube) takes the seed noise
into a white-noise term and can then be evaluated as often as Saltelli's estimator needs,
so the indices describe the expected outcome rather than one seed's. Two checks keep it
honest: it is fitted again without a share of the runs and must predict those
(`emulator_check`), and the indices' 95% intervals come from functions drawn from its
posterior (`emulated_sobol`), so they include what the runs leave unknown.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from routesim.sweeps.config import Sweep
from routesim.sweeps.samplers import salib_problem

#: Share of the runs held back to test an emulator fitted on the others.
HELD_BACK_SHARE = 0.2
#: Saltelli base samples of the indices of the emulator's mean (N (D + 2) predictions).
ESTIMATE_BASE_SAMPLES = 4096
#: Posterior draws for the intervals: batches, each on its own Saltelli sample of
#: `DRAW_BASE_SAMPLES` (a draw is a joint sample at all its points, so these stay small).
DRAW_BATCHES = 4
DRAWS_PER_BATCH = 50
DRAW_BASE_SAMPLES = 256
#: Fewest runs per parameter an emulator is fitted to.
MIN_RUNS_PER_PARAMETER = 10


def emulator_check(runs: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """How well an emulator fitted without some runs predicts them, per outcome.

    A fixed random share (`HELD_BACK_SHARE`, drawn from the sweep's seed) of the runs is
    held back; an emulator fitted to the rest predicts them.

    Args:
        runs: Stored runs of a Latin hypercube design.
        sweep: The sweep they belong to.

    Returns:
        Columns ``outcome``, ``fitted`` and ``held_back`` (runs), ``r2`` (of the
        held-back runs against the prediction), ``noise_share`` (the fitted seed noise's
        share of the outcome's variance: ``1 - noise_share`` is the best ``r2`` a
        perfect emulator could reach), ``coverage95`` (held-back runs inside the 95%
        predictive interval, which includes the seed noise).

    Raises:
        ValueError: Not a Latin hypercube design, or too few runs.
    """
    x, outcomes = _inputs(runs, sweep)
    rng = np.random.default_rng(sweep.config.sweep.seed)
    held = np.zeros(len(x), dtype=bool)
    held[rng.choice(len(x), size=max(1, round(HELD_BACK_SHARE * len(x))), replace=False)] = True
    rows = []
    for outcome in sweep.outcomes.columns():
        y = outcomes[outcome]
        if np.ptp(y) == 0:
            rows.append({"outcome": outcome, "fitted": int((~held).sum()), "held_back": 0})
            continue
        fitted = _fit(x[~held], y[~held])
        mean, sd = fitted.predict(x[held], return_std=True)
        total = float(np.var(y[held]))
        rows.append(
            {
                "outcome": outcome,
                "fitted": int((~held).sum()),
                "held_back": int(held.sum()),
                "r2": 1.0 - float(np.mean((y[held] - mean) ** 2)) / total if total > 0 else np.nan,
                # The outcome was standardised, so the noise level is a share of its variance.
                "noise_share": float(fitted.kernel_.k2.noise_level),
                "coverage95": float(np.mean(np.abs(y[held] - mean) <= 1.96 * sd)),
            }
        )
    return pd.DataFrame(rows)


def emulated_sobol(runs: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """First- and total-order Sobol indices of the emulated expected outcome, 95% intervals.

    The indices are those of the emulator's mean, fitted to every run. Their intervals
    are the 2.5th to 97.5th percentiles of the indices of functions drawn from the
    emulator's posterior (without the seed noise), each batch of draws on a Saltelli
    sample of its own, so they cover both what the runs leave unknown about the expected
    outcome and the estimator's own sampling error; they are given as half-widths. The
    kernel's length scales and noise level are taken as fitted, not varied.

    Args:
        runs: Stored runs of a Latin hypercube design.
        sweep: The sweep they belong to.

    Returns:
        Columns ``outcome``, ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``, as
        `routesim.sweeps.analysis.sobol_indices`. An outcome that does not vary gets NaN.

    Raises:
        ValueError: Not a Latin hypercube design, or too few runs.
    """
    x, outcomes = _inputs(runs, sweep)
    problem = salib_problem(sweep.parameters)
    unit = {**problem, "bounds": [[0.0, 1.0]] * problem["num_vars"]}
    rng = np.random.default_rng(sweep.config.sweep.seed)
    rows = []
    for outcome in sweep.outcomes.columns():
        y = outcomes[outcome]
        if np.ptp(y) == 0:
            estimate = spread = np.full((2, len(sweep.parameters)), np.nan)
        else:
            fitted = _fit(x, y)
            points = _saltelli(unit, ESTIMATE_BASE_SAMPLES, rng)
            estimate = _indices(unit, fitted.predict(points)[:, None])[0]
            draws = []
            for _ in range(DRAW_BATCHES):
                points = _saltelli(unit, DRAW_BASE_SAMPLES, rng)
                draws.extend(_indices(unit, _latent_draws(fitted, points, DRAWS_PER_BATCH, rng)))
            low, high = np.percentile(np.array(draws), [2.5, 97.5], axis=0)
            spread = (high - low) / 2
        for j, parameter in enumerate(sweep.parameters):
            rows.append(
                {
                    "outcome": outcome,
                    "parameter": parameter.name,
                    "S1": float(estimate[0, j]),
                    "S1_conf": float(spread[0, j]),
                    "ST": float(estimate[1, j]),
                    "ST_conf": float(spread[1, j]),
                }
            )
    return pd.DataFrame(rows)


def _inputs(runs: pd.DataFrame, sweep: Sweep) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Each run's parameters on the unit cube, and its outcomes."""
    if sweep.config.design.kind != "latin_hypercube":
        raise ValueError("an emulator is fitted to a latin_hypercube design")
    needed = MIN_RUNS_PER_PARAMETER * len(sweep.parameters)
    if len(runs) < needed:
        raise ValueError(
            f"an emulator of {len(sweep.parameters)} parameters needs at least {needed} runs "
            f"({MIN_RUNS_PER_PARAMETER} per parameter); {len(runs)} are stored"
        )
    ordered = runs.sort_values("run")
    low = np.array([p.low for p in sweep.parameters])
    width = np.array([p.high - p.low for p in sweep.parameters])
    x = (ordered[[p.name for p in sweep.parameters]].to_numpy(dtype=np.float64) - low) / width
    outcomes = {c: ordered[c].to_numpy(dtype=np.float64) for c in sweep.outcomes.columns()}
    return x, outcomes


def _fit(x: np.ndarray, y: np.ndarray):
    """A Gaussian process with one length scale per parameter and a seed-noise term."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

    kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(
        np.full(x.shape[1], 0.5), (1e-2, 1e2)
    ) + WhiteKernel(0.1, (1e-6, 1.0))
    emulator = GaussianProcessRegressor(kernel, normalize_y=True, random_state=0)
    with warnings.catch_warnings():
        # A length scale at its upper bound means the outcome barely depends on that
        # parameter, which the indices then show; the warning adds nothing.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return emulator.fit(x, y)


def _saltelli(unit: dict, base: int, rng: np.random.Generator) -> np.ndarray:
    """A Saltelli sample of the unit cube (SALib), from a seed drawn from ``rng``."""
    from SALib.sample import sobol as sample

    seed = int(rng.integers(2**31))
    return sample.sample(unit, base, calc_second_order=False, seed=seed)


def _latent_draws(emulator, points: np.ndarray, draws: int, rng: np.random.Generator):
    """Functions drawn from the emulator's posterior at ``points``, one per column.

    They are draws of the expected outcome: the posterior of the kernel's smooth part
    only, without the white-noise term that stands for the seed noise. They are left in
    the standardised units the emulator was fitted in, as Sobol indices do not change
    with the outcome's scale.
    """
    from scipy.linalg import solve_triangular

    smooth = emulator.kernel_.k1
    cross = smooth(points, emulator.X_train_)
    mean = cross @ emulator.alpha_
    v = solve_triangular(emulator.L_, cross.T, lower=True)
    root = _cholesky(smooth(points) - v.T @ v)
    return mean[:, None] + root @ rng.standard_normal((len(points), draws))


def _cholesky(covariance: np.ndarray) -> np.ndarray:
    """A lower Cholesky factor of a positive semi-definite covariance.

    Points close together make it singular in floating point; a jitter on the diagonal,
    grown until the factorisation succeeds, stays far below the outcome's scale (the
    emulator works in standardised units, so a jitter of 1e-6 is a sd of 0.1% of it).
    """
    scale = float(np.mean(np.diag(covariance))) or 1.0
    for jitter in (1e-10, 1e-8, 1e-6, 1e-4):
        try:
            return np.linalg.cholesky(covariance + jitter * scale * np.eye(len(covariance)))
        except np.linalg.LinAlgError:
            continue
    raise np.linalg.LinAlgError("the emulator's posterior covariance is not positive definite")


def _indices(unit: dict, outputs: np.ndarray) -> list[np.ndarray]:
    """S1 (row 0) and ST (row 1) for each column of ``outputs`` over one Saltelli sample.

    SALib's own estimators (Saltelli et al. 2010), applied to every column at once: its
    `analyze` takes one output at a time and bootstraps intervals that are not needed here.
    """
    from SALib.analyze.sobol import first_order, total_order

    d = unit["num_vars"]
    # SALib lays a sample out as, for each base row, A, then A with column j from B
    # (j = 1..D), then B.
    blocks = outputs.reshape(-1, d + 2, outputs.shape[1])
    a, b = blocks[:, 0], blocks[:, d + 1]
    first = np.array([first_order(a, blocks[:, 1 + j], b) for j in range(d)])
    total = np.array([total_order(a, blocks[:, 1 + j], b) for j in range(d)])
    return [np.vstack([first[:, k], total[:, k]]) for k in range(outputs.shape[1])]
