"""``routesim sweep``, ``sweep-report`` and ``sweep-discover``: a sweep, its report, PRIM."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from routesim.cli.info import print_configs
from routesim.cli.options import (
    Default,
    Subparsers,
    add_geodata_option,
    add_run_options,
    add_scheduler_option,
    positive_float,
    positive_int,
)
from routesim.errors import RoutesimError


def add_sweep(subparsers: Subparsers) -> None:
    """Register ``routesim sweep``."""
    parser = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep from a config file; resumes an interrupted one",
        description=(
            "Run every run of a sweep config in worker processes or on a Dask cluster, "
            "storing one Parquet row per run in DIR as chunks finish. Rerun the same "
            "command to resume: finished runs are skipped. Without CONFIG, list the sweeps. "
            "Another --seed draws the same design from other seeds, to check that its "
            "answers hold (use another --out)."
        ),
    )
    parser.add_argument(
        "config",
        nargs="?",
        default=None,
        metavar="CONFIG",
        help="sweep name (sweeps/NAME.toml in a $ROUTESIM_PATH folder or bundled) or path "
        "to a .toml file",
    )
    parser.add_argument(
        "--chunk-size",
        type=positive_int,
        default=None,
        metavar="RUNS",
        help="runs per task (default: about four tasks per worker, at most 8 runs each)",
    )
    add_run_options(
        parser,
        seed=Default(None, "the config's sweep.seed"),
        workers=Default(None, "one per CPU"),
        out=Default(None, "out/sweeps/<sweep name>"),
    )
    add_scheduler_option(parser)
    add_geodata_option(parser)
    parser.set_defaults(handler=_sweep)


def _sweep(args: argparse.Namespace) -> int:
    from routesim.configs import inside, writable_folder
    from routesim.parallel import make_backend
    from routesim.sweeps.config import available_sweeps, load_sweep
    from routesim.sweeps.runner import run_sweep

    if args.config is None:
        print_configs("sweeps", available_sweeps())
        return 0
    sweep = load_sweep(args.config, seed=args.seed)
    backend = make_backend(args.workers or os.cpu_count() or 1, args.scheduler)
    out = args.out if args.out is not None else inside(Path("out") / "sweeps", sweep.name)
    writable_folder(out)
    try:
        result = run_sweep(sweep, out, backend, chunk_size=args.chunk_size, geodata=args.geodata)
    except KeyboardInterrupt:
        print(f"interrupted: finished runs are kept in {out}; rerun to resume", file=sys.stderr)
        return 130
    except OSError as exc:
        raise RoutesimError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    for part in result.set_aside:
        print(
            f"note: {part}: damaged part file set aside; its runs were run again", file=sys.stderr
        )
    print(
        f"{sweep.name}: {result.ran} runs done, {result.skipped} already stored, "
        f"{result.planned} in all (config hash {sweep.config_hash})"
    )
    print(out)
    return 0


def add_sweep_report(subparsers: Subparsers) -> None:
    """Register ``routesim sweep-report``."""
    parser = subparsers.add_parser(
        "sweep-report",
        help="write CSV tables and PNG plots of a stored sweep",
        description=(
            "Summarise a sweep folder: runs.csv, points.csv, effects.csv/png, heatmap.png "
            "for two-parameter grids, sobol.csv/png for Sobol designs, morris.csv/png for "
            "Morris designs."
        ),
    )
    _add_sweep_dir(parser, "report")
    parser.set_defaults(handler=_sweep_report)


def _sweep_report(args: argparse.Namespace) -> int:
    from routesim.sweeps.report import write_report

    try:
        report = write_report(args.sweep_dir, args.out)
    except OSError as exc:
        raise RoutesimError(f"cannot write the report: {exc.strerror or exc}") from exc
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for path in report.files:
        print(path)
    return 0


def add_sweep_discover(subparsers: Subparsers) -> None:
    """Register ``routesim sweep-discover``."""
    parser = subparsers.add_parser(
        "sweep-discover",
        help="find the boxes of swept inputs where an outcome exceeds a threshold (PRIM)",
        description=(
            "Scenario discovery on a stored sweep: PRIM (EMA Workbench) finds the ranges of "
            "the swept levers and assumptions where OUTCOME lies above the threshold. Writes "
            "boxes.csv, trajectory.csv, trajectory.png and summary.txt; needs the [ema] extra."
        ),
    )
    _add_sweep_dir(parser, "discovery")
    parser.add_argument(
        "--outcome",
        required=True,
        metavar="COLUMN",
        help="a stored outcome column, e.g. dead_missing.central_med",
    )
    parser.add_argument(
        "--above",
        required=True,
        metavar="NUMBER|observed",
        help="runs above this are of interest; 'observed': the observed figure of the year "
        "the sweep covers (detections and dead_missing)",
    )
    parser.add_argument(
        "--boxes", type=positive_int, default=1, metavar="N", help="boxes to find (default: 1)"
    )
    parser.add_argument(
        "--min-coverage",
        type=_share,
        default=0.5,
        metavar="SHARE",
        help="each box is the densest step of its peeling trajectory covering at least this "
        "share of the runs of interest (default: %(default)s)",
    )
    parser.set_defaults(handler=_sweep_discover)


def _sweep_discover(args: argparse.Namespace) -> int:
    from routesim.sweeps.discovery import discover

    try:
        found = discover(
            args.sweep_dir,
            args.outcome,
            args.above,
            out=args.out,
            boxes=args.boxes,
            min_coverage=args.min_coverage,
        )
    except OSError as exc:
        raise RoutesimError(f"cannot write the discovery report: {exc.strerror or exc}") from exc
    print(found.summary())
    for path in found.files:
        print(path)
    return 0


def _add_sweep_dir(parser: argparse.ArgumentParser, report: str) -> None:
    """The stored sweep folder and the --out folder of what is made of it."""
    parser.add_argument("sweep_dir", type=Path, metavar="SWEEP_DIR", help="the sweep folder")
    add_run_options(parser, out=Default(None, f"SWEEP_DIR/{report}"))


def _share(text: str) -> float:
    """A share of runs: above 0, at most 1."""
    value = positive_float(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"expected a share of at most 1, got {text}")
    return value
