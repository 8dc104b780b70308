"""``routesim bench``: full-year runs by scale, app frames, a sweep and Flee, timed."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from routesim.cli.options import (
    RUN_OPTIONS,
    Default,
    Subparsers,
    add_run_options,
    add_scenario_arguments,
    non_negative_int,
    people_per_agent,
    positive_int,
)
from routesim.errors import RoutesimError


def add_bench(subparsers: Subparsers) -> None:
    """Register ``routesim bench``."""
    parser = subparsers.add_parser(
        "bench",
        help="time full-year runs by scale, app frames, a sweep and (optionally) Flee",
        description=(
            "Run a scenario's full year at each scale (and the app's teaching scale), each in a "
            "fresh process, and print wall time, peak memory, people simulated, events and "
            "person-days per second, their growth with agent rows, the app's frame time, a "
            "sweep's runs per minute, optionally Flee 3.1's agent-days per second, and the "
            "targets of issue 8 as PASS/FAIL lines."
        ),
    )
    add_scenario_arguments(parser)
    scale = RUN_OPTIONS["scale"]
    parser.add_argument(
        "--scales",
        type=people_per_agent,
        nargs="+",
        default=[100.0, 10.0, 3.0, 1.0],
        metavar=scale.metavar,
        help="scales of the full-year runs (default: 100 10 3 1; teaching scale 50 is added)",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=1,
        metavar="N",
        help="runs of each full-year and Flee measurement; medians are shown (default: 1)",
    )
    parser.add_argument(
        "--app-days",
        type=non_negative_int,
        default=120,
        metavar="N",
        help="app frames (days) to time at teaching scale; 0 skips (default: 120)",
    )
    parser.add_argument(
        "--sweep-runs",
        type=non_negative_int,
        default=200,
        metavar="N",
        help="runs of the timed sweep, an even number; 0 skips (default: 200)",
    )
    parser.add_argument(
        "--sweep-scale",
        type=people_per_agent,
        default=100.0,
        metavar=scale.metavar,
        help="scale of the timed sweep's runs (default: %(default)g)",
    )
    add_run_options(
        parser,
        seed=0,
        workers=Default(os.cpu_count() or 1, "all cores; only the timed sweep uses them"),
    )
    parser.add_argument(
        "--flee",
        action="store_true",
        help='also time Flee 3.1 on a synthetic network (pip install -e ".[bench]")',
    )
    parser.add_argument(
        "--flee-agents",
        type=positive_int,
        nargs="+",
        default=[10_000, 100_000],
        metavar="N",
        help="agents of the Flee runs (default: 10000 100000)",
    )
    parser.add_argument(
        "--flee-days",
        type=positive_int,
        default=30,
        metavar="N",
        help="days of the Flee runs (default: %(default)s)",
    )
    parser.add_argument(
        "--before",
        metavar="REV",
        help=(
            "also measure the speed targets' runs (a year at scales 1 and 50, 2015-2023 at "
            "scale 10) with the code of git revision REV, beside the current code"
        ),
    )
    parser.add_argument(
        "--json", type=Path, metavar="PATH", help="also write every result to PATH as JSON"
    )
    parser.set_defaults(handler=_bench)


def _bench(args: argparse.Namespace) -> int:
    import json

    from routesim.bench.flee import INSTALL_HINT, flee_installed
    from routesim.bench.suite import BenchSettings, format_report, run_suite
    from routesim.configs import writable_folder
    from routesim.scenario import load_scenario

    if args.flee and not flee_installed():
        raise RoutesimError(f"--flee needs Flee: {INSTALL_HINT}")
    if args.sweep_runs % 2:
        raise RoutesimError(f"--sweep-runs must be even (2 seeds per point), got {args.sweep_runs}")
    load_scenario(args.scenario, args.overrides)  # fail fast, in this process, on a bad config
    if args.json:
        writable_folder(args.json.parent)
    settings = BenchSettings(
        scenario=args.scenario,
        overrides=tuple(args.overrides),
        seed=args.seed,
        scales=tuple(args.scales),
        repeats=args.repeats,
        app_days=args.app_days,
        sweep_runs=args.sweep_runs,
        sweep_scale=args.sweep_scale,
        workers=args.workers,
        flee_agents=tuple(args.flee_agents) if args.flee else (),
        flee_days=args.flee_days,
        before=args.before,
    )
    report = run_suite(settings, lambda line: print(line, file=sys.stderr, flush=True))
    print(format_report(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_dict(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0
