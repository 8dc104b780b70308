"""What several commands share: the run options, declared once, and the validators.

A run option (``--replicates``, ``--seed``, ``--scale``, ``--workers``, ``--out``) has the
same type, check, metavar and help in every command that offers it; only its default is
the command's own (`add_run_options`). A validator turns a bad value into argparse's error
line naming the option, e.g. ``argument --scale: expected a number of at least 1, got 0.5``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What a command's ``add_<name>`` function registers its parser with.
Subparsers = argparse._SubParsersAction


# --- validators -------------------------------------------------------------------------


def non_negative_int(text: str) -> int:
    """A whole number of at least 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative whole number, got {text}")
    return value


def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def _number(text: str) -> float:
    """Any number float() reads, nan and inf included: the callers bound it."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def positive_float(text: str) -> float:
    """A finite number above 0."""
    value = _number(text)
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def people_per_agent(text: str) -> float:
    """A scale: a finite number of people per agent row, at least 1 (`check_scale`)."""
    # Imported here: configs loads pydantic, which `routesim --help` need not wait for.
    from routesim.configs import check_scale

    try:
        return check_scale(_number(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}, got {text}") from None


# --- the run options --------------------------------------------------------------------


@dataclass(frozen=True)
class RunOption:
    """A run option as every command offers it; the help's "(default: ...)" is added."""

    type: Callable[[str], Any]
    metavar: str
    help: str


#: The run options, in the order a command's help lists them.
RUN_OPTIONS: dict[str, RunOption] = {
    "replicates": RunOption(positive_int, "N", "replicates, each from its own seed"),
    "seed": RunOption(non_negative_int, "S", "base seed; the same seed gives the same runs"),
    "scale": RunOption(people_per_agent, "PEOPLE_PER_AGENT", "people per agent, at least 1"),
    "workers": RunOption(positive_int, "W", "worker processes"),
    "out": RunOption(Path, "DIR", "output folder"),
}


@dataclass(frozen=True)
class Default:
    """A run option's default that the help states in words (None, or found at run time)."""

    value: Any
    shown: str


#: ``--workers`` of the commands that run ensembles (`routesim.ensemble.run_ensemble`).
ENSEMBLE_WORKERS = Default(None, "one per CPU, at most one per replicate; 1 runs in this process")


def add_run_options(
    parser: argparse.ArgumentParser,
    *,
    replicates: int | Default | None = None,
    seed: int | Default | None = None,
    scale: float | Default | None = None,
    workers: int | Default | None = None,
    out: Path | Default | None = None,
) -> None:
    """Offer the run options given a default; None leaves an option out.

    Args:
        parser: The command's parser.
        replicates: The default of ``--replicates`` in this command, and so on: a value
            the help shows as it is, or a `Default` that says it in words.
        seed: The default of ``--seed``.
        scale: The default of ``--scale``.
        workers: The default of ``--workers``.
        out: The default of ``--out``.
    """
    defaults = {
        "replicates": replicates,
        "seed": seed,
        "scale": scale,
        "workers": workers,
        "out": out,
    }
    for name, option in RUN_OPTIONS.items():
        default = defaults[name]
        if default is None:
            continue
        if not isinstance(default, Default):
            default = Default(
                default, f"{default:g}" if isinstance(default, float) else str(default)
            )
        parser.add_argument(
            f"--{name}",
            type=option.type,
            default=default.value,
            metavar=option.metavar,
            help=f"{option.help} (default: {default.shown})",
        )


# --- other shared arguments -------------------------------------------------------------


def add_scheduler_option(parser: argparse.ArgumentParser) -> None:
    """Offer ``--scheduler``: run on a Dask cluster instead of local worker processes."""
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS|local",
        help="run on Dask: 'local' starts a LocalCluster of --workers workers, an address "
        "(tcp://host:8786) connects to a running scheduler; needs the [dask] extra",
    )


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario to load and its --set overrides, shared by commands that run one."""
    parser.add_argument(
        "scenario",
        nargs="?",
        default="baseline-2023",
        metavar="SCENARIO",
        help="scenario name (scenarios/NAME.toml in a $ROUTESIM_PATH folder or bundled) "
        "or path to a .toml file (default: %(default)s)",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one value, e.g. --set levers.ngo_vessels=0 (repeatable)",
    )


def add_geodata_option(parser: argparse.ArgumentParser) -> None:
    """The folder of the geodata layers, for commands that build the world."""
    parser.add_argument(
        "--geodata",
        type=Path,
        metavar="DIR",
        default=None,
        help="folder of the geodata layers (default: the bundled layers)",
    )


def add_out_file_option(parser: argparse.ArgumentParser, default: Path, what: str) -> None:
    """``--out`` of a command that writes one file, `what` it is (e.g. "PNG file")."""
    parser.add_argument(
        "--out",
        type=Path,
        default=default,
        metavar="FILE",
        help=f"{what} to write (default: %(default)s)",
    )
