"""A sweep report: CSV tables and PNG figures made from a stored sweep folder.

Files written (those that do not apply to the design are skipped):

- ``runs.csv``: every stored run (parameters, seed, outcomes);
- ``points.csv``: mean and 5-95% band over replicates per design point and outcome;
- ``effects.csv`` and ``effects.png``: each outcome against each parameter;
- ``heatmap.png``: means over a two-parameter grid;
- ``sobol.csv`` and ``sobol.png``: first- and total-order indices (Sobol designs);
- ``morris.csv`` and ``morris.png``: elementary effects, mu* and sigma (Morris designs);
- ``emulator.csv``, ``emulated-sobol.csv`` and ``emulated-sobol.png``: a Gaussian-process
  emulator's fit to held-back runs and the Sobol indices computed on it (Latin
  hypercube designs);
- ``sweep.toml``, ``scenario.toml``, ``manifest.toml``: copies of the sweep's config,
  so the report says what produced it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from routesim.sweeps import analysis, emulator, plots
from routesim.sweeps.config import SweepError
from routesim.sweeps.storage import CONFIG_FILE, MANIFEST_FILE, SCENARIO_FILE, RunStore


@dataclass(frozen=True)
class Report:
    """What `write_report` wrote.

    Attributes:
        files: Paths written, in order.
        runs_stored: Runs found in the sweep folder.
        runs_planned: Runs in the whole sweep.
        notes: Parts left out and why (e.g. Sobol indices of an unfinished sweep).
    """

    files: list[Path]
    runs_stored: int
    runs_planned: int
    notes: list[str] = field(default_factory=list)


def write_report(sweep_dir: str | Path, out: str | Path | None = None) -> Report:
    """Write the tables and figures of a stored sweep.

    Args:
        sweep_dir: The sweep folder (``routesim sweep --out``).
        out: Report folder; ``<sweep_dir>/report`` by default.

    Returns:
        The files written and how complete the sweep was.

    Raises:
        SweepError: The folder is not a sweep folder, or holds no runs yet.
    """
    store = RunStore.open(sweep_dir)
    sweep = store.sweep()
    runs = store.read()
    notes = [
        f"{part}: damaged part file, left out (rerun the sweep to set it aside and redo its runs)"
        for part in store.damaged()
    ]
    if runs.empty:
        raise SweepError(f"{sweep_dir}: no finished runs yet{'; ' + notes[0] if notes else ''}")
    if runs["run"].duplicated().any():
        raise SweepError(f"{sweep_dir}: some runs are stored twice; the folder is corrupt")
    target = Path(out) if out is not None else Path(sweep_dir) / "report"
    target.mkdir(parents=True, exist_ok=True)
    planned = len(sweep.runs())
    if len(runs) < planned:
        notes.append(f"only {len(runs)} of {planned} runs are stored: rerun the sweep to finish")

    files = []
    for name in (CONFIG_FILE, SCENARIO_FILE, MANIFEST_FILE):
        files.append(Path(shutil.copyfile(store.root / name, target / name)))
    columns = [c for c in runs.columns if c != "config_hash"]
    files.append(_csv(runs[columns], target / "runs.csv"))
    summary = analysis.point_summary(runs, sweep)
    files.append(_csv(summary, target / "points.csv"))
    effects = analysis.all_effects(runs, sweep)
    files.append(_csv(effects, target / "effects.csv"))
    files.append(plots.plot_effects(effects, sweep, target / "effects.png"))
    if sweep.config.design.kind == "grid" and len(sweep.parameters) == 2:
        files.append(plots.plot_heatmaps(summary, sweep, target / "heatmap.png"))
    for name, compute, plot in _TABLES.get(sweep.config.design.kind, ()):
        try:
            table = compute(runs, sweep)
        except ValueError as exc:
            notes.append(f"no {name}.csv: {exc}")
            break
        files.append(_csv(table, target / f"{name}.csv"))
        if plot is not None:
            files.append(plot(table, sweep, target / f"{name}.png"))
    return Report(files=files, runs_stored=len(runs), runs_planned=planned, notes=notes)


#: The tables a design kind gets beyond the effects: file stem, analysis and plot (if any).
#: A table that cannot be made (too few runs) stops the ones after it.
_TABLES: dict[str, list[tuple[str, Callable[..., Any], Callable[..., Path] | None]]] = {
    "sobol": [("sobol", analysis.sobol_indices, plots.plot_sobol)],
    "morris": [("morris", analysis.morris_indices, plots.plot_morris)],
    "latin_hypercube": [
        ("emulator", emulator.emulator_check, None),
        (
            "emulated-sobol",
            emulator.emulated_sobol,
            partial(plots.plot_sobol, source="Gaussian-process emulator, posterior draws"),
        ),
    ],
}


def _csv(frame, path: Path) -> Path:
    frame.to_csv(path, index=False, float_format="%.6g")
    return path
