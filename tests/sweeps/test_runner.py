"""Running sweeps of the real model: same results on any backend, resume after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from routesim.parallel import DaskBackend, ProcessPool
from routesim.sweeps.config import load_sweep
from routesim.sweeps.runner import run_sweep
from routesim.sweeps.storage import RUNS_DIR, RunStore, locked

from .conftest import SMALL_SWEEP


def _results(folder: Path) -> pd.DataFrame:
    return RunStore.open(folder).read()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """The small sweep run in one worker process, one run per task."""
    folder = tmp_path_factory.mktemp("sweeps")
    config = folder / "small.toml"
    config.write_text(SMALL_SWEEP.format(levels=2), encoding="utf-8")
    result = run_sweep(
        load_sweep(config), folder / "one", ProcessPool(1), chunk_size=1, progress=False
    )
    assert (result.planned, result.skipped, result.ran) == (8, 0, 8)
    return config, _results(folder / "one")


def test_every_run_is_stored_once_with_its_outcomes(reference):
    config, table = reference
    sweep = load_sweep(config)
    assert table["run"].tolist() == list(range(8))
    assert (table["config_hash"] == sweep.config_hash).all()
    assert table[sweep.outcomes.columns()].notna().all().all()
    # The model responds to the swept values: not every run gives the same departures.
    assert table["departures.central_med"].nunique() > 1


def test_two_workers_and_other_chunks_give_the_same_results(reference, tmp_path):
    config, expected = reference
    run_sweep(load_sweep(config), tmp_path, ProcessPool(2), chunk_size=3, progress=False)
    pd.testing.assert_frame_equal(_results(tmp_path), expected)


def test_a_dask_local_cluster_gives_the_same_results(reference, tmp_path):
    pytest.importorskip("dask.distributed")
    config, expected = reference
    run_sweep(load_sweep(config), tmp_path, DaskBackend(None, 2), chunk_size=2, progress=False)
    pd.testing.assert_frame_equal(_results(tmp_path), expected)


def test_a_rerun_runs_only_what_is_missing(reference, tmp_path):
    config, expected = reference
    sweep = load_sweep(config)
    run_sweep(sweep, tmp_path, ProcessPool(1), chunk_size=3, progress=False)
    parts = sorted((tmp_path / RUNS_DIR).glob("part-*.parquet"))
    parts[-1].unlink()  # as if the last chunk had not finished
    again = run_sweep(sweep, tmp_path, ProcessPool(1), chunk_size=3, progress=False)
    assert (again.skipped, again.ran) == (6, 2)
    pd.testing.assert_frame_equal(_results(tmp_path), expected)
    done = run_sweep(sweep, tmp_path, ProcessPool(1), progress=False)
    assert (done.skipped, done.ran) == (8, 0)


def _command(config: Path, out: Path) -> list[str]:
    """`routesim sweep` of a config into `out`, one run per chunk, in one worker."""
    command = [sys.executable, "-m", "routesim", "sweep", str(config), "--workers", "1"]
    return [*command, "--chunk-size", "1", "--out", str(out)]


@contextmanager
def _running_sweep(command: list[str], out: Path, parts: int) -> Iterator[subprocess.Popen]:
    """A sweep started in its own process group, once it has stored `parts` part files.

    On leaving, the whole group (the command, its forkserver and its workers) is killed.
    """
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while len(list((out / RUNS_DIR).glob("part-*.parquet"))) < parts:
            assert process.poll() is None, "the sweep ended before it could be interrupted"
            assert time.monotonic() < deadline, "no run finished in 90 s"
            time.sleep(0.05)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_a_killed_sweep_resumes_without_losing_or_repeating_runs(reference, tmp_path):
    config, expected = reference
    out = tmp_path / "killed"
    command = _command(config, out)
    with _running_sweep(command, out, 2):
        pass
    stored = _results(out)
    assert 2 <= len(stored) < 8, "kill the sweep while it is still running"
    pd.testing.assert_frame_equal(
        stored, expected[expected["run"].isin(stored["run"])].reset_index(drop=True)
    )

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{8 - len(stored)} runs done, {len(stored)} already stored" in resumed.stdout
    pd.testing.assert_frame_equal(_results(out), expected)


def test_a_resumed_sweep_sets_damaged_parts_aside_and_reruns_their_runs(reference, tmp_path):
    config, expected = reference
    sweep = load_sweep(config)
    run_sweep(sweep, tmp_path, ProcessPool(1), chunk_size=3, progress=False)
    part = sorted((tmp_path / RUNS_DIR).glob("part-*.parquet"))[1]
    part.write_bytes(part.read_bytes()[:64])  # as if the disk had filled up
    again = run_sweep(sweep, tmp_path, ProcessPool(1), chunk_size=3, progress=False)
    assert (again.skipped, again.ran) == (5, 3)
    assert [p.name for p in again.set_aside] == [part.name]
    pd.testing.assert_frame_equal(_results(tmp_path), expected)


def test_a_second_sweep_into_the_same_folder_stops_at_once(tmp_path):
    # 24 runs, so that the first is still running when the second starts.
    config = tmp_path / "longer.toml"
    config.write_text(SMALL_SWEEP.format(levels=6), encoding="utf-8")
    out = tmp_path / "shared"
    command = _command(config, out)
    with _running_sweep(command, out, 1) as first:
        second = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert first.poll() is None, "the first sweep ended before the second started"
    assert second.returncode == 2
    assert second.stderr.count("\n") == 1 and "another sweep is running" in second.stderr
    stored = _results(out)
    assert not stored["run"].duplicated().any()
    with locked(out):  # the killed sweep's lock went with it
        pass
