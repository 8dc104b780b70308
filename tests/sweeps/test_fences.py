"""Issue 15's sweep causes: bad values refused, damaged part files, the folder's lock.

None of these runs the model: every refusal comes before the first simulation.
"""

from __future__ import annotations

import subprocess
import sys
from unittest import mock

import pytest

from routesim.cli import main
from routesim.parallel import ProcessPool
from routesim.sweeps.config import SweepError, load_sweep
from routesim.sweeps.report import write_report
from routesim.sweeps.runner import run_sweep
from routesim.sweeps.storage import DAMAGED_DIR, LOCK_FILE, RUNS_DIR, RunStore, locked

from .conftest import synthetic_rows
from .test_config import config


def fails(capsys, *argv: str) -> str:
    """Run the command line, which must fail with one line and status 2 before any run."""
    with mock.patch("routesim.sweeps.runner.run_sweep", side_effect=AssertionError("ran")):
        assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    return captured.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (config(ngo="values = [0, nan]"), 'parameters."levers.ngo_vessels".values[1]: expected a'),
        (
            config(extra='[base]\nset = { "parameters.stay_utility" = nan }\n'),
            "stay_utility=nan: expected a finite number",
        ),
        (config().replace("replicates = 2", "replicates = 2\nscale = inf"), "sweep.scale"),
        (config().replace("replicates = 2", "replicates = 2\nscale = 0.5"), "sweep.scale"),
        (
            config(kind="latin_hypercube", samples="samples = 8", ngo="low = 0", levels="").replace(
                "high = 4", "high = inf"
            ),
            'parameters."parameters.networks_per_hub".high: expected a finite number',
        ),
        (config().replace('name = "t"', 'name = "../../x"'), "sweep.name: expected a name"),
        (config().replace('name = "t"', 'name = "/tmp/x"'), "sweep.name: expected a name"),
        (config().replace('name = "t"', 'name = "."'), "sweep.name: expected a name"),
        (config() + "[deep]\nx = " + "[" * 3000 + "]" * 3000, "nested more than 16 levels"),
    ],
)
def test_bad_sweep_values_are_refused_before_any_run(
    capsys, write_config, tmp_path, text, expected
):
    path = write_config(text)
    with pytest.raises(SweepError, match="^" + str(path)):
        load_sweep(path)
    assert expected in fails(capsys, "sweep", str(path), "--out", str(tmp_path / "o"))
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("address", ["bogus://x", "tcp://", "tcp://host:99999", "a b"])
def test_a_bad_scheduler_address_is_refused_before_any_work(capsys, small_sweep, tmp_path, address):
    out = tmp_path / "o"
    err = fails(capsys, "sweep", str(small_sweep), "--scheduler", address, "--out", str(out))
    assert f"--scheduler {address!r}: expected 'local' or a scheduler address" in err
    assert not out.exists()


def test_an_unwritable_sweep_folder_is_refused_before_any_work(capsys, small_sweep, tmp_path):
    (tmp_path / "file").write_text("")
    assert "cannot write to" in fails(
        capsys, "sweep", str(small_sweep), "--out", str(tmp_path / "file" / "o")
    )


def _damaged_store(sweep, folder):
    """A sweep folder with two good part files, a truncated one and an empty one."""
    runs = sweep.runs()
    store = RunStore.create_or_resume(folder, sweep, planned=len(runs))
    parts = [
        store.write(synthetic_rows(sweep, chunk, lambda v, s: 1.0))
        for chunk in (runs[:2], runs[2:4], runs[4:6])
    ]
    parts[1].write_bytes(parts[1].read_bytes()[:100])
    empty = folder / RUNS_DIR / "part-00000099-empty.parquet"
    empty.write_bytes(b"")
    return store, [empty, parts[1]]


def test_damaged_part_files_are_named_and_set_aside(small_sweep, tmp_path):
    sweep = load_sweep(small_sweep)
    store, damaged = _damaged_store(sweep, tmp_path / "sweep")
    assert sorted(store.damaged()) == sorted(damaged)
    assert store.finished_runs() == {0, 1, 4, 5}
    assert store.read()["run"].tolist() == [0, 1, 4, 5]
    moved = store.set_aside_damaged()
    assert sorted(p.name for p in moved) == sorted(p.name for p in damaged)
    assert all(p.parent == tmp_path / "sweep" / DAMAGED_DIR and p.exists() for p in moved)
    assert store.damaged() == [] and store.finished_runs() == {0, 1, 4, 5}


def test_sweep_report_names_a_damaged_part_file(small_sweep, tmp_path, capsys):
    sweep = load_sweep(small_sweep)
    _, damaged = _damaged_store(sweep, tmp_path / "sweep")
    report = write_report(tmp_path / "sweep", tmp_path / "report")
    assert report.runs_stored == 4
    for part in damaged:
        assert any(str(part) in note and "damaged part file" in note for note in report.notes)
    assert main(["sweep-report", str(tmp_path / "sweep"), "--out", str(tmp_path / "r2")]) == 0
    assert "damaged part file" in capsys.readouterr().err


def test_a_second_sweep_into_a_locked_folder_stops_at_once(capsys, small_sweep, tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    with locked(out):
        # Not `fails`: the lock is taken inside run_sweep, before anything else there.
        assert main(["sweep", str(small_sweep), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "another sweep is running into this folder" in err
        with pytest.raises(SweepError, match="another sweep"):
            run_sweep(load_sweep(small_sweep), out, ProcessPool(1), progress=False)
    assert not (out / "manifest.toml").exists()


def test_the_lock_is_released_on_an_error_and_when_its_holder_is_killed(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    with pytest.raises(RuntimeError), locked(out):
        raise RuntimeError("a sweep failing")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from routesim.sweeps.storage import locked\n"
            f"with locked(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SweepError, match=f"it holds {out / LOCK_FILE}"), locked(out):
            pass
    finally:
        holder.kill()  # SIGKILL: no chance to release the lock itself
        holder.wait()
    with locked(out):
        pass


@pytest.mark.parametrize(
    "content", [b"\xff\xfe binary", b"sweep = 3\n", b"[sweep]\nconfig_hash = 1\n"]
)
def test_a_damaged_manifest_is_one_line(capsys, small_sweep, tmp_path, content):
    sweep = load_sweep(small_sweep)
    RunStore.create_or_resume(tmp_path / "sweep", sweep, planned=8)
    (tmp_path / "sweep" / "manifest.toml").write_bytes(content)
    assert "manifest.toml" in fails(capsys, "sweep-report", str(tmp_path / "sweep"))
