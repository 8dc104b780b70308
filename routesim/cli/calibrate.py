"""``routesim calibrate``: the free parameters fitted to observed 2023, or to several years."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from routesim.cli.options import (
    ENSEMBLE_WORKERS,
    Subparsers,
    add_run_options,
    positive_float,
    positive_int,
)
from routesim.errors import RoutesimError


def add_calibrate(subparsers: Subparsers) -> None:
    """Register ``routesim calibrate``."""
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
    parser.add_argument(
        "--iterations",
        type=positive_int,
        default=12,
        metavar="N",
        help="Robbins-Monro iterations, each an ensemble (default: %(default)s)",
    )
    parser.add_argument(
        "--step",
        type=positive_float,
        default=1.0,
        metavar="GAIN",
        help="first step's gain (default: %(default)g; smaller when continuing from a good fit)",
    )
    add_run_options(
        parser,
        replicates=4,
        seed=2023,
        scale=10.0,
        workers=ENSEMBLE_WORKERS,
        out=Path("out/calibration"),
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
        type=_config_name,
        default=None,
        metavar="NAME",
        help="the set to write, PARAMETERS_DIR/NAME.toml (default: calibrated-2023, or "
        "calibrated-FIRST-LAST with --years)",
    )
    parser.add_argument(
        "--from",
        dest="start",
        type=_config_name,
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


def _config_name(text: str) -> str:
    """A parameter set's name, never a path."""
    from routesim.configs import check_name

    try:
        return check_name(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}, got {text!r}") from None
