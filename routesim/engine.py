"""The engine: the one way routesim runs many simulations, here, in workers or on Dask.

Ensembles, stylised-fact and lesson comparisons, the app's band of other seeds and
sweeps all hand their simulations to `Engine`: each a `Simulation` (a scenario, the
overrides of its design point, a seed, a scale), with an `Evaluate` function that runs
one and keeps what the caller needs (its daily table, a few targets, a sweep's
outcomes). Where they run is the backend's business (`routesim.parallel`: this
process, the local process pool or a Dask cluster); each simulation draws its random
numbers from its own seed, so the results are the same wherever and in whatever order
they run. Workers load the geography once per process and share it between their
simulations.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from routesim.parallel import Backend, InProcess

if TYPE_CHECKING:
    import pandas as pd

    from routesim.geography import Geography
    from routesim.model import RouteModel
    from routesim.scenario import Scenario


@dataclass(frozen=True)
class Simulation:
    """One model run to make.

    Attributes:
        scenario: The resolved scenario.
        seed: The model's seed.
        scale: People per agent.
        overrides: Dotted settings applied to the scenario where the run is made (a
            sweep's design point, a comparison's setting), so that a chunk of runs ships
            one scenario, not one per run.
    """

    scenario: Scenario
    seed: int
    scale: float
    overrides: Mapping[str, Any] = field(default_factory=dict)

    def resolved(self) -> Scenario:
        """The scenario with this run's overrides applied."""
        return (
            self.scenario.with_overrides(dict(self.overrides)) if self.overrides else self.scenario
        )

    def model(self, geography: Geography) -> RouteModel:
        """The model of this run, ready to run."""
        from routesim.model import RouteModel

        return RouteModel(self.resolved(), seed=self.seed, scale=self.scale, geography=geography)


#: What to keep of a simulation: a picklable module-level function (or a
#: `functools.partial` of one), given the simulation and the process's geography.
type Evaluate[R] = Callable[[Simulation, Geography], R]


def daily_table(simulation: Simulation, geography: Geography) -> pd.DataFrame:
    """Run a simulation and keep its daily outcome table."""
    return simulation.model(geography).run()


@dataclass(frozen=True)
class Engine:
    """Runs simulations on a backend, with a progress bar if asked for one.

    Attributes:
        backend: Where the simulations run; this process by default.
        geodata: Folder of the geodata layers; the bundled layers by default.
        progress: The progress bar's label (on stderr, one step per simulation, with
            ETA), or None for no bar.
        niceness: Raised scheduling niceness of the worker processes, for work that
            must leave the CPU to something more urgent (the app's band, beside the
            server). Ignored in this process.
    """

    backend: Backend = field(default_factory=InProcess)
    geodata: Path | None = None
    progress: str | None = None
    niceness: int = 0

    def run[R](
        self,
        simulations: Sequence[Simulation],
        evaluate: Evaluate[R],
        cancel: threading.Event | None = None,
    ) -> list[R]:
        """Every simulation's result, in the order of `simulations`.

        Raises:
            CancelledError: `cancel` was set (from another thread) before the end.
        """
        results: dict[int, R] = {}
        for chunk in self.stream(simulations, evaluate, chunk_size=1, cancel=cancel):
            results.update(chunk)
        return [results[i] for i in range(len(simulations))]

    def stream[R](
        self,
        simulations: Sequence[Simulation],
        evaluate: Evaluate[R],
        chunk_size: int | None = None,
        cancel: threading.Event | None = None,
        done_before: int = 0,
    ) -> Iterator[list[tuple[int, R]]]:
        """The results of chunks of simulations, as each chunk finishes.

        Args:
            simulations: What to run.
            evaluate: What to keep of each.
            chunk_size: Simulations per task sent to a worker; by default about four
                tasks per worker (enough to balance the load), at most eight
                simulations each (few enough that a finished chunk is soon stored).
            cancel: Set from another thread to stop; workers stop mid-run.
            done_before: Simulations of the same job finished earlier (a resumed
                sweep), for the progress bar.

        Yields:
            Per chunk, (index in `simulations`, result) of each of its simulations.
        """
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"chunk size must be at least 1, got {chunk_size}")
        if chunk_size is None:
            chunk_size = min(math.ceil(len(simulations) / (4 * self.backend.workers)) or 1, 8)
        indexed = list(enumerate(simulations))
        tasks = [indexed[i : i + chunk_size] for i in range(0, len(indexed), chunk_size)]
        task = partial(_evaluate_chunk, evaluate, self.geodata, self.niceness)
        with tqdm(
            total=done_before + len(simulations),
            initial=done_before,
            desc=self.progress,
            unit="run",
            file=sys.stderr,
            disable=self.progress is None,
            dynamic_ncols=True,
        ) as bar:
            if not tasks:  # nothing to run starts no workers (nor a Dask cluster)
                return
            with self.backend as backend:
                for results in backend.map_unordered(task, tasks, cancel):
                    bar.update(len(results))
                    yield results


def _evaluate_chunk[R](
    evaluate: Evaluate[R],
    geodata: Path | None,
    niceness: int,
    chunk: list[tuple[int, Simulation]],
) -> list[tuple[int, R]]:
    from routesim.geography import shared_geography

    if niceness and _in_worker():
        # setpriority, unlike nice, is idempotent: a worker's later chunks keep its level.
        os.setpriority(os.PRIO_PROCESS, 0, max(niceness, os.getpriority(os.PRIO_PROCESS, 0)))
    # The geography is loaded once per process (about 0.3 s) and reused by later chunks;
    # loading it in the task rather than in a pool initializer lets a geodata error reach
    # the caller as itself.
    geography = shared_geography(geodata)
    return [(i, evaluate(simulation, geography)) for i, simulation in chunk]


def _in_worker() -> bool:
    # Never lower the priority of the caller's own process (the app's server).
    import multiprocessing

    return multiprocessing.parent_process() is not None
