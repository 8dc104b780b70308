"""Where routesim finds its data: users' own folders first, then the bundled data.

Everything the program reads at run time ships inside the package, one folder per kind
(`Kind`) under ``routesim/data/``: scenarios, parameter sets, observed figures, sweeps,
lessons, stylised facts, the geodata layers and the nationality-to-hub mappings of
``routesim push`` (``push/NAME.toml``). It is reached through
`importlib.resources`, never relative to the current folder or a checkout, so that an
installed wheel, a Dask worker or a notebook in any folder finds it.

Users keep their own configs where they like and name the folders in the environment
variable ``ROUTESIM_PATH`` (separated like ``PATH``: ``:`` on Linux and macOS, ``;`` on
Windows). Each folder may hold a subfolder per kind, laid out like the bundled data
(``scenarios/NAME.toml``, ``sweeps/NAME.toml``, ``parameters/NAME.toml``,
``observed/YEAR.toml``, ``lessons/NAME/``, ``stylised_facts/NAME/``); a name is looked
up in those folders in order, then among the bundled data, so a user's file of the same
name comes first. The geodata layers are always the bundled ones unless ``--geodata``
names another folder.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterable
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Literal

from routesim.errors import RoutesimError

#: The kinds of data, each a folder ``routesim/data/<kind>/`` (and in a user folder).
Kind = Literal[
    "scenarios",
    "parameters",
    "observed",
    "sweeps",
    "lessons",
    "stylised_facts",
    "geodata",
    "push",
]

#: The environment variable naming users' own data folders.
PATH_VARIABLE = "ROUTESIM_PATH"

# `as_file` gives a real folder even where the package is not on disk (a zip import):
# globbing, pyogrio and lesson figures need paths. Such a copy lives until the process ends.
_copies = ExitStack()
atexit.register(_copies.close)


@cache
def bundled(kind: Kind) -> Path:
    """The folder of the data of one kind that ships with the package."""
    return _copies.enter_context(as_file(files("routesim") / "data" / kind))


def user_folders() -> list[Path]:
    """The folders named in ``$ROUTESIM_PATH``, in order (empty entries are skipped).

    Raises:
        RoutesimError: A folder named there does not exist or is not a folder; the
            message names it, so that a typo is not silently ignored.
    """
    folders = []
    for entry in os.environ.get(PATH_VARIABLE, "").split(os.pathsep):
        if not entry:
            continue
        folder = Path(entry).expanduser().resolve()
        if not folder.is_dir():
            raise RoutesimError(f"{PATH_VARIABLE}: {folder}: no such folder")
        folders.append(folder)
    return folders


def search_path(kind: Kind) -> list[Path]:
    """The folders searched for `kind`, first first: users' subfolders, then the bundled one."""
    mine = [folder / kind for folder in user_folders() if (folder / kind).is_dir()]
    return [*mine, bundled(kind)]


def find(kind: Kind, name: str) -> Path | None:
    """The first file or folder called `name` in the folders of `kind`, or None."""
    for folder in search_path(kind):
        path = folder / name
        if path.exists():
            return path
    return None


def names(kind: Kind, pattern: str) -> list[str]:
    """The names of what matches `pattern` in any folder of `kind`, sorted, each once.

    Args:
        kind: The kind of data.
        pattern: A glob below each folder: ``*.toml`` names files by their stem,
            ``*/lesson.toml`` names folders.
    """
    found = set()
    for folder in search_path(kind):
        for path in folder.glob(pattern):
            parts = path.relative_to(folder).parts
            found.add(parts[0] if len(parts) > 1 else path.stem)
    return sorted(found)


def locate(kind: Kind, source: str | Path) -> tuple[Path, str]:
    """The file a config `source` (a name or a ``.toml`` path) stands for, and its name in messages.

    A name is looked up with `find` as ``<kind>/<name>.toml``; one found nowhere gives a
    path that does not exist, so that reading it raises `FileNotFoundError` like a
    missing path does.
    """
    text = str(source)
    if isinstance(source, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(source), text
    path = find(kind, f"{text}.toml")
    if path is None:
        return bundled(kind) / f"{text}.toml", f"{kind}/{text}.toml"
    return path, shown(kind, path)


def shown(kind: Kind, path: Path) -> str:
    """How messages name a file found in the folders of `kind`.

    A bundled file is named by its place in the package, the same in a checkout and an
    installation; a user's file by its full path.
    """
    if path.is_relative_to(bundled(kind)):
        return f"routesim/data/{kind}/{path.relative_to(bundled(kind)).as_posix()}"
    return str(path)


def listing(kind: Kind, available: Iterable[str]) -> str:
    """What a "no such ..." message says of `kind`: what there is and where it was sought."""
    choices = ", ".join(available) or "none"
    mine = search_path(kind)[:-1]
    if not mine:
        return f"available {kind}: {choices}; add folders of your own with {PATH_VARIABLE}"
    return f"available {kind}: {choices}, from {', '.join(map(str, mine))} and the bundled ones"
