"""The ``routesim`` command line.

Each subcommand is a pair of small functions: ``_add_<name>(subparsers)`` declares its
options and sets ``handler``; ``_<name>(args) -> int`` does the work. Register a new
command by appending its ``_add_`` function to ``_COMMANDS``. Heavy modules are imported
inside handlers so that ``routesim --help`` stays instant.

Errors the user can fix (``RoutesimError``, such as a malformed geodata layer) are
printed as one line, ``routesim: error: <message>``, with exit status 2.

Outputs go below the current folder (``out/`` unless ``--out`` says otherwise), never
into the installed package; configs are looked up as `routesim.resources` describes.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from routesim.errors import RoutesimError
from routesim.routes import ROUTES

if TYPE_CHECKING:
    from routesim.resources import Kind

EXIT_USAGE = 2


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
    for add_command in _COMMANDS:
        add_command(subparsers)
    return parser


def _add_geodata_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--geodata",
        type=Path,
        metavar="DIR",
        default=None,
        help="folder of the geodata layers (default: the bundled layers)",
    )


# --- routesim map ---------------------------------------------------------------------


def _add_map(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "map",
        help="draw the route network on a map (PNG)",
        description="Draw places, legs, SAR regions and patrol areas on a map (PNG).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/routesim-map.png"),
        metavar="PATH",
        help="PNG file to write (default: %(default)s)",
    )
    parser.add_argument(
        "--route", choices=ROUTES, default=None, help="highlight one reporting route"
    )
    _add_geodata_option(parser)
    parser.set_defaults(handler=_map)


def _map(args: argparse.Namespace) -> int:
    from routesim.geography import load_geography
    from routesim.maps import render_map

    geography = load_geography(args.geodata)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        written = render_map(geography, args.out, route=args.route)
    except OSError as exc:
        raise RoutesimError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(written)
    return 0


# --- routesim levers ------------------------------------------------------------------


def _add_levers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "levers",
        help="list the policy levers and contested assumptions",
        description=(
            "List every policy lever and contested assumption: the dotted name used in "
            "scenario files and --set, its 2023 default, range, unit and source passage."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list instead")
    parser.set_defaults(handler=_levers)


def _levers(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from routesim.levers import THEMES, lever_specs

    specs = lever_specs()
    if args.json:
        print(json.dumps([dataclasses.asdict(s) for s in specs], indent=2, ensure_ascii=False))
        return 0
    header = ("name", "default", "range", "unit")
    rows = {
        spec.name: (
            spec.name,
            _num(spec.default),
            f"{_num(spec.low)}..{_num(spec.high)}",
            spec.unit,
        )
        for spec in specs
    }
    widths = [max(len(row[i]) for row in [header, *rows.values()]) for i in range(len(header))]

    def line(cells: Sequence[str], passage: str) -> str:
        return "  ".join([*(c.ljust(w) for c, w in zip(cells, widths, strict=True)), passage])

    groups: dict[str, list[str]] = {}
    for spec in specs:
        title = (
            "Contested assumptions (not policy choices: the evidence disagrees, so vary them)"
            if spec.kind == "assumption"
            else THEMES.get(spec.theme, spec.theme.title())
        )
        groups.setdefault(title, []).append(line(rows[spec.name], spec.passage))
    print(line(header, "passage"))
    for title, lines in groups.items():
        print(f"\n{title}")
        print("\n".join(lines))
    return 0


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --- routesim scenario ----------------------------------------------------------------


def _add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
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


def _add_scenario(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scenario",
        help="validate a scenario and print it fully resolved (TOML)",
        description=(
            "Load a scenario with its overrides, validate it, and print the resolved config: "
            "every lever, assumption and parameter, defaults filled in."
        ),
    )
    _add_scenario_arguments(parser)
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the scenarios ($ROUTESIM_PATH folders' and bundled ones) and their files",
    )
    parser.set_defaults(handler=_scenario)


def _scenario(args: argparse.Namespace) -> int:
    from routesim.scenario import available_scenarios, load_scenario

    if args.list:
        _print_configs("scenarios", available_scenarios())
        return 0
    print(load_scenario(args.scenario, args.overrides).to_toml(), end="")
    return 0


def _print_configs(kind: Kind, names: Sequence[str]) -> None:
    """One line per config name: the name and the file it stands for (the first found)."""
    from routesim.resources import locate

    width = max(map(len, names), default=0)
    for name in names:
        print(f"{name.ljust(width)}  {locate(kind, name)[1]}")


# --- routesim run ---------------------------------------------------------------------


def _add_run(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run an ensemble of a scenario; write tables, config and a plot",
        description=(
            "Run seeded replicates of a scenario, print run totals per route (mean and "
            "5-95% band) and write daily.parquet, summary.csv, config.toml, run.toml and "
            "monthly.png."
        ),
    )
    _add_scenario_arguments(parser)
    parser.add_argument(
        "--replicates",
        type=_positive_int,
        default=10,
        metavar="N",
        help="number of replicates (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=_non_negative_int,
        default=0,
        metavar="S",
        help="base seed the replicate seeds derive from (default: %(default)s)",
    )
    parser.add_argument(
        "--scale",
        type=_people_per_agent,
        default=10.0,
        metavar="PEOPLE_PER_AGENT",
        help="people per agent, at least 1 (default: %(default)g)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: out/<scenario name>)",
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="W",
        help="worker processes; 1 runs in this process (default: one per CPU, "
        "at most one per replicate)",
    )
    _add_geodata_option(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    import shutil

    from routesim.configs import inside, writable_folder
    from routesim.ensemble import run_ensemble
    from routesim.reports import format_observed_table, format_summary_table
    from routesim.scenario import load_scenario

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
    )
    print(
        f"{meta.name}: totals over {meta.days} days from {meta.start}, mean [5-95%] of "
        f"{ensemble.replicates} replicates (seed {args.seed}, {args.scale:g} people per agent)"
    )
    print(format_summary_table(ensemble.summary(), width=shutil.get_terminal_size().columns))
    check = ensemble.observed_check
    if check is not None:
        print(
            f"\nagainst the observed {meta.start.year} figures (Frontex detections, IOM dead "
            f"and missing; observed/{meta.start.year}.toml)"
        )
        print(format_observed_table(check))
    try:
        written = list(ensemble.write(out).values())
    except OSError as exc:
        raise RoutesimError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    print()
    for path in written:
        print(path)
    return 0


# --- routesim calibrate ---------------------------------------------------------------


def _add_hindcast(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "hindcast",
        help="replay past years with dated policy and score them against observed figures",
        description=(
            "Run the history scenario (the push of each year and the dated policy changes) "
            "over past years and compare each route's yearly and monthly detections and "
            "dead and missing with Frontex and IOM figures: prints per route-year errors, "
            "the ARD, year-on-year directions and monthly correlations, and the partner "
            "coast guards' interceptions beside the model's (not fitted); writes "
            "hindcast.csv, facts.csv and hindcast.png."
        ),
    )
    parser.add_argument(
        "--years",
        default="2019-2023",
        metavar="FIRST-LAST",
        help="years to replay, within 2015-2023 (default: %(default)s)",
    )
    parser.add_argument(
        "--replicates", type=_positive_int, default=4, metavar="N", help="(default: %(default)s)"
    )
    parser.add_argument(
        "--seed", type=_non_negative_int, default=0, metavar="S", help="(default: %(default)s)"
    )
    parser.add_argument(
        "--scale",
        type=_people_per_agent,
        default=10.0,
        metavar="PEOPLE_PER_AGENT",
        help="people per agent, at least 1 (default: %(default)g)",
    )
    parser.add_argument(
        "--scenario",
        default="history-2015-2023",
        metavar="SCENARIO",
        help="scenario name or .toml path; its start and length are set from --years "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="W",
        help="worker processes (default: one per CPU, at most one per replicate)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/hindcast"),
        metavar="DIR",
        help="(default: %(default)s)",
    )
    parser.set_defaults(handler=_hindcast)


def _hindcast(args: argparse.Namespace) -> int:
    from routesim.configs import writable_folder
    from routesim.hindcast import parse_years, run_hindcast

    years = parse_years(args.years)
    out = writable_folder(args.out)
    hindcast = run_hindcast(
        years,
        replicates=args.replicates,
        seed=args.seed,
        scale=args.scale,
        workers=args.workers,
        scenario=args.scenario,
    )
    shown = hindcast.errors().pivot_table(index=["metric", "route"], columns="year", values="error")
    print(
        f"hindcast {years[0]}-{years[1]} ({args.scenario}): (simulated - observed) / observed "
        f"per route-year, ensemble mean of {args.replicates} replicates (seed {args.seed}, "
        f"{args.scale:g} people per agent)"
    )
    print(shown.map(lambda v: f"{v:+.0%}").to_string())
    right, total = hindcast.directions("detections")
    close, sea = hindcast.within(0.35, "dead_missing")
    print(f"\ndetections ARD over route-years: {hindcast.ard('detections'):.2f}")
    print(f"year-on-year changes of detections in the observed direction: {right} of {total}")
    print(f"sea route-years with dead and missing within ±35%: {close} of {sea}")
    correlation = hindcast.monthly_correlation("detections")
    print(
        "monthly correlation of detections: "
        + ", ".join(f"{route} {r:.2f}" for route, r in correlation.items())
    )
    facts = hindcast.facts()
    if not facts.empty:
        shown = facts.assign(
            cell=[
                f"{sim / 1000:.1f}k / {seen / 1000:.1f}k" + ("*" if months < 12 else "")
                for sim, seen, months in facts[
                    ["sim_mean", "observed", "months_reported"]
                ].itertuples(index=False)
            ]
        ).pivot(index=["route", "partners", "metric"], columns="year", values="cell")
        print(
            "\nnot fitted: partner coast guards' interceptions, simulated (at sea; and with "
            "those stopped before launch) / observed at sea"
        )
        print("(* fewer than 12 months reported: a minimum)")
        print(shown.fillna("").to_string())
    print()
    for path in hindcast.write(out).values():
        print(path)
    return 0


def _add_calibrate(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="fit the free parameters to the observed 2023 figures, or to several years",
        description=(
            "Fit route preferences, seasonality and sea hazards to Frontex detections and "
            "IOM dead and missing (Robbins-Monro over seeded ensembles): of 2023 on the "
            "baseline, or with --years of several years at once on the history scenario "
            "(one set for every year; --profile fits it at each value of behaviour "
            "parameters and keeps the best); write the fitted set to DIR/parameters/ (put "
            "DIR on $ROUTESIM_PATH to run from it) and a report to DIR."
        ),
    )
    parser.add_argument(
        "--years",
        default=None,
        metavar="FIRST-LAST",
        help="fit these years jointly on the history scenario, within 2015-2023 "
        "(default: 2023 alone, on the baseline)",
    )
    parser.add_argument(
        "--profile",
        action="append",
        type=_profile,
        default=[],
        metavar="NAME=V1,V2,...",
        help="with --years: a behaviour parameter to profile and the values to try "
        "(repeat for more; all combinations are fitted)",
    )
    parser.add_argument("--iterations", type=_positive_int, default=12, metavar="N")
    parser.add_argument("--replicates", type=_positive_int, default=4, metavar="R")
    parser.add_argument("--scale", type=_people_per_agent, default=10.0, metavar="PEOPLE_PER_AGENT")
    parser.add_argument("--seed", type=_non_negative_int, default=2023, metavar="S")
    parser.add_argument("--workers", type=_positive_int, default=None, metavar="W")
    parser.add_argument(
        "--step",
        type=_positive_float,
        default=1.0,
        metavar="GAIN",
        help="first step's gain (default: %(default)g; smaller when continuing from a good fit)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/calibration"),
        metavar="DIR",
        help="where the report goes (default: %(default)s)",
    )
    parser.add_argument(
        "--parameters-dir",
        type=Path,
        default=None,
        metavar="PARAMETERS_DIR",
        help="where the fitted set goes (default: DIR/parameters)",
    )
    parser.add_argument(
        "--parameter-set",
        type=_name,
        default=None,
        metavar="NAME",
        help="the set to write, PARAMETERS_DIR/NAME.toml (default: calibrated-2023, or "
        "calibrated-FIRST-LAST with --years)",
    )
    parser.add_argument(
        "--from",
        dest="start",
        type=_name,
        default=None,
        metavar="NAME",
        help=(
            "the set to start from (default: the one written, to continue a calibration; "
            "'defaults' starts afresh from the code's uncalibrated values)"
        ),
    )
    parser.set_defaults(handler=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from routesim.calibration import (
        CalibrationSettings,
        calibrate,
        write_parameter_set,
        write_report,
    )
    from routesim.configs import writable_folder
    from routesim.hindcast import HISTORY_SCENARIO, parse_years
    from routesim.observed import load_observed
    from routesim.scenario import load_scenario

    years = parse_years(args.years) if args.years else None
    if args.profile and years is None:
        raise RoutesimError("--profile: profiling needs --years (a joint fit of several years)")
    name = args.parameter_set or (
        f"calibrated-{years[0]}-{years[1]}" if years else "calibrated-2023"
    )
    start = args.start or name
    source = HISTORY_SCENARIO if years else "baseline-2023"
    scenario = load_scenario(source, [f"scenario.parameters={start}"])
    writable_folder(args.out)
    parameters_dir = writable_folder(args.parameters_dir or args.out / "parameters")
    settings = CalibrationSettings(
        iterations=args.iterations,
        replicates=args.replicates,
        scale=args.scale,
        seed=args.seed,
        step=args.step,
        workers=args.workers,
    )
    if years is not None:
        grid = dict(args.profile)
        return _calibrate_years(scenario, years, settings, grid, args.out, parameters_dir, name)

    def report(k: int, table) -> None:
        errors = "  ".join(
            f"{route}: det {row.detections_error:+.0%} dm {row.dead_missing_error:+.0%} "
            f"r {row.monthly_r:.2f}"
            for route, row in table.iterrows()
        )
        label = f"iteration {k}/{settings.iterations}" if k <= settings.iterations else "averaged"
        print(f"{label}  {errors}", file=sys.stderr, flush=True)

    result = calibrate(scenario, load_observed(2023), settings, report)
    print(write_parameter_set(result, parameters_dir, name))
    for path in write_report(result, args.out):
        print(path)
    print(result.fit.table(result.observed).round(3).to_string())
    return 0


def _calibrate_years(
    scenario,
    years: tuple[int, int],
    settings,
    grid: dict[str, list[float]],
    out: Path,
    parameters_dir: Path,
    name: str,
) -> int:
    from routesim.history_calibration import (
        calibrate_years,
        write_history_parameter_set,
        write_history_report,
    )

    points = math.prod(len(values) for values in grid.values())
    total = points * (settings.iterations + 1)
    done = 0

    def report(point: dict[str, float], k: int, fit) -> None:
        nonlocal done
        done += 1
        scores = fit.scores()
        where = ", ".join(f"{key} {value:g}" for key, value in point.items()) or "fit"
        label = f"iteration {k}/{settings.iterations}" if k <= settings.iterations else "check"
        gaps = "  ".join(f"{route} {gap:+.2f}" for route, gap in fit.gaps.level.items())
        print(
            f"[{done}/{total}] {where}: {label}  ARD {scores['ard']:.2f}  "
            f"directions {scores['directions_right']}/"
            f"{scores['directions']}  mean log(observed/simulated): {gaps}",
            file=sys.stderr,
            flush=True,
        )

    result = calibrate_years(scenario, years, settings, grid, report)
    print(write_history_parameter_set(result, parameters_dir, name))
    for path in write_history_report(result, out):
        print(path)
    print(result.profile.round(3).to_string(index=False))
    kept = ", ".join(f"{key} = {getattr(result.parameters, key):g}" for key in grid)
    if kept:
        print(f"kept: {kept} (smallest detections ARD)")
    return 0


def _profile(text: str) -> tuple[str, list[float]]:
    name, sep, values = text.partition("=")
    try:
        numbers = [float(value) for value in values.split(",")]
    except ValueError:
        numbers = []
    if not sep or not name or not numbers:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected NAME=V1,V2,... with numbers, e.g. distance_weight=0.15,0.5,1"
        )
    return name.strip(), numbers


# --- routesim bench -------------------------------------------------------------------


def _add_bench(subparsers: argparse._SubParsersAction) -> None:
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
    _add_scenario_arguments(parser)
    parser.add_argument(
        "--scales",
        type=_people_per_agent,
        nargs="+",
        default=[100.0, 10.0, 3.0, 1.0],
        metavar="PEOPLE_PER_AGENT",
        help="scales of the full-year runs (default: 100 10 3 1; teaching scale 50 is added)",
    )
    parser.add_argument("--seed", type=_non_negative_int, default=0, metavar="S")
    parser.add_argument(
        "--repeats",
        type=_positive_int,
        default=1,
        metavar="N",
        help="runs of each full-year and Flee measurement; medians are shown (default: 1)",
    )
    parser.add_argument(
        "--app-days",
        type=_non_negative_int,
        default=120,
        metavar="N",
        help="app frames (days) to time at teaching scale; 0 skips (default: 120)",
    )
    parser.add_argument(
        "--sweep-runs",
        type=_non_negative_int,
        default=200,
        metavar="N",
        help="runs of the timed sweep, an even number; 0 skips (default: 200)",
    )
    parser.add_argument(
        "--sweep-scale", type=_people_per_agent, default=100.0, metavar="PEOPLE_PER_AGENT"
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes of the sweep (default: all cores)",
    )
    parser.add_argument(
        "--flee",
        action="store_true",
        help='also time Flee 3.1 on a synthetic network (pip install -e ".[bench]")',
    )
    parser.add_argument(
        "--flee-agents", type=_positive_int, nargs="+", default=[10_000, 100_000], metavar="N"
    )
    parser.add_argument("--flee-days", type=_positive_int, default=30, metavar="N")
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


# --- routesim sweep and sweep-report -----------------------------------------------------


def _add_sweep(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep from a config file; resumes an interrupted one",
        description=(
            "Run every run of a sweep config in worker processes or on a Dask cluster, "
            "storing one Parquet row per run in DIR as chunks finish. Rerun the same "
            "command to resume: finished runs are skipped. Without CONFIG, list the sweeps."
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
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="worker processes (default: one per CPU)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS|local",
        help="run on Dask: 'local' starts a LocalCluster, an address (tcp://host:8786) "
        "connects to a running scheduler; needs the [dask] extra",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="sweep folder (default: out/sweeps/<sweep name>)",
    )
    parser.add_argument(
        "--chunk-size",
        type=_positive_int,
        default=None,
        metavar="RUNS",
        help="runs per task (default: about four tasks per worker, at most 8 runs each)",
    )
    parser.add_argument(
        "--seed",
        type=_non_negative_int,
        default=None,
        metavar="S",
        help="replace the config's sweep.seed: the same design from other seeds, to check "
        "that its answers hold (use another --out)",
    )
    _add_geodata_option(parser)
    parser.set_defaults(handler=_sweep)


def _sweep(args: argparse.Namespace) -> int:
    from routesim.configs import inside, writable_folder
    from routesim.sweeps.backends import make_backend
    from routesim.sweeps.config import available_sweeps, load_sweep
    from routesim.sweeps.runner import run_sweep

    if args.config is None:
        _print_configs("sweeps", available_sweeps())
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


def _add_sweep_report(subparsers: argparse._SubParsersAction) -> None:
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


def _add_sweep_discover(subparsers: argparse._SubParsersAction) -> None:
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
        "--boxes", type=_positive_int, default=1, metavar="N", help="boxes to find (default: 1)"
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
    """The stored sweep DIR and the --out folder of what is made of it (DIR/<report>)."""
    parser.add_argument("sweep_dir", type=Path, metavar="DIR", help="the sweep folder")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="REPORT_DIR",
        help=f"report folder (default: DIR/{report})",
    )


def _share(text: str) -> float:
    value = _positive_float(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"expected a share of at most 1, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative whole number, got {text}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def _people_per_agent(text: str) -> float:
    # An agent row stands for at least one person: below 1 the model would hold more
    # rows than people (--scale 1e-300 asks for more memory than there is).
    value = _positive_float(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {text}")
    return value


def _name(text: str) -> str:
    from routesim.configs import check_name

    try:
        return check_name(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}, got {text!r}") from None


# --- routesim push --------------------------------------------------------------------


def _add_push(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "push",
        help="derive would-be migrants per origin hub and month from detections by nationality",
        description=(
            "Derive the model's push (origin,month,people) from a table of detections by "
            "year, route and nationality (year,route_id,border_type,nationality_iso3,"
            "detections), using each nationality's total over all routes only; see "
            "routesim/push.py for the rules."
        ),
    )
    parser.add_argument("table", type=Path, metavar="TABLE", help="the detections CSV")
    parser.add_argument(
        "--years",
        type=_years,
        default=None,
        metavar="FIRST[-LAST]",
        help="years to derive, e.g. 2019-2023 or 2024 (default: every year in TABLE)",
    )
    parser.add_argument(
        "--mapping",
        default=None,
        metavar="NAME|PATH",
        help="nationalities to origin hubs: a name under push/ or a .toml (default: the bundled "
        "nationality-hubs)",
    )
    parser.add_argument(
        "--detections",
        action="store_true",
        help="write detections per hub, unscaled (what the mapping's [anchor] holds)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/push.csv"),
        metavar="FILE",
        help="CSV to write (default: %(default)s)",
    )
    parser.set_defaults(handler=_push)


def _push(args: argparse.Namespace) -> int:
    import shlex

    from routesim.push import DEFAULT_MAPPING, derive_push, write_push

    mapping = args.mapping or DEFAULT_MAPPING
    push = derive_push(args.table, mapping, args.years, scaled=not args.detections)
    # The command as it would be typed to make this file again, whatever the caller typed.
    command = shlex.join(
        [
            "routesim",
            "push",
            str(args.table),
            *(["--years", f"{args.years[0]}-{args.years[-1]}"] if args.years else []),
            "--mapping",
            str(mapping),
            *(["--detections"] if args.detections else []),
            "--out",
            str(args.out),
        ]
    )
    written = write_push(push, args.out, command)
    print(push.years.map(lambda value: f"{value:,.0f}").to_string())
    if push.unlisted:
        largest = ", ".join(f"{code} {count:,}" for code, count in list(push.unlisted.items())[:5])
        print(
            f"note: {len(push.unlisted)} nationalities the mapping does not list were spread "
            f"like unknown ones (largest: {largest})",
            file=sys.stderr,
        )
    print(written)
    return 0


def _years(text: str) -> list[int]:
    first, _, last = text.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YEAR or FIRST-LAST, got {text!r}") from None
    if end < start:
        raise argparse.ArgumentTypeError(f"expected FIRST <= LAST, got {text}")
    return list(range(start, end + 1))


# --- routesim app ---------------------------------------------------------------------


def _add_app(subparsers: argparse._SubParsersAction) -> None:
    from routesim.app import DEFAULT_PORT

    parser = subparsers.add_parser(
        "app",
        help="start the interactive app (a Solara server) and print its URL",
        description=(
            "Start the interactive app: map, lever controls, live charts and scenario "
            "comparison, one model per browser session. The page's browser code comes "
            "with the install, so it loads with no internet."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=_positive_int,
        default=DEFAULT_PORT,
        metavar="N",
        help="port to listen on (default: %(default)s)",
    )
    parser.set_defaults(handler=_app)


def _app(args: argparse.Namespace) -> int:
    from routesim.app.server import serve

    return serve(args.host, args.port)


# --- routesim lesson -------------------------------------------------------------------


def _add_lesson(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lesson",
        help="list the teaching lessons, show one, or write its handout (HTML)",
        description=(
            "Without NAME, list the lessons ($ROUTESIM_PATH folders' and bundled). With NAME, "
            "show the lesson's question and presets; with --handout, rerun its checked comparison "
            "and write a self-contained HTML handout: text, fresh figures and references."
        ),
    )
    parser.add_argument("name", nargs="?", default=None, metavar="NAME", help="lesson name")
    parser.add_argument(
        "--handout", type=Path, default=None, metavar="OUT", help="HTML file to write"
    )
    parser.add_argument(
        "--replicates",
        type=_positive_int,
        default=None,
        metavar="N",
        help="paired seeds per setting (default: the lesson's own)",
    )
    parser.add_argument(
        "--scale",
        type=_people_per_agent,
        default=None,
        metavar="PEOPLE_PER_AGENT",
        help="people per agent, at least 1 (default: the lesson's own)",
    )
    parser.add_argument("--workers", type=_positive_int, default=None, metavar="W")
    parser.set_defaults(handler=_lesson)


def _lesson(args: argparse.Namespace) -> int:
    from routesim.lessons import available_lessons, load_lesson

    if args.name is None:
        if args.handout is not None:
            raise RoutesimError(
                "--handout needs a lesson NAME (run `routesim lesson` to list them)"
            )
        for name in available_lessons():
            lesson = load_lesson(name)
            print(f"{name}\n  {lesson.title}\n  {lesson.question}")
        return 0
    lesson = load_lesson(args.name)
    if args.handout is None:
        print(f"{lesson.title}\n\n{lesson.question}\n\npresets:")
        for name, preset in lesson.presets.items():
            command = " ".join(["routesim run", lesson.scenario_name, *lesson.set_options(name)])
            print(f"  {name}: {preset.label}\n    {command}")
        print(f"\nchecked: {lesson.config.check.claim}\ntext: {lesson.folder / 'lesson.md'}")
        return 0
    from routesim.handouts import write_handout

    run = lesson.comparison().run.resized(args.replicates, args.scale)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    print(write_handout(lesson, args.handout, run, args.workers, progress))
    return 0


_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_map,
    _add_levers,
    _add_scenario,
    _add_run,
    _add_bench,
    _add_calibrate,
    _add_hindcast,
    _add_sweep,
    _add_sweep_report,
    _add_sweep_discover,
    _add_push,
    _add_app,
    _add_lesson,
]
