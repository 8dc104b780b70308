"""The browser assets Solara would fetch from a CDN, packed from npm into a local cache.

Solara's page loads its JavaScript and fonts through ``/_solara/cdn/<package>@<version>/``,
which the server normally fetches from a public CDN. A classroom may have no internet,
so `fetch_assets` packs the same packages with ``npm pack`` (the npm registry is the only
network it needs) into a cache folder outside the repository, and `server_environment`
points Solara at that folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Final

from routesim.errors import RoutesimError

#: npm packages the page loads, at the exact versions Solara 1.x (with ipyvue < 2) asks for.
PACKAGES: Final[tuple[str, ...]] = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "font-awesome@4.5.0",
    "requirejs@2.3.6",
)

#: Environment variable naming the cache folder, and where it is by default.
CACHE_ENV: Final[str] = "ROUTESIM_APP_ASSETS"
DEFAULT_CACHE: Final[Path] = Path.home() / ".cache" / "routesim" / "solara-cdn"


def cache_dir() -> Path:
    """The asset cache folder: ``$ROUTESIM_APP_ASSETS`` or ``~/.cache/routesim/solara-cdn``."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured).expanduser() if configured else DEFAULT_CACHE


def missing_assets(folder: Path) -> list[str]:
    """Packages of `PACKAGES` not yet unpacked in `folder`."""
    return [spec for spec in PACKAGES if not (folder / spec / "package.json").is_file()]


def fetch_assets(folder: Path | None = None, *, quiet: bool = False) -> Path:
    """Pack every missing package with ``npm pack`` and unpack it as ``<folder>/<spec>/``.

    Args:
        folder: The cache folder; `cache_dir()` by default.
        quiet: Print nothing.

    Returns:
        The cache folder.

    Raises:
        RoutesimError: If npm is missing or a package cannot be packed.
    """
    folder = cache_dir() if folder is None else folder
    todo = missing_assets(folder)
    if not todo:
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise RoutesimError("npm is needed to fetch the app's browser assets; install Node.js")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="routesim-npm-") as tmp:
        for spec in todo:
            if not quiet:
                print(f"packing {spec}", flush=True)
            result = subprocess.run(
                [npm, "pack", spec, "--silent", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                reason = (result.stderr or result.stdout).strip().splitlines()
                raise RoutesimError(f"npm pack {spec} failed: {reason[-1] if reason else '?'}")
            tarball = Path(tmp) / result.stdout.strip().splitlines()[-1]
            _unpack(tarball, folder / spec)
    return folder


def _unpack(tarball: Path, target: Path) -> None:
    """Unpack an npm tarball (files under ``package/``) into `target`, atomically."""
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    (staging / "package").rename(target)
    shutil.rmtree(staging)


def server_environment(folder: Path | None = None) -> dict[str, str]:
    """Environment for the Solara server: local asset cache, no telemetry.

    Args:
        folder: The asset cache; `cache_dir()` by default.

    Returns:
        A copy of ``os.environ`` with Solara's settings added.
    """
    folder = cache_dir() if folder is None else folder
    env = dict(os.environ)
    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(folder)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    return env
