"""``routesim hindcast``: past years replayed with dated policy, scored against observed figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from routesim.cli.options import ENSEMBLE_WORKERS, Subparsers, add_run_options


def add_hindcast(subparsers: Subparsers) -> None:
    """Register ``routesim hindcast``."""
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
        "--scenario",
        default="history-2015-2023",
        metavar="SCENARIO",
        help="scenario name or .toml path; its start and length are set from --years "
        "(default: %(default)s)",
    )
    add_run_options(
        parser,
        replicates=4,
        seed=0,
        scale=10.0,
        workers=ENSEMBLE_WORKERS,
        out=Path("out/hindcast"),
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
