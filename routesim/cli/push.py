"""``routesim push``: would-be migrants per origin hub and month, from detections."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from routesim.cli.options import Subparsers, add_out_file_option


def add_push(subparsers: Subparsers) -> None:
    """Register ``routesim push``."""
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
    add_out_file_option(parser, Path("out/push.csv"), "CSV file")
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
    """YEAR or FIRST-LAST: the years, in order."""
    first, _, last = text.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YEAR or FIRST-LAST, got {text!r}") from None
    if end < start:
        raise argparse.ArgumentTypeError(f"expected FIRST <= LAST, got {text}")
    return list(range(start, end + 1))
