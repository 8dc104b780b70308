"""The sweep folder: atomic part files, finished runs, leftovers, another config refused."""

from __future__ import annotations

import pytest

from routesim.sweeps.config import SweepError, load_sweep
from routesim.sweeps.storage import RUNS_DIR, RunStore

from .conftest import SMALL_SWEEP, synthetic_rows


def test_parts_store_runs_and_reload_as_the_same_sweep(small_sweep, tmp_path):
    sweep = load_sweep(small_sweep)
    runs = sweep.runs()
    store = RunStore.create_or_resume(tmp_path / "out", sweep, planned=len(runs))
    assert store.finished_runs() == set()
    store.write(synthetic_rows(sweep, runs[:3], lambda values, seed: 1.0))
    store.write(synthetic_rows(sweep, runs[5:6], lambda values, seed: 2.0))
    assert store.finished_runs() == {0, 1, 2, 5}
    table = store.read()
    assert table["run"].tolist() == [0, 1, 2, 5]
    # The folder is self-contained: its config reloads as the same sweep.
    assert RunStore.open(tmp_path / "out").sweep().config_hash == sweep.config_hash
    assert not list((tmp_path / "out" / RUNS_DIR).glob(".*"))


def test_leftover_temporary_files_are_removed_on_resume(small_sweep, tmp_path):
    sweep = load_sweep(small_sweep)
    store = RunStore.create_or_resume(tmp_path / "out", sweep, planned=8)
    leftover = tmp_path / "out" / RUNS_DIR / ".part-00000000-dead.parquet.tmp"
    leftover.write_bytes(b"PAR1 half a file")
    RunStore.create_or_resume(tmp_path / "out", sweep, planned=8)
    assert not leftover.exists()
    assert store.finished_runs() == set()


def test_a_folder_of_another_config_is_refused(small_sweep, write_config, tmp_path):
    RunStore.create_or_resume(tmp_path / "out", load_sweep(small_sweep), planned=8)
    other = load_sweep(write_config(SMALL_SWEEP.format(levels=3), "other.toml"))
    with pytest.raises(SweepError, match="holds results of another sweep config"):
        RunStore.create_or_resume(tmp_path / "out", other, planned=12)


def test_opening_a_folder_that_is_not_a_sweep_fails(tmp_path):
    with pytest.raises(SweepError, match="not a sweep folder"):
        RunStore.open(tmp_path)
