"""Write the observed monthly figures of 2015-2023 that `routesim hindcast` compares with.

Reads the reference tables in ``../shared/data/history/`` (Frontex detections by route and
month; IOM Missing Migrants dead and missing by route and month; see their README for
sources and caveats) and writes ``routesim/data/observed/history-2015-2023.csv``: one row
per reporting route and month, ``route,month,detections,dead_missing``. IOM has no Western
Balkans figure of its own before it started one; months with no record are 0 there, as
IOM reports them (minimums, not verified zeros).

    python experiments/hindcast/make_observed.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import pandas as pd

from routesim.routes import ROUTES

OUT = Path(__file__).resolve().parents[2] / "routesim" / "data" / "observed"
DETECTIONS = "data/history/frontex_detections_by_route_month_2015_2023.csv"
DEAD_MISSING = "data/history/iom_mmp_dead_missing_by_route_month_2015_2023.csv"


def main() -> None:
    """Write the observed file from the shared tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    frames = []
    for name, column in ((DETECTIONS, "detections"), (DEAD_MISSING, "dead_missing")):
        table = pd.read_csv(args.shared / name)
        table = table[table["route_id"].isin(ROUTES) & table["year"].between(2015, 2023)]
        table["month"] = [
            f"{y}-{m:02d}" for y, m in zip(table["year"], table["month"], strict=True)
        ]
        frames.append(
            table.rename(columns={"route_id": "route"}).set_index(["route", "month"])[column]
        )
    observed = pd.concat(frames, axis=1).fillna(0).astype(int).sort_index().reset_index()
    path = OUT / "history-2015-2023.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        for name in (DETECTIONS, DEAD_MISSING):
            digest = hashlib.sha256((args.shared / name).read_bytes()).hexdigest()
            handle.write(f"# from ../shared/{name} (sha256 {digest})\n")
        handle.write("# written by experiments/hindcast/make_observed.py\n")
        observed.to_csv(handle, index=False, lineterminator="\n")
    print(f"{path}: {len(observed)} route-months")


if __name__ == "__main__":
    main()
