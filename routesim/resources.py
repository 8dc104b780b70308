"""Where routesim's data lives: bundled with the package, under ``routesim/data/``.

Everything the program reads at run time ships inside the package, one folder per kind
(`Kind`): scenarios, parameter sets, observed figures, sweeps, lessons, stylised facts
and the geodata layers. It is reached through `importlib.resources`, never relative to
the current folder or a checkout, so that an installed wheel, a Dask worker or a
notebook in any folder finds it.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Literal

#: The kinds of bundled data, each a folder ``routesim/data/<kind>/``.
Kind = Literal[
    "scenarios", "parameters", "observed", "sweeps", "lessons", "stylised_facts", "geodata"
]

# `as_file` gives a real folder even where the package is not on disk (a zip import):
# globbing, pyogrio and lesson figures need paths. Such a copy lives until the process ends.
_copies = ExitStack()
atexit.register(_copies.close)


@cache
def bundled(kind: Kind) -> Path:
    """The folder of the data of one kind that ships with the package."""
    return _copies.enter_context(as_file(files("routesim") / "data" / kind))
