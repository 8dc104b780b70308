"""The ``routesim`` command line.

One module per command group: `info` (``map``, ``levers``, ``scenario``), `run`, `bench`,
`calibrate`, `hindcast`, `sweep` (``sweep``, ``sweep-report``, ``sweep-discover``),
`push`, `app` and `lesson`; `options` declares what several commands share, the run
options (``--replicates``, ``--seed``, ``--scale``, ``--workers``, ``--out``) among them,
and the validators. Each command is a pair of small functions: ``add_<name>(subparsers)``
declares its options and sets ``handler``; ``_<name>(args) -> int`` does the work.
Register a new command by appending its ``add_`` function to `COMMANDS`. Heavy modules
are imported inside handlers so that ``routesim --help`` stays instant.

Errors the user can fix (``RoutesimError``, such as a malformed geodata layer) are
printed as one line, ``routesim: error: <message>``, with exit status 2.

Outputs go below the current folder (``out/`` unless ``--out`` says otherwise), never
into the installed package; configs are looked up as `routesim.resources` describes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from routesim.cli import app, bench, calibrate, hindcast, info, lesson, push, run, sweep
from routesim.cli.options import Subparsers
from routesim.errors import RoutesimError

EXIT_USAGE = 2

#: Every command, in the order ``routesim --help`` lists them.
COMMANDS: list[Callable[[Subparsers], None]] = [
    info.add_map,
    info.add_levers,
    info.add_scenario,
    run.add_run,
    bench.add_bench,
    calibrate.add_calibrate,
    hindcast.add_hindcast,
    sweep.add_sweep,
    sweep.add_sweep_report,
    sweep.add_sweep_discover,
    push.add_push,
    app.add_app,
    lesson.add_lesson,
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` by default.

    Returns:
        The exit status: 0 on success, 2 on a usage or input error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error or the help
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.handler(args)
    except RoutesimError as exc:
        message = " ".join(str(exc).split())  # one line, whatever the message holds
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader left (`routesim lesson | head`): stop quietly. Output still buffered
        # goes to /dev/null, so that Python's flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="routesim",
        description="Agent-based simulator of irregular migration routes to Europe.",
        epilog=(
            "Scenarios, sweeps, parameter sets and lessons are looked up by name in the "
            "folders named in $ROUTESIM_PATH (each may hold scenarios/, sweeps/, "
            "parameters/, observed/, lessons/), then among the bundled ones. Outputs go "
            "to ./out unless --out says otherwise."
        ),
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for add_command in COMMANDS:
        add_command(subparsers)
    return parser
