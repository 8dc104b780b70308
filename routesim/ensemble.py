"""Ensembles: many seeded replicates of one scenario, their summaries and output files.

Replicate ``k`` of an ensemble with base seed ``s`` always runs with the same seed,
``SeedSequence(s).spawn(n)[k]`` reduced to one 32-bit integer, whatever ``n`` and the
number of worker processes: results depend on (scenario, scale, s, k) only, and the
integer seeds are stored so that any single replicate can be rerun alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routesim.configs import scale_argument
from routesim.engine import Engine, Simulation, daily_table
from routesim.outcomes import FLOW_METRICS, METRICS, STOCK_METRICS
from routesim.parallel import InProcess, make_backend
from routesim.routes import ROUTES

if TYPE_CHECKING:
    from routesim.geography import Geography
    from routesim.scenario import Scenario

#: ``simulate(scenario, seed, scale=..., geography=...) -> daily table``, as `routesim.model`.
Simulate = Callable[..., pd.DataFrame]

#: The route label of the all-routes rows of `Ensemble.summary`.
ALL_ROUTES = "all"

DEFAULT_SCALE = 10.0


def replicate_seeds(seed: int, replicates: int) -> tuple[int, ...]:
    """Return the integer seed of each replicate of an ensemble.

    Args:
        seed: The ensemble's base seed (a non-negative integer).
        replicates: Number of replicates.

    Returns:
        One seed per replicate; the k-th does not depend on ``replicates``.
    """
    children = np.random.SeedSequence(seed).spawn(replicates)
    return tuple(int(child.generate_state(1)[0]) for child in children)


@dataclass(frozen=True, eq=False)
class Ensemble:
    """The replicates of one scenario and what can be made of them.

    Attributes:
        scenario: The resolved scenario every replicate ran.
        seed: The base seed the replicate seeds derive from.
        seeds: The integer seed of each replicate, in replicate order.
        scale: People per agent.
        daily: Every replicate's daily table, concatenated: columns ``replicate`` and
            ``seed`` first, then the model's ``day``, ``date``, ``route`` and metrics.
    """

    scenario: Scenario
    seed: int
    seeds: tuple[int, ...]
    scale: float
    daily: pd.DataFrame

    @property
    def replicates(self) -> int:
        """Number of replicates."""
        return len(self.seeds)

    def per_replicate(self) -> pd.DataFrame:
        """Run totals per replicate and route, with all-routes rows.

        Flow metrics are summed over the run's days; stock metrics (``waiting``,
        ``at_sea``, ``price``) are averaged over days. The ``all`` rows sum flows,
        ``waiting`` and ``at_sea`` over routes (they count people); ``price`` there is
        the mean of the routes' prices weighted by their departures over the run (the
        average price asked per departing person), or the plain mean over routes in a
        replicate with no departures at all.

        Returns:
            Columns ``replicate``, ``route`` (the routes, then ``all``) and one per
            metric; one row per replicate and route.
        """
        grouped = self.daily.groupby(["replicate", "route"], observed=True, sort=True)
        routes = grouped[list(FLOW_METRICS)].sum().join(grouped[list(STOCK_METRICS)].mean())
        routes = routes.reset_index()
        routes["route"] = routes["route"].astype(str)

        by_replicate = routes.groupby("replicate", sort=True)
        totals = by_replicate[[*FLOW_METRICS, "waiting", "at_sea"]].sum()
        totals["price"] = by_replicate[["price", "departures"]].apply(_departure_weighted_price)
        totals = totals.reset_index().assign(route=ALL_ROUTES)

        table = pd.concat([routes, totals], ignore_index=True)
        table["route"] = pd.Categorical(table["route"], categories=[*ROUTES, ALL_ROUTES])
        table = table.sort_values(["replicate", "route"], ignore_index=True)
        return table[["replicate", "route", *METRICS]]

    def summary(self) -> pd.DataFrame:
        """Ensemble mean and 5-95% band of each metric's run total, per route.

        Run totals are those of `per_replicate` (see there for stocks and the ``all``
        route). The band is the 5th and 95th percentile over replicates, linearly
        interpolated; with one replicate all three columns are equal.

        Returns:
            Columns ``route``, ``metric``, ``mean``, ``p05``, ``p95``: one row per route
            (the five reporting routes, then ``all``) and metric, in `METRICS` order.
        """
        totals = self.per_replicate()
        rows = []
        for route, group in totals.groupby("route", observed=True, sort=True):
            values = group[list(METRICS)].to_numpy(dtype=np.float64)
            p05, p95 = np.percentile(values, [5.0, 95.0], axis=0)
            rows.append(
                pd.DataFrame(
                    {
                        "route": str(route),
                        "metric": list(METRICS),
                        "mean": values.mean(axis=0),
                        "p05": p05,
                        "p95": p95,
                    }
                )
            )
        return pd.concat(rows, ignore_index=True)

    def monthly(self) -> pd.DataFrame:
        """Calendar-month values per replicate and route.

        Flow metrics are summed over the month's days, stock metrics averaged over
        them. Months at either end of the run may be partial: ``days`` says how many
        of the month's days the run covers.

        Returns:
            Columns ``replicate``, ``month`` (the month's first day), ``route``,
            ``days`` and one per metric.
        """
        return self._by_period("month", "M")

    def yearly(self) -> pd.DataFrame:
        """Calendar-year values per replicate and route, as `monthly` gives months.

        Returns:
            Columns ``replicate``, ``year`` (the year's first day), ``route``, ``days``
            (of the year the run covers) and one per metric.
        """
        return self._by_period("year", "Y")

    def _by_period(self, name: str, freq: str) -> pd.DataFrame:
        period = self.daily["date"].dt.to_period(freq).dt.to_timestamp()
        grouped = self.daily.assign(**{name: period}).groupby(
            ["replicate", name, "route"], observed=True, sort=True
        )
        table = grouped[list(FLOW_METRICS)].sum().join(grouped[list(STOCK_METRICS)].mean())
        table.insert(0, "days", grouped["day"].nunique())
        return table.reset_index()[["replicate", name, "route", "days", *METRICS]]

    def run_info(self) -> dict[str, Any]:
        """How the ensemble was run: enough, with the scenario, to rerun it exactly."""
        return {
            "seed": self.seed,
            "replicates": self.replicates,
            "scale": self.scale,
            "replicate_seeds": list(self.seeds),
            "routesim_version": _routesim_version(),
        }

    def config_toml(self) -> str:
        """The resolved scenario as TOML, with a header saying which run it came from."""
        # TOML comments: the file stays a plain scenario for `load_scenario`, yet says
        # at a glance which run it came from.
        header = (
            f"# Resolved scenario of a routesim {_routesim_version()} ensemble: base seed "
            f"{self.seed}, {self.replicates} replicates, {self.scale:g} people per agent.\n"
            "# Replicate seeds and run details are in run.toml beside this file.\n\n"
        )
        return header + self.scenario.to_toml()


def run_ensemble(
    scenario: Scenario,
    replicates: int = 10,
    seed: int = 0,
    scale: float = DEFAULT_SCALE,
    workers: int | None = None,
    progress: bool = True,
    simulate: Simulate | None = None,
    geodata: str | Path | None = None,
    scheduler: str | None = None,
) -> Ensemble:
    """Run replicates of a scenario on the engine, in worker processes or in this one.

    Args:
        scenario: The resolved scenario.
        replicates: Number of replicates (at least 1).
        seed: Base seed (non-negative); see `replicate_seeds`.
        scale: People per agent.
        workers: Worker processes; 1 runs every replicate in this process. Defaults
            to ``min(replicates, os.cpu_count())``. Local workers are started with the
            ``forkserver`` method and each loads the geography once; a script that
            calls this with several workers needs the ``if __name__ == "__main__":``
            guard, as for any `multiprocessing` program.
        progress: Show a progress bar (one step per replicate, with ETA) on stderr.
        simulate: The replicate function, ``routesim.model.simulate`` by default; a
            custom one (tests, wrappers) must be a picklable module-level function.
            Either gets the geography loaded once per process.
        geodata: Folder of the geodata layers; the bundled layers by default.
        scheduler: ``local`` for a Dask LocalCluster of `workers`, the address of a
            running Dask scheduler, or None for local processes.

    Returns:
        The ensemble, replicates in order of their index whatever order they finish in.

    Raises:
        ValueError: ``replicates``, ``seed``, ``scale`` or ``workers`` is out of range.
    """
    if replicates < 1:
        raise ValueError(f"replicates must be at least 1, got {replicates}")
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    scale = scale_argument(scale)
    if workers is None:
        workers = min(replicates, os.cpu_count() or 1)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")

    seeds = replicate_seeds(seed, replicates)
    workers = min(workers, replicates)
    local = workers == 1 and scheduler is None
    engine = Engine(
        InProcess() if local else make_backend(workers, scheduler),
        geodata=None if geodata is None else Path(geodata),
        progress=_scenario_name(scenario) if progress else None,
    )
    simulations = [Simulation(scenario, replicate_seed, scale) for replicate_seed in seeds]
    evaluate = daily_table if simulate is None else partial(_simulated, simulate)
    tables = engine.run(simulations, evaluate)
    daily = pd.concat(
        [_label(table, k, seeds[k]) for k, table in enumerate(tables)], ignore_index=True
    )
    return Ensemble(scenario=scenario, seed=seed, seeds=seeds, scale=scale, daily=daily)


def _simulated(simulate: Simulate, simulation: Simulation, geography: Geography) -> pd.DataFrame:
    return simulate(
        simulation.scenario, simulation.seed, scale=simulation.scale, geography=geography
    )


def _label(table: pd.DataFrame, replicate: int, seed: int) -> pd.DataFrame:
    labels = pd.DataFrame(
        {
            "replicate": np.full(len(table), replicate, dtype=np.int64),
            "seed": np.full(len(table), seed, dtype=np.int64),
        },
        index=table.index,
    )
    return pd.concat([labels, table], axis=1)


def _departure_weighted_price(frame: pd.DataFrame) -> float:
    weights = frame["departures"].to_numpy(dtype=np.float64)
    prices = frame["price"].to_numpy(dtype=np.float64)
    if weights.sum() > 0:
        return float(np.average(prices, weights=weights))
    return float(prices.mean())


def _scenario_name(scenario: Scenario) -> str:
    return str(scenario.scenario.name)


def _routesim_version() -> str:
    try:
        return version("routesim")
    except PackageNotFoundError:
        return "unknown"
