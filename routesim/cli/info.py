"""Commands that show what the model is made of: ``map``, ``levers`` and ``scenario``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from routesim.cli.options import (
    Subparsers,
    add_geodata_option,
    add_out_file_option,
    add_scenario_arguments,
)
from routesim.errors import RoutesimError
from routesim.routes import ROUTES

if TYPE_CHECKING:
    from routesim.resources import Kind


# --- routesim map ---------------------------------------------------------------------


def add_map(subparsers: Subparsers) -> None:
    """Register ``routesim map``."""
    parser = subparsers.add_parser(
        "map",
        help="draw the route network on a map (PNG)",
        description="Draw places, legs, SAR regions and patrol areas on a map (PNG).",
    )
    add_out_file_option(parser, Path("out/routesim-map.png"), "PNG file")
    parser.add_argument(
        "--route", choices=ROUTES, default=None, help="highlight one reporting route"
    )
    add_geodata_option(parser)
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


def add_levers(subparsers: Subparsers) -> None:
    """Register ``routesim levers``."""
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

    from routesim.lever_fields import THEMES
    from routesim.levers import lever_specs

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


def add_scenario(subparsers: Subparsers) -> None:
    """Register ``routesim scenario``."""
    parser = subparsers.add_parser(
        "scenario",
        help="validate a scenario and print it fully resolved (TOML)",
        description=(
            "Load a scenario with its overrides, validate it, and print the resolved config: "
            "every lever, assumption and parameter, defaults filled in."
        ),
    )
    add_scenario_arguments(parser)
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the scenarios ($ROUTESIM_PATH folders' and bundled ones) and their files",
    )
    parser.set_defaults(handler=_scenario)


def _scenario(args: argparse.Namespace) -> int:
    from routesim.scenario import available_scenarios, load_scenario

    if args.list:
        print_configs("scenarios", available_scenarios())
        return 0
    print(load_scenario(args.scenario, args.overrides).to_toml(), end="")
    return 0


def print_configs(kind: Kind, names: Sequence[str]) -> None:
    """One line per config name: the name and the file it stands for (the first found)."""
    from routesim.resources import locate

    width = max(map(len, names), default=0)
    for name in names:
        print(f"{name.ljust(width)}  {locate(kind, name)[1]}")
