"""``routesim run``: an ensemble of one scenario, its totals printed and its tables written."""

from __future__ import annotations

import argparse
from pathlib import Path

from routesim.cli.options import (
    ENSEMBLE_WORKERS,
    Default,
    Subparsers,
    add_geodata_option,
    add_run_options,
    add_scenario_arguments,
    add_scheduler_option,
)
from routesim.errors import RoutesimError


def add_run(subparsers: Subparsers) -> None:
    """Register ``routesim run``."""
    parser = subparsers.add_parser(
        "run",
        help="run an ensemble of a scenario; write tables, config and a plot",
        description=(
            "Run seeded replicates of a scenario, print run totals per route (mean and "
            "5-95% band) and write daily.parquet, summary.csv, config.toml, run.toml and "
            "monthly.png."
        ),
    )
    add_scenario_arguments(parser)
    add_run_options(
        parser,
        replicates=10,
        seed=0,
        scale=10.0,
        workers=ENSEMBLE_WORKERS,
        out=Default(None, "out/<scenario name>"),
    )
    add_scheduler_option(parser)
    add_geodata_option(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    import shutil

    from routesim.configs import inside, writable_folder
    from routesim.ensemble import run_ensemble
    from routesim.reports import format_observed_table, format_summary_table, write_ensemble
    from routesim.scenario import load_scenario
    from routesim.scoring import observed_check

    scenario = load_scenario(args.scenario, args.overrides)
    meta = scenario.scenario
    out = writable_folder(args.out if args.out is not None else inside(Path("out"), meta.name))
    ensemble = run_ensemble(
        scenario,
        replicates=args.replicates,
        seed=args.seed,
        scale=args.scale,
        workers=args.workers,
        geodata=args.geodata,
        scheduler=args.scheduler,
    )
    print(
        f"{meta.name}: totals over {meta.days} days from {meta.start}, mean [5-95%] of "
        f"{ensemble.replicates} replicates (seed {args.seed}, {args.scale:g} people per agent)"
    )
    print(format_summary_table(ensemble.summary(), width=shutil.get_terminal_size().columns))
    check = observed_check(ensemble)
    if check is not None:
        print(
            f"\nagainst the observed {meta.start.year} figures (Frontex detections, IOM dead "
            f"and missing; observed/{meta.start.year}.toml)"
        )
        print(format_observed_table(check))
    try:
        written = list(write_ensemble(ensemble, out).values())
    except OSError as exc:
        raise RoutesimError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    print()
    for path in written:
        print(path)
    return 0
