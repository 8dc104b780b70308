"""The live run behind one browser session: a scenario, a model and its clock.

Each session owns one `LiveRun`; the play loop steps it in a worker thread while the
page reads it, so stepping and reading take its lock. Nothing here knows about Solara.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from routesim.engine import Engine, Simulation, daily_table
from routesim.ensemble import replicate_seeds
from routesim.geography import Geography, shared_geography
from routesim.hindcast import period
from routesim.levers import lever_specs
from routesim.model import RouteModel
from routesim.parallel import CancelledError, ProcessPool
from routesim.scenario import Scenario, counterfactual, load_scenario

#: People per agent row in the app: fast enough to step and draw at once.
TEACHING_SCALE = 50.0
BASELINE = "baseline-2023"
#: Other seeds run for the charts' band, and how coarse: four runs at 200 people per agent
#: take a minute or two in one worker process (the Compare tab's scale).
BAND_SEEDS = 4
BAND_SCALE = 200.0
BAND_WORKERS = 1
#: Lower priority than the server, but not starved: at 15 a busy second core (another
#: session, a test worker) left the band worker about 3% of a core and no band in 5 min.
BAND_NICENESS = 5


def scenario_value(scenario: Scenario, name: str) -> float:
    """The value of a dotted lever or assumption name in a scenario."""
    value: Any = scenario
    for part in name.split("."):
        value = getattr(value, part)
    return float(value)


@dataclass(frozen=True)
class LiveSettings:
    """What a live run is built from: scenario, lever changes, seed, scale, years, what-if."""

    scenario: str = BASELINE
    overrides: tuple[tuple[str, float], ...] = ()
    seed: int = 1
    scale: float = TEACHING_SCALE
    #: The lesson preset these settings were loaded from, named in the status line.
    preset: str = ""
    #: The first and last year run, for a window of the history scenario (None: its
    #: whole period). Part of what a recording is shared by, like the levers.
    years: tuple[int, int] | None = None
    #: A dated change of the scenario's timeline switched off (date None) or moved: its
    #: number in date order and the new date (`routesim.scenario.counterfactual`).
    what_if: tuple[int, dt.date | None] | None = None

    def resolve(self) -> Scenario:
        """The scenario over its years, with the what-if and the lever changes applied."""
        base = load_scenario(self.scenario, self._period())
        if self.what_if is not None:
            base = counterfactual(base, *self.what_if)
        return base.with_overrides(dict(self.overrides)) if self.overrides else base

    def _period(self) -> list[str]:
        if self.years is None:
            return []
        start, days = period(self.years)
        return [f"scenario.start={start}", f"scenario.days={days}"]

    def with_lever(self, name: str, value: float) -> LiveSettings:
        """These settings with one lever or assumption set (dropped if back to the scenario's)."""
        changes = dict(self.overrides)
        if value == scenario_value(load_scenario(self.scenario), name):
            changes.pop(name, None)
        else:
            changes[name] = value
        return replace(self, overrides=tuple(sorted(changes.items())))

    def describe_changes(self) -> list[str]:
        """Each lever change, named with its unit and the scenario's value."""
        specs = {spec.name: spec for spec in lever_specs()}
        base = load_scenario(self.scenario)
        out = []
        for name, value in self.overrides:
            spec = specs.get(name)
            label, unit = (spec.label, spec.unit) if spec else (name, "")
            out.append(f"{label}: {value:,.4g} {unit} (was {scenario_value(base, name):,.4g})")
        return out

    @property
    def is_baseline(self) -> bool:
        """Whether this is the unchanged 2023 baseline (observed figures apply)."""
        return self.scenario == BASELINE and not self.overrides


class LiveRun:
    """A model for one session, warmed up and ready to step day by day.

    Attributes:
        settings: What the run was built from.
        scenario: The resolved scenario.
        model: The Mesa model.
        step_seconds: Wall time of the last `advance`, in seconds.
    """

    def __init__(self, settings: LiveSettings, geography: Geography | None = None) -> None:
        self.settings = settings
        self.scenario = settings.resolve()
        self.model = RouteModel(
            self.scenario,
            seed=settings.seed,
            scale=settings.scale,
            geography=geography if geography is not None else shared_geography(),
        )
        self.lock = threading.RLock()
        self.step_seconds = 0.0
        with self.lock:
            self.model.run_for(self.model.warmup)

    @property
    def days_done(self) -> int:
        """Days of the scenario period completed so far."""
        return max(0, int(self.model.time) - self.model.warmup)

    @property
    def finished(self) -> bool:
        """Whether the whole scenario period has run."""
        return self.days_done >= self.model.days

    def advance(self, days: int = 1) -> int:
        """Step up to `days` days (not past the end); return the days stepped."""
        start = time.perf_counter()
        stepped = 0
        with self.lock:
            while stepped < days and not self.finished:
                self.model.step()
                stepped += 1
        self.step_seconds = time.perf_counter() - start
        return stepped

    def daily(self) -> pd.DataFrame:
        """The daily outcome table for the completed days."""
        with self.lock:
            return self.model.daily_so_far().copy()

    def country_totals(self) -> pd.DataFrame:
        """Totals so far by departure country (`OutcomeLedger.country_totals`)."""
        with self.lock:
            return self.model.ledger.country_totals()


def seed_band(settings: LiveSettings, cancel: threading.Event) -> pd.DataFrame | None:
    """The same settings run with `BAND_SEEDS` other seeds at `BAND_SCALE`, for the band.

    The seeds derive from the live run's seed (`routesim.ensemble.replicate_seeds`), so
    the band of a setting is the same every time. One worker process runs them, at a
    lower priority: the server process keeps the other core for stepping and drawing the
    live run.

    Args:
        settings: The live run's settings.
        cancel: Set when the settings change or the session closes: the band's worker
            stops within a fraction of a second, mid-run.

    Returns:
        The replicates' daily tables with a ``replicate`` column, or None if cancelled.
    """
    scenario = settings.resolve()
    simulations = [
        Simulation(scenario, seed, BAND_SCALE)
        for seed in replicate_seeds(settings.seed, BAND_SEEDS)
    ]
    engine = Engine(ProcessPool(BAND_WORKERS), niceness=BAND_NICENESS)
    try:
        tables = engine.run(simulations, daily_table, cancel)
    except CancelledError:
        return None
    return pd.concat([t.assign(replicate=k) for k, t in enumerate(tables)], ignore_index=True)
