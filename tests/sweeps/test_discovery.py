"""Scenario discovery with PRIM on stored sweeps made of known functions."""

from __future__ import annotations

import pandas as pd
import pytest

from routesim.cli import main
from routesim.sweeps.config import SweepError, load_sweep
from routesim.sweeps.discovery import FILES, discover
from routesim.sweeps.storage import RunStore

from .conftest import synthetic_rows

pytest.importorskip("ema_workbench")

#: 64 Latin hypercube points over two inputs; outcomes come from `_deaths`, not the model.
LHS = """
[sweep]
name = "discovery"
seed = 3
replicates = 1
scale = 200

[base]
scenario = "baseline-2023"
set = {{ "scenario.days" = {days} }}

[design]
kind = "latin_hypercube"
samples = 64

[parameters."levers.ngo_vessels"]

[parameters."assumptions.rescue_pull"]

[outcomes]
metrics = ["departures", "dead_missing"]
routes = ["central_med", "all"]
"""


def _deaths(values, seed):
    """High deaths where few NGO vessels meet a strong pull: the box PRIM should find."""
    few = values["levers.ngo_vessels"] < 8
    pulled = values["assumptions.rescue_pull"] > 0.5
    return 3000.0 if few and pulled else 1000.0


@pytest.fixture
def stored(write_config, tmp_path):
    def store(days: int = 30):
        sweep = load_sweep(write_config(LHS.format(days=days), f"lhs-{days}.toml"))
        folder = tmp_path / f"sweep-{days}"
        runs = sweep.runs()
        RunStore.create_or_resume(folder, sweep, planned=len(runs)).write(
            synthetic_rows(sweep, runs, _deaths)
        )
        return folder

    return store


def test_prim_finds_the_box_of_few_vessels_and_a_strong_pull(stored, tmp_path):
    found = discover(stored(), "dead_missing.central_med", 2500, out=tmp_path / "report")
    assert [path.name for path in found.files] == list(FILES)
    assert all(path.stat().st_size > 0 for path in found.files)
    assert 0 < found.of_interest < found.runs == 64
    box = found.boxes.set_index("parameter")
    assert set(box.index) == {"levers.ngo_vessels", "assumptions.rescue_pull"}
    assert box.at["levers.ngo_vessels", "high"] < 12
    assert box.at["assumptions.rescue_pull", "low"] > 0.35
    assert (box["coverage"] >= 0.5).all() and (box["density"] > 0.8).all()
    table = pd.read_csv(tmp_path / "report" / "boxes.csv")
    assert {"coverage", "density", "parameter", "low", "high"} <= set(table.columns)
    assert found.trajectory["chosen"].sum() == 1
    assert (tmp_path / "report" / "trajectory.png").read_bytes()[:4] == b"\x89PNG"
    assert "levers.ngo_vessels" in found.summary()


def test_further_boxes_stop_once_every_run_of_interest_is_in_one(stored, tmp_path):
    found = discover(stored(), "dead_missing.central_med", 2500, out=tmp_path, boxes=5)
    numbers = found.boxes["box"].unique()
    assert 1 <= len(numbers) < 5
    assert found.trajectory["chosen"].sum() == len(numbers)
    assert (found.boxes["coverage"] > 0).all()


def test_the_observed_threshold_of_a_whole_year_sweep(stored):
    folder = stored(days=365)
    assert discover(folder, "dead_missing.central_med", "observed").threshold == 2526
    # Over all routes, the sum of the routes' figures (above every synthetic run here).
    with pytest.raises(SweepError, match="above 4,180 .*: no run of 64"):
        discover(folder, "dead_missing.all", "observed")
    with pytest.raises(SweepError, match="only detections and dead_missing"):
        discover(folder, "departures.all", "observed")


def test_sweep_discover_prints_the_boxes(stored, tmp_path, capsys):
    code = main(
        ["sweep-discover", str(stored()), "--outcome", "dead_missing.central_med"]
        + ["--above", "2500", "--out", str(tmp_path / "out")]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "dead_missing.central_med above 2,500 (given)" in out and "box 1" in out
    assert str(tmp_path / "out" / "boxes.csv") in out


@pytest.mark.parametrize(
    ("outcome", "above", "message"),
    [
        ("dead_missing.central_mde", "2500", "did you mean dead_missing.central_med?"),
        ("dead_missing.central_med", "5000", "no run of 64 has it"),
        ("dead_missing.central_med", "10", "every run of 64 has it"),
        ("dead_missing.central_med", "lots", "expected a number or 'observed'"),
        ("dead_missing.central_med", "observed", "not a whole year with observed figures"),
    ],
)
def test_sweep_discover_errors_are_one_line(stored, capsys, outcome, above, message):
    code = main(["sweep-discover", str(stored()), "--outcome", outcome, "--above", above])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1


def test_sweep_discover_on_a_folder_that_is_no_sweep_exits_2(tmp_path, capsys):
    code = main(["sweep-discover", str(tmp_path), "--outcome", "x", "--above", "1"])
    assert code == 2
    assert "not a sweep folder" in capsys.readouterr().err
