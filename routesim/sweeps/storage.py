"""The results of a sweep on disk: a Parquet dataset, one row per run, and its manifest.

Layout of a sweep folder::

    sweep.toml       the sweep config, its base scenario pointing at scenario.toml
    scenario.toml    the resolved base scenario
    manifest.toml    config hash, runs planned, routesim version
    runs/            part-*.parquet, one file per finished chunk of runs
    damaged/         part files set aside because they could not be read
    .lock            held by the sweep running into the folder, if any

Each part file is written under a hidden temporary name (which Parquet readers
skip) and renamed into place once complete, so a sweep killed at any moment leaves
only whole part files. The finished runs are those in the part files: rerunning the
same sweep into the folder skips them. A part file damaged all the same (a full disk,
a copy cut short) is set aside on resuming, and its runs are run again. A folder
holding another config's results (different hash) is refused rather than mixed, and
a sweep holds the folder's lock for its whole life, so that a second sweep into the
same folder stops at once instead of storing every run twice.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import tomli_w
from filelock import FileLock, Timeout

from routesim.configs import read_toml
from routesim.sweeps.config import Sweep, SweepError, load_sweep

CONFIG_FILE = "sweep.toml"
SCENARIO_FILE = "scenario.toml"
MANIFEST_FILE = "manifest.toml"
RUNS_DIR = "runs"
DAMAGED_DIR = "damaged"
LOCK_FILE = ".lock"


@dataclass(frozen=True)
class RunStore:
    """A sweep folder.

    Attributes:
        root: The folder.
        config_hash: The hash of the sweep whose runs it holds.
    """

    root: Path
    config_hash: str

    @classmethod
    def create_or_resume(cls, root: str | Path, sweep: Sweep, planned: int) -> RunStore:
        """Open a folder for a sweep, writing its config and manifest if new.

        Args:
            root: The sweep folder; created if missing.
            sweep: The sweep to run into it.
            planned: Runs in the whole sweep (for the manifest).

        Raises:
            SweepError: The folder holds results of a different sweep config.
        """
        root = Path(root)
        manifest = root / MANIFEST_FILE
        if manifest.exists():
            stored = _read_manifest(manifest)
            if stored != sweep.config_hash:
                raise SweepError(
                    f"{root} holds results of another sweep config (hash {stored}, this one "
                    f"{sweep.config_hash}): choose another --out or remove the folder"
                )
        else:
            (root / RUNS_DIR).mkdir(parents=True, exist_ok=True)
            _write_atomic(root / SCENARIO_FILE, sweep.base.to_toml())
            _write_atomic(root / CONFIG_FILE, sweep.to_toml(SCENARIO_FILE))
            info = {
                "config_hash": sweep.config_hash,
                "name": sweep.name,
                "runs_planned": planned,
                "routesim_version": _routesim_version(),
            }
            # Written last: a folder with a manifest has its config files complete.
            _write_atomic(manifest, tomli_w.dumps({"sweep": info}))
        store = cls(root, sweep.config_hash)
        store._remove_leftovers()
        return store

    @classmethod
    def open(cls, root: str | Path) -> RunStore:
        """Open an existing sweep folder to read it.

        Raises:
            SweepError: The folder is not a sweep folder.
        """
        root = Path(root)
        manifest = root / MANIFEST_FILE
        if not manifest.exists():
            raise SweepError(f"{root}: not a sweep folder (no {MANIFEST_FILE})")
        return cls(root, _read_manifest(manifest))

    def sweep(self) -> Sweep:
        """The sweep stored in the folder, reloaded from its config files."""
        return load_sweep(self.root / CONFIG_FILE)

    def finished_runs(self) -> set[int]:
        """Ids of the runs stored so far (in part files that can be read)."""
        ids: set[int] = set()
        for table in self._tables().values():
            ids.update(table.column("run").to_pylist())
        return ids

    def damaged(self) -> list[Path]:
        """Part files that cannot be read whole (truncated, empty, not Parquet)."""
        readable = self._tables()
        return [part for part in self._parts() if part not in readable]

    def set_aside_damaged(self) -> list[Path]:
        """Move damaged part files to ``damaged/``, so that their runs are run again.

        Returns:
            Where each damaged part file now is.
        """
        moved = []
        for part in self.damaged():
            target = self.root / DAMAGED_DIR / part.name
            target.parent.mkdir(exist_ok=True)
            os.replace(part, target)
            moved.append(target)
        return moved

    def write(self, rows: pd.DataFrame) -> Path:
        """Store finished runs as one new part file, atomically.

        Args:
            rows: Rows of `routesim.sweeps.evaluators.rows`.

        Returns:
            The part file written.
        """
        first = int(rows["run"].min())
        name = f"part-{first:08d}-{uuid.uuid4().hex[:8]}.parquet"
        final = self.root / RUNS_DIR / name
        temporary = final.with_name(f".{name}.tmp")
        table = pa.Table.from_pandas(rows, preserve_index=False)
        with temporary.open("wb") as handle:
            pq.write_table(table, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
        return final

    def read(self) -> pd.DataFrame:
        """Every stored run in a readable part file, sorted by run id (empty if none).

        `damaged` names the part files left out.
        """
        tables = self._tables()
        if not tables:
            return pd.DataFrame()
        frame = pd.concat([table.to_pandas() for table in tables.values()], ignore_index=True)
        return frame.sort_values("run", ignore_index=True)

    def _parts(self) -> list[Path]:
        return sorted((self.root / RUNS_DIR).glob("part-*.parquet"))

    def _tables(self) -> dict[Path, pa.Table]:
        """Each part file that reads whole, with a run column, as a table."""
        tables = {}
        for part in self._parts():
            try:
                table = pq.read_table(part)
            except (pa.ArrowException, OSError):
                continue
            if "run" in table.column_names:
                tables[part] = table
        return tables

    def _remove_leftovers(self) -> None:
        # Temporary files of a sweep killed while writing: their runs are not finished.
        for leftover in (self.root / RUNS_DIR).glob(".part-*.tmp"):
            leftover.unlink(missing_ok=True)


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the sweep folder's lock, or stop at once if another process holds it.

    The lock is an OS lock on ``.lock`` (`filelock`): it is released however this process
    ends, SIGKILL included, so a killed sweep never leaves its folder locked.

    Raises:
        SweepError: Another sweep holds the folder.
    """
    lock = FileLock(root / LOCK_FILE, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise SweepError(
            f"{root}: another sweep is running into this folder (it holds {root / LOCK_FILE}): "
            "wait for it to finish, or choose another --out"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _read_manifest(path: Path) -> str:
    try:
        manifest = read_toml(path, f"{path} (the sweep manifest)", SweepError)
    except FileNotFoundError:
        raise SweepError(f"{path}: no sweep manifest") from None
    info = manifest.get("sweep")
    if not isinstance(info, dict) or not isinstance(info.get("config_hash"), str):
        raise SweepError(f"{path}: unreadable sweep manifest (expected [sweep] with config_hash)")
    return info["config_hash"]


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _routesim_version() -> str:
    try:
        return version("routesim")
    except PackageNotFoundError:
        return "unknown"
