"""Running a sweep: plan the runs, skip those stored, evaluate the rest in chunks, store.

Results are stored chunk by chunk as they come back, so an interrupted sweep keeps
every finished chunk and the same call resumes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from routesim.engine import Engine, Simulation
from routesim.parallel import Backend
from routesim.sweeps.config import Sweep
from routesim.sweeps.evaluators import rows, sweep_outcomes
from routesim.sweeps.storage import RunStore, locked


@dataclass(frozen=True)
class SweepResult:
    """What a call of `run_sweep` did.

    Attributes:
        out: The sweep folder.
        planned: Runs in the whole sweep.
        skipped: Runs already stored before this call.
        ran: Runs evaluated and stored by this call.
        set_aside: Damaged part files moved out of the way (their runs were run again).
    """

    out: Path
    planned: int
    skipped: int
    ran: int
    set_aside: tuple[Path, ...] = ()


def run_sweep(
    sweep: Sweep,
    out: str | Path,
    backend: Backend,
    chunk_size: int | None = None,
    progress: bool = True,
    geodata: Path | None = None,
) -> SweepResult:
    """Run the runs of a sweep not yet stored in ``out``.

    Args:
        sweep: The validated sweep.
        out: The sweep folder (see `routesim.sweeps.storage`).
        backend: Where the engine runs them (`routesim.parallel`); entered and left here.
        chunk_size: Runs per task; the engine's default by default.
        progress: Show a progress bar with ETA on stderr.
        geodata: Folder of the geodata layers; the bundled ones by default.

    Returns:
        Counts of runs planned, skipped and run.

    Raises:
        SweepError: ``out`` holds results of another config, or another sweep is
            running into it.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        runs = sweep.runs()
        store = RunStore.create_or_resume(out, sweep, planned=len(runs))
        set_aside = tuple(store.set_aside_damaged())
        finished = store.finished_runs()
        todo = [run for run in runs if run.run not in finished]
        scale = sweep.config.sweep.scale
        simulations = [Simulation(sweep.base, run.seed, scale, run.values) for run in todo]
        names = tuple(p.name for p in sweep.parameters)
        engine = Engine(backend, geodata, progress=sweep.name if progress else None)
        evaluate = partial(sweep_outcomes, sweep.outcomes)
        done = len(runs) - len(todo)
        for chunk in engine.stream(simulations, evaluate, chunk_size, done_before=done):
            store.write(
                rows(
                    [todo[i] for i, _ in chunk],
                    [outcome for _, outcome in chunk],
                    names,
                    sweep.outcomes,
                    sweep.config_hash,
                )
            )
        return SweepResult(out, len(runs), skipped=done, ran=len(todo), set_aside=set_aside)
