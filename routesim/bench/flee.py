"""A reference point: Flee 3.1 moving agents on a synthetic network, agent-days per second.

Flee (Groen et al., `pip install flee==3.1`, the ``bench`` extra) is the usual
agent-based model of forced displacement: one Python object per person, stepped daily
over a graph of locations. Here it runs on a synthetic network of ``locations`` places
on a ring, 100 km apart, each linked to its neighbour and to the place three further
on; one place in ten is a conflict zone, where all agents start, spread evenly, and the
rest are towns, with every setting at Flee's default. There are no camps: agents who
reach a camp settle within days, and Flee then gets faster the longer it runs, so
without camps every agent-day is one of moving, the fair counterpart of routesim's
person-days on a journey. Timing includes building the network and adding the agents,
as a routesim run's includes its setup.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import io
import math
import random
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from routesim.bench.measuring import in_fresh_process, peak_memory_mb
from routesim.bench.tables import format_table

#: The Flee release the comparison was written against.
FLEE_VERSION = "3.1"
#: How to get it.
INSTALL_HINT = 'pip install -e ".[bench]"  (Flee 3.1)'
#: Fields of a `FleeResult` that differ between repeats of the same run.
TIMED_FIELDS = ("wall_seconds", "setup_seconds", "peak_memory_mb")
#: Kilometres between neighbouring places on the ring.
SPACING_KM = 100.0


@dataclass(frozen=True)
class FleeResult:
    """What one Flee run measured."""

    flee_version: str
    locations: int
    agents: int
    days: int
    seed: int
    wall_seconds: float
    setup_seconds: float
    peak_memory_mb: float

    @property
    def agent_days(self) -> int:
        """Agents times days stepped."""
        return self.agents * self.days

    @property
    def agent_days_per_second(self) -> float:
        """Agent-days per second of wall time (setup included)."""
        return self.agent_days / self.wall_seconds

    def as_dict(self) -> dict[str, float | int | str]:
        """The result with its derived figures, for JSON output."""
        return {
            **asdict(self),
            "agent_days": self.agent_days,
            "agent_days_per_second": self.agent_days_per_second,
        }


def flee_installed() -> bool:
    """Whether the ``flee`` package can be imported."""
    return importlib.util.find_spec("flee") is not None


def measure_flee(agents: int, days: int, locations: int = 50, seed: int = 0) -> FleeResult:
    """Run Flee on the synthetic network in a fresh process and measure it.

    Args:
        agents: Agents, all placed at the start.
        days: Days to step.
        locations: Places on the ring; at least 10.
        seed: Seed of Python's and NumPy's generators, which Flee draws from.

    Returns:
        Wall time (setup included), setup time and peak memory of the run.
    """
    if locations < 10:
        raise ValueError(f"the network needs at least 10 locations, got {locations}")
    return in_fresh_process(_flee_here, agents, days, locations, seed)


def _flee_here(agents: int, days: int, locations: int, seed: int) -> FleeResult:
    from flee import flee
    from flee.SimulationSettings import SimulationSettings

    # Flee draws from the global generators; this process is the benchmark's own.
    random.seed(seed)
    np.random.seed(seed)
    # Flee logs every location and setting to stderr while it is set up.
    with contextlib.redirect_stderr(io.StringIO()), tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp) / "simsetting.yml"
        settings.write_text("{}\n", encoding="utf-8")  # every setting at Flee's default
        SimulationSettings.ReadFromYML(str(settings))
        start = time.perf_counter()
        ecosystem = flee.Ecosystem()
        places = _ring(ecosystem, locations)
        origins = [place for place in places if place.conflict > 0]
        for k in range(agents):
            ecosystem.addAgent(location=origins[k % len(origins)], attributes={})
        setup = time.perf_counter() - start
        for _ in range(days):
            ecosystem.evolve()
        wall = time.perf_counter() - start
    return FleeResult(
        flee_version=importlib.metadata.version("flee"),
        locations=locations,
        agents=agents,
        days=days,
        seed=seed,
        wall_seconds=wall,
        setup_seconds=setup,
        peak_memory_mb=peak_memory_mb(),
    )


def _ring(ecosystem: Any, n: int) -> list[Any]:
    radius = n * SPACING_KM / (2 * math.pi)
    kinds = {0: "conflict_zone"}
    places = []
    for i in range(n):
        angle = 2 * math.pi * i / n
        places.append(
            ecosystem.addLocation(
                name=f"L{i}",
                x=radius * math.cos(angle),
                y=radius * math.sin(angle),
                location_type=kinds.get(i % 10, "town"),
                pop=10_000,
            )
        )
    for i in range(n):
        for step in (1, 3):
            j = (i + step) % n
            distance = math.dist((places[i].x, places[i].y), (places[j].x, places[j].y))
            ecosystem.linkUp(f"L{i}", f"L{j}", distance)
    return places


def format_flee(results: list[FleeResult]) -> str:
    """A plain-text table of Flee results."""
    columns = (
        ("flee", "<6"),
        ("places", ">6"),
        ("agents", ">9,"),
        ("days", ">5"),
        ("wall s", ">8.2f"),
        ("setup s", ">8.2f"),
        ("peak MB", ">8.0f"),
        ("agent-days/s", ">13,.0f"),
    )
    rows = (
        (
            r.flee_version,
            r.locations,
            r.agents,
            r.days,
            r.wall_seconds,
            r.setup_seconds,
            r.peak_memory_mb,
            r.agent_days_per_second,
        )
        for r in results
    )
    return format_table(columns, rows)
