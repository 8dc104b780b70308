"""The browser assets of Solara's page, installed with the `solara-assets` package.

Solara's page loads its JavaScript and fonts through ``/_solara/cdn/<package>@<version>/``,
which the server would otherwise download from a public CDN. A classroom may have no
internet, so routesim depends on `solara-assets` (pinned to Solara's own version), which
installs those npm packages as data files, and `server_environment` points Solara at them.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path
from typing import Final

from routesim.errors import RoutesimError

#: npm packages the page loads, at the exact versions Solara (with ipyvue < 2) asks for.
PACKAGES: Final[tuple[str, ...]] = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "font-awesome@4.5.0",
    "requirejs@2.3.6",
)
DISTRIBUTION: Final[str] = "solara-assets"


def asset_dir() -> Path:
    """The folder holding `solara-assets`' npm packages.

    Found from the files the package installed, since their data folder follows the
    install scheme (``<venv>/share``, ``~/.local/share`` for a user install); Solara's own
    default, ``<sys.prefix>/share/solara/cdn``, when the package is not installed.
    """
    marker = f"cdn/{PACKAGES[-1]}/package.json"
    try:
        files = importlib.metadata.files(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.as_posix().endswith(marker):
            return Path(str(file.locate())).resolve().parents[1]
    return Path(sys.prefix) / "share" / "solara" / "cdn"


def missing_assets(folder: Path) -> list[str]:
    """Packages of `PACKAGES` not installed in `folder`."""
    return [spec for spec in PACKAGES if not (folder / spec / "package.json").is_file()]


def check_assets(folder: Path) -> None:
    """Refuse a server whose page would stay blank for want of its browser assets.

    Raises:
        RoutesimError: If a package of `PACKAGES` is missing from `folder`, saying how
            to install it.
    """
    missing = missing_assets(folder)
    if missing:
        version = importlib.metadata.version("solara")
        raise RoutesimError(
            f"the app's browser assets are missing from {folder} ({', '.join(missing)}); "
            f'install them with `pip install --force-reinstall "{DISTRIBUTION}=={version}"`'
        )


def server_environment(folder: Path) -> dict[str, str]:
    """Environment for the Solara server: the installed assets, no telemetry, quiet.

    Args:
        folder: The asset folder, as `asset_dir` finds it.

    Returns:
        A copy of ``os.environ`` with Solara's settings added.
    """
    env = dict(os.environ)
    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(folder)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env.setdefault("SOLARA_APP_LOG_LEVEL", "warning")
    # Solara's "This website runs on Solara" banner sits over the page's bottom right
    # corner: in projector mode at 1024x768 it covered chart axes and CSV/PNG links.
    env["SOLARA_THEME_SHOW_BANNER"] = "False"
    # Reacton's default renderer walks the whole page on every state change: each frame
    # of a playing run cost about 230 ms of server CPU, most of it on the lever sliders
    # that did not change. The opt-in renderer (reacton >= 1.11) walks only the parts that
    # changed: about 13 ms (experiments/bench/app_sessions.py; the note on issue 17).
    env["REACTON_FAST"] = "1"
    # Solara warns on every page view served over plain http to 127.0.0.1 that its session
    # cookie falls back to SameSite=Lax, which is what a local app wants: filter that one
    # warning only, so that any other still shows.
    quiet = "ignore:Cookies with samesite=none require https:UserWarning:solara.server.starlette"
    env["PYTHONWARNINGS"] = ",".join(filter(None, (env.get("PYTHONWARNINGS"), quiet)))
    return env
