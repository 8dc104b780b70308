"""``routesim app``: the interactive app, served by Solara."""

from __future__ import annotations

import argparse

from routesim.cli.options import Subparsers, positive_int


def add_app(subparsers: Subparsers) -> None:
    """Register ``routesim app``."""
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
        type=positive_int,
        default=DEFAULT_PORT,
        metavar="N",
        help="port to listen on (default: %(default)s)",
    )
    parser.set_defaults(handler=_app)


def _app(args: argparse.Namespace) -> int:
    from routesim.app.server import serve

    return serve(args.host, args.port)
