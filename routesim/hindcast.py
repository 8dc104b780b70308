"""Hindcasts: the history scenario run over past years, against what was observed.

A hindcast runs one ensemble of the history scenario (``history-2015-2023``: the push
of each year and the dated policy changes) from 1 January of the first year to 31
December of the last, and compares each route's yearly and monthly detections and dead
and missing with the observed figures of those years (``observed/history-2015-2023.csv``,
from Frontex and the IOM Missing Migrants Project; made by
``experiments/hindcast/make_observed.py``). Scores: the ARD (mean of
``|sim - observed| / observed`` over route-years), how many year-on-year changes go the
observed way, and the correlation of monthly detections per route. Facts not fitted are
set beside the simulated ones too (`Hindcast.facts`): the partner coast guards'
interceptions at sea per route and year (``observed/partner-interceptions-2015-2023.csv``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from routesim import resources
from routesim.ensemble import Ensemble, run_ensemble
from routesim.errors import RoutesimError
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES, SEA_ROUTES
from routesim.scenario import load_scenario

HISTORY_SCENARIO = "history-2015-2023"
OBSERVED_FILE = "history-2015-2023.csv"
PARTNERS_FILE = "partner-interceptions-2015-2023.csv"
#: The years the observed file covers.
FIRST_YEAR, LAST_YEAR = 2015, 2023
METRICS = ("detections", "dead_missing")
#: Files `Hindcast.write` produces.
OUTPUT_FILES = {"table": "hindcast.csv", "facts": "facts.csv", "plot": "hindcast.png"}


def load_observed_history() -> pd.DataFrame:
    """Observed detections and dead and missing per reporting route and month, 2015-2023.

    Returns:
        Columns ``route``, ``month`` (first day, a timestamp), ``detections``,
        ``dead_missing``.
    """
    table = _read_observed(OBSERVED_FILE)
    return table.assign(month=pd.to_datetime(table["month"], format="%Y-%m"))


def load_observed_partner_interceptions() -> pd.DataFrame:
    """People the partner coast guards stopped at sea, per route and year, 2015-2023.

    Returns:
        Columns ``year``, ``route``, ``partners`` (whose figures, e.g. ``libya+tunisia``),
        ``sea_interceptions`` and ``months_reported`` (below 12: a minimum).
    """
    return _read_observed(PARTNERS_FILE)


def _read_observed(name: str) -> pd.DataFrame:
    path = resources.find("observed", name)
    if path is None:
        raise RoutesimError(f"no observed history ({name} among the observed figures)")
    return pd.read_csv(path, comment="#")


def parse_years(text: str) -> tuple[int, int]:
    """``"2019-2023"`` or ``"2021"`` as (first, last), both within 2015-2023.

    Raises:
        RoutesimError: Not a year or a range of years within the observed ones.
    """
    first, _, last = text.partition("-")
    try:
        years = (int(first), int(last or first))
    except ValueError:
        raise RoutesimError(
            f"--years {text}: expected YEAR or FIRST-LAST, e.g. 2019-2023"
        ) from None
    if not FIRST_YEAR <= years[0] <= years[1] <= LAST_YEAR:
        raise RoutesimError(
            f"--years {text}: expected years from {FIRST_YEAR} to {LAST_YEAR}, first before last"
        )
    return years


@dataclass(frozen=True)
class Hindcast:
    """An ensemble of past years and the observed figures it is scored against."""

    ensemble: Ensemble
    years: tuple[int, int]

    @cached_property
    def observed(self) -> pd.DataFrame:
        """The observed months of the hindcast's years."""
        table = load_observed_history()
        return table[table["month"].dt.year.between(*self.years)]

    def table(self) -> pd.DataFrame:
        """Per year, route and metric: simulated mean and 5-95% band, and the observed value.

        Returns:
            Columns ``year,route,metric,sim_mean,sim_p05,sim_p95,observed``.
        """
        return self._table.copy()

    @cached_property
    def _table(self) -> pd.DataFrame:
        # Worked out once: every score (ARD, directions, within) reads it.
        yearly = self.ensemble.yearly().assign(year=lambda t: t["year"].dt.year)
        observed = self.observed.assign(year=self.observed["month"].dt.year)
        observed = observed.groupby(["year", "route"])[list(METRICS)].sum()
        rows = []
        for metric in METRICS:
            grouped = yearly.groupby(["year", "route"], observed=True)[metric]
            stats = pd.DataFrame(
                {
                    "sim_mean": grouped.mean(),
                    "sim_p05": grouped.quantile(0.05),
                    "sim_p95": grouped.quantile(0.95),
                }
            ).join(observed[metric].rename("observed"))
            rows.append(stats.reset_index().assign(metric=metric))
        table = pd.concat(rows, ignore_index=True)
        table = table[table["route"].isin(ROUTES)]
        columns = ["year", "route", "metric", "sim_mean", "sim_p05", "sim_p95", "observed"]
        return table[columns].sort_values(["metric", "route", "year"], ignore_index=True)

    def facts(self) -> pd.DataFrame:
        """Facts not fitted, simulated against observed: partner coast guards' interceptions.

        The observed figures count people stopped at sea; the model also stops people on
        the beach before launch, which some national figures include. So each route-year
        has two rows: ``sea_interceptions`` (``partner_interceptions`` less
        ``departures_prevented``) and ``partner_interceptions`` (both), against the same
        observed figure.

        Returns:
            Columns ``year,route,metric,sim_mean,sim_p05,sim_p95,observed,partners,
            months_reported``, for each observed route-year of the hindcast's years.
        """
        yearly = self.ensemble.yearly().assign(year=lambda t: t["year"].dt.year)
        yearly = yearly.assign(
            sea_interceptions=yearly["partner_interceptions"] - yearly["departures_prevented"]
        ).groupby(["year", "route"], observed=True)
        observed = load_observed_partner_interceptions()
        observed = observed[observed["year"].between(*self.years)].rename(
            columns={"sea_interceptions": "observed"}
        )
        tables = []
        for metric in ("sea_interceptions", "partner_interceptions"):
            simulated = pd.DataFrame(
                {
                    "sim_mean": yearly[metric].mean(),
                    "sim_p05": yearly[metric].quantile(0.05),
                    "sim_p95": yearly[metric].quantile(0.95),
                }
            ).reset_index()
            tables.append(simulated.merge(observed, on=["year", "route"]).assign(metric=metric))
        columns = ["year", "route", "metric", "sim_mean", "sim_p05", "sim_p95", "observed"]
        return pd.concat(tables)[[*columns, "partners", "months_reported"]].sort_values(
            ["metric", "route", "year"], ignore_index=True
        )

    def errors(self) -> pd.DataFrame:
        """`table` with each row's relative error, ``error = (sim_mean - observed) / observed``."""
        table = self.table()
        return table.assign(error=(table["sim_mean"] - table["observed"]) / table["observed"])

    def ard(self, metric: str = "detections", routes: tuple[str, ...] = ROUTES) -> float:
        """Mean over route-years of ``|sim - observed| / observed`` (route-years observed > 0)."""
        table = self._scored(metric, routes)
        return float((abs(table["sim_mean"] - table["observed"]) / table["observed"]).mean())

    def directions(
        self, metric: str = "detections", routes: tuple[str, ...] = ROUTES
    ) -> tuple[int, int]:
        """Year-on-year changes whose sign the simulation gets right, and how many there are."""
        right = total = 0
        for _, route in self._scored(metric, routes).groupby("route"):
            sim = np.sign(np.diff(route.sort_values("year")["sim_mean"].to_numpy()))
            obs = np.sign(np.diff(route.sort_values("year")["observed"].to_numpy()))
            right += int((sim == obs).sum())
            total += len(obs)
        return right, total

    def within(self, share: float, metric: str = "dead_missing") -> tuple[int, int]:
        """Sea route-years whose simulated mean is within ``share`` of the observed value."""
        table = self._scored(metric, SEA_ROUTES)
        close = abs(table["sim_mean"] - table["observed"]) <= share * table["observed"]
        return int(close.sum()), len(table)

    def monthly_correlation(self, metric: str = "detections") -> pd.Series:
        """Per route, Pearson's r of simulated (ensemble mean) and observed monthly values."""
        simulated = self.ensemble.monthly().groupby(["route", "month"], observed=True)[metric]
        joined = self.observed.set_index(["route", "month"])[metric].to_frame("observed")
        joined = joined.join(simulated.mean().rename("simulated"), how="inner")
        return pd.Series(
            {
                route: float(group["simulated"].corr(group["observed"]))
                for route, group in joined.groupby(level="route")
                if route in ROUTES
            },
            name=f"monthly_r_{metric}",
        )

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``hindcast.csv`` (`table`), ``facts.csv`` (`facts`) and ``hindcast.png``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {key: out / name for key, name in OUTPUT_FILES.items()}
        self.table().to_csv(paths["table"], index=False, float_format="%.1f")
        self.facts().to_csv(paths["facts"], index=False, float_format="%.1f")
        self.plot(paths["plot"])
        return paths

    def plot(self, path: str | Path) -> Path:
        """Monthly observed and simulated lines per route, with the timeline's changes marked."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from routesim.reports import mark_timeline

        simulated = self.ensemble.monthly().groupby(["route", "month"], observed=True)
        figure = Figure(figsize=(16, 5.2 * len(METRICS)), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(len(ROUTES), len(METRICS), sharex=True, squeeze=False).T
        for row, metric in enumerate(METRICS):
            mean = simulated[metric].mean()
            low, high = simulated[metric].quantile(0.05), simulated[metric].quantile(0.95)
            for column, route in enumerate(ROUTES):
                ax = axes[row, column]
                months = mean.loc[route].index
                colour = ROUTE_COLOURS[route]
                ax.fill_between(months, low.loc[route], high.loc[route], color=colour, alpha=0.2)
                ax.plot(months, mean.loc[route], color=colour, lw=1.6, label="simulated")
                seen = self.observed[self.observed["route"] == route]
                ax.plot(seen["month"], seen[metric], color="0.15", lw=1.1, label="observed")
                ax.set_title(f"{ROUTE_LABELS[route]}: {metric.replace('_', ' ')}", fontsize=10)
                ax.set_ylim(bottom=0)
                ax.grid(True, color="0.92")
                ax.spines[["top", "right"]].set_visible(False)
        axes[0, 0].legend(loc="upper right", fontsize=8, frameon=False)
        mark_timeline(axes.T, self.ensemble.scenario, figure)
        first, last = self.years
        figure.suptitle(
            f"Hindcast {first}-{last}: monthly observed (black) and simulated (mean, 5-95% of "
            f"{self.ensemble.replicates} replicates; seed {self.ensemble.seed}, "
            f"{self.ensemble.scale:g} people per agent)",
            fontsize=12,
        )
        out = Path(path)
        figure.savefig(out, dpi=100)
        return out

    def _scored(self, metric: str, routes: tuple[str, ...]) -> pd.DataFrame:
        table = self.table()
        chosen = (table["metric"] == metric) & table["route"].isin(routes)
        return table[chosen & (table["observed"] > 0)]


def period(years: tuple[int, int]) -> tuple[dt.date, int]:
    """The first day and the number of days from 1 January of the first year to the last's end."""
    first, last = years
    start = dt.date(first, 1, 1)
    return start, (dt.date(last + 1, 1, 1) - start).days


def run_hindcast(
    years: tuple[int, int] = (2019, LAST_YEAR),
    *,
    replicates: int = 4,
    seed: int = 0,
    scale: float = 10.0,
    workers: int | None = None,
    scenario: str | Path = HISTORY_SCENARIO,
) -> Hindcast:
    """Run the history scenario from 1 January of the first year to the end of the last.

    Args:
        years: First and last year, within 2015-2023.
        replicates: Replicates of the ensemble.
        seed: Base seed.
        scale: People per agent row.
        workers: Worker processes (see `routesim.ensemble.run_ensemble`).
        scenario: The scenario to run; its start and length are set to the years.

    Returns:
        The hindcast, ready to score and write.
    """
    start, days = period(years)
    resolved = load_scenario(scenario, [f"scenario.start={start}", f"scenario.days={days}"])
    ensemble = run_ensemble(
        resolved, replicates=replicates, seed=seed, scale=scale, workers=workers
    )
    return Hindcast(ensemble, years)
