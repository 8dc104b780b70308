"""Reports: the files for each kind of design, and the sweep-report command."""

from __future__ import annotations

import pandas as pd

from routesim.cli import main
from routesim.sweeps.config import load_sweep
from routesim.sweeps.report import write_report
from routesim.sweeps.storage import RunStore

from .conftest import synthetic_rows
from .test_analysis import MORRIS, SOBOL


def _stored(sweep, folder, runs=None):
    runs = sweep.runs() if runs is None else runs
    store = RunStore.create_or_resume(folder, sweep, planned=len(sweep.runs()))
    store.write(synthetic_rows(sweep, runs, lambda v, seed: sum(v.values()) + seed % 5))
    return folder


def test_a_two_parameter_grid_gets_tables_effects_and_a_heat_map(small_sweep, tmp_path):
    sweep = load_sweep(small_sweep)
    report = write_report(_stored(sweep, tmp_path / "sweep"), tmp_path / "report")
    names = {path.name for path in report.files}
    assert {
        "runs.csv",
        "points.csv",
        "effects.csv",
        "effects.png",
        "heatmap.png",
        "sweep.toml",
    } <= names
    assert "sobol.png" not in names
    assert report.runs_stored == report.runs_planned == 8 and not report.notes
    assert len(pd.read_csv(tmp_path / "report" / "runs.csv")) == 8
    for path in report.files:
        assert path.stat().st_size > 0
    assert (tmp_path / "report" / "heatmap.png").read_bytes()[:4] == b"\x89PNG"


def test_a_sobol_design_gets_indices_and_an_unfinished_one_a_note(write_config, tmp_path):
    sweep = load_sweep(write_config(SOBOL.replace("samples = 256", "samples = 8")))
    report = write_report(_stored(sweep, tmp_path / "done"))
    assert {"sobol.csv", "sobol.png"} <= {path.name for path in report.files}
    partial = write_report(_stored(sweep, tmp_path / "partial", sweep.runs()[:10]))
    assert "sobol.csv" not in {path.name for path in partial.files}
    assert any("10 of 40 runs" in note for note in partial.notes)
    assert any("no sobol.csv: Sobol indices need every point" in note for note in partial.notes)


def test_a_morris_design_gets_its_screening(write_config, tmp_path):
    sweep = load_sweep(write_config(MORRIS))
    report = write_report(_stored(sweep, tmp_path / "done"))
    assert {"morris.csv", "morris.png"} <= {path.name for path in report.files}
    screening = pd.read_csv(tmp_path / "done" / "report" / "morris.csv")
    assert screening["rank"].between(1, 3).all() and not report.notes


def test_sweep_report_on_a_folder_that_is_no_sweep_exits_2(tmp_path, capsys):
    assert main(["sweep-report", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err
