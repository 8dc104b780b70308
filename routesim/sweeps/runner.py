"""Running a sweep: plan the runs, skip those stored, evaluate the rest in chunks, store.

Results are stored chunk by chunk as they come back, so an interrupted sweep keeps
every finished chunk and the same call resumes it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from routesim.sweeps.backends import Backend
from routesim.sweeps.config import Sweep
from routesim.sweeps.evaluators import ChunkTask, evaluate_chunk
from routesim.sweeps.runs import chunked
from routesim.sweeps.storage import RunStore, locked

#: Aim for this many chunks per worker: enough to balance load, few enough that
#: per-task overhead (pickling the scenario, a Parquet file) stays small.
CHUNKS_PER_WORKER = 4
MAX_CHUNK = 8


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
        backend: Where to evaluate chunks; entered and left here.
        chunk_size: Runs per task; by default about `CHUNKS_PER_WORKER` chunks per
            worker, at most `MAX_CHUNK` runs each.
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
        if chunk_size is None:
            chunk_size = math.ceil(len(todo) / (backend.workers * CHUNKS_PER_WORKER)) or 1
            chunk_size = min(chunk_size, MAX_CHUNK)
        names = tuple(p.name for p in sweep.parameters)
        tasks = [
            ChunkTask(
                base=sweep.base,
                scale=sweep.config.sweep.scale,
                outcomes=sweep.outcomes,
                parameters=names,
                config_hash=sweep.config_hash,
                runs=chunk,
                geodata=geodata,
            )
            for chunk in chunked(todo, chunk_size)
        ]
        with tqdm(
            total=len(runs),
            initial=len(runs) - len(todo),
            desc=sweep.name,
            unit="run",
            file=sys.stderr,
            disable=not progress,
            dynamic_ncols=True,
        ) as bar:
            if tasks:  # a finished sweep starts no workers (nor a Dask cluster)
                with backend:
                    for rows in backend.map_unordered(evaluate_chunk, tasks):
                        store.write(rows)
                        bar.update(len(rows))
        skipped = len(runs) - len(todo)
        return SweepResult(out, len(runs), skipped=skipped, ran=len(todo), set_aside=set_aside)
