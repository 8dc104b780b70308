"""The built wheel, installed (not editable) into a fresh venv, works from any folder.

Issue 14: a user who installs the wheel, a notebook in another folder or a Dask worker
on another machine must find the bundled scenarios, sweeps, lessons and geodata in the
installed package, and outputs must land in the current folder's out/. The wheel is
built from a copy of the working tree, so a stale build/ folder cannot hide a file
missing from the package data.

The fresh venv takes its dependencies from the test venv (a ``.pth`` line naming its
site-packages; the editable install's own ``.pth`` hooks are not run, so only the
wheel's routesim can be imported), which keeps this test near a minute.
``ROUTESIM_WHEEL_DEPS=install`` installs the wheel's dependencies from pip's cache
instead (several minutes), which also checks what the wheel declares.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

pytestmark = pytest.mark.wheel

REPO = Path(__file__).resolve().parents[1]
#: What the copy of the tree leaves out: environments, caches, outputs and builds.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "out", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)
TIMEOUT = 300


def _run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`argv` in `cwd`, by default in this environment less what points at the checkout."""
    env = _env() if env is None else env
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.args}: exit {result.returncode}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A fresh venv holding routesim from its wheel, and nothing of the checkout.

    Built once per test session: xdist workers share it through a lock in their common
    temporary folder (the pattern of pytest-xdist's documentation).
    """
    if worker_id == "master":
        return _make_venv(tmp_path_factory.mktemp("wheel"))
    root = tmp_path_factory.getbasetemp().parent / "wheel"
    with FileLock(f"{root}.lock"):
        if not (root / "venv" / "bin" / "routesim").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            _make_venv(root)
    return root / "venv"


def _make_venv(root: Path) -> Path:
    shutil.copytree(REPO, root / "src", ignore=NOT_SOURCE)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _ok(_run([*pip, "wheel", "--no-deps", "-w", str(root / "dist"), str(root / "src")], root))
    (wheel,) = (root / "dist").glob("routesim-*.whl")
    _ok(_run([sys.executable, "-m", "venv", str(root / "venv")], root))
    python = str(root / "venv" / "bin" / "python")
    if os.environ.get("ROUTESIM_WHEEL_DEPS") == "install":
        _ok(_run([python, *pip[1:], "install", f"{wheel}[dask]"], root))
    else:
        purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
        site = _ok(_run([python, "-c", purelib], root)).strip()
        Path(site, "routesim-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
        _ok(_run([python, *pip[1:], "install", "--no-deps", str(wheel)], root))
    return root / "venv"


def _env() -> dict[str, str]:
    """This process's environment without what would point back at the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ROUTESIM_PATH")}
    return env | {"PYTHONNOUSERSITE": "1", "MPLBACKEND": "Agg"}


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_installed_package_is_the_wheel(venv: Path, empty: Path) -> None:
    code = "import routesim.resources as r; print(r.__file__); print(r.bundled('geodata'))"
    out = _ok(_run([str(venv / "bin" / "python"), "-c", code], empty))
    for line in out.splitlines():
        assert Path(line).is_relative_to(venv), line


def test_commands_run_from_an_empty_folder(venv: Path, empty: Path) -> None:
    routesim = str(venv / "bin" / "routesim")
    run = [routesim, "run", "--replicates", "1", "--scale", "200", "--set", "scenario.days=30"]
    _ok(_run(run, empty))
    assert (empty / "out" / "baseline-2023" / "summary.csv").is_file()
    assert "levers.ngo_vessels" in _ok(_run([routesim, "levers"], empty))
    assert "search-and-rescue" in _ok(_run([routesim, "lesson"], empty))
    assert "smoke" in _ok(_run([routesim, "sweep"], empty))
    out = _ok(_run([routesim, "sweep", "smoke", "--workers", "1"], empty))
    assert "4 runs done" in out
    assert list((empty / "out" / "sweeps" / "smoke").glob("**/*.parquet"))
    (package,) = venv.glob("lib/python*/site-packages/routesim")
    assert not list(package.glob("**/out"))


def test_a_user_folder_on_routesim_path(venv: Path, empty: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine" / "scenarios"
    mine.mkdir(parents=True)
    (mine / "short.toml").write_text('[scenario]\nname = "short"\ndays = 30\n')
    env = _env() | {"ROUTESIM_PATH": str(mine.parent)}
    routesim = str(venv / "bin" / "routesim")
    assert str(mine / "short.toml") in _ok(_run([routesim, "scenario", "--list"], empty, env))
    _ok(_run([routesim, "run", "short", "--replicates", "1", "--scale", "200"], empty, env))
    assert (empty / "out" / "short" / "summary.csv").is_file()


@pytest.fixture
def scheduler(venv: Path, tmp_path: Path) -> Iterator[str]:
    """A Dask scheduler and one worker, both of the fresh venv, started in another folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    python = str(venv / "bin" / "python")
    log = (tmp_path / "scheduler.log").open("w+")
    flags = ["--no-dashboard", "--host", "127.0.0.1"]
    processes = [
        subprocess.Popen(
            [python, "-m", "distributed.cli.dask_scheduler", *flags, "--port", "0"],
            cwd=elsewhere, env=_env(), stdout=log, stderr=subprocess.STDOUT,
        )
    ]  # fmt: skip
    try:
        address = _address(log, processes[0])
        processes.append(
            subprocess.Popen(
                [python, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
                 "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                cwd=elsewhere, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        log.close()


def _address(log, process: subprocess.Popen) -> str:
    """The scheduler's address, once it has logged it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        log.seek(0)
        found = re.search(r"Scheduler at:\s+(tcp://\S+)", log.read())
        if found:
            return found.group(1)
        time.sleep(0.2)
    log.seek(0)
    raise AssertionError(f"no Dask scheduler came up:\n{log.read()}")


def test_a_dask_worker_of_the_venv_runs_a_sweep(venv: Path, empty: Path, scheduler: str) -> None:
    argv = [str(venv / "bin" / "routesim"), "sweep", "smoke", "--scheduler", scheduler]
    assert "4 runs done" in _ok(_run(argv, empty))
    assert list((empty / "out" / "sweeps" / "smoke").glob("**/*.parquet"))
