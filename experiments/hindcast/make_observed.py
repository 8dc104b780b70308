"""Write the observed figures of 2015-2023 that `routesim hindcast` compares with.

Reads the reference tables in ``../shared/data/history/`` (Frontex detections by route and
month; IOM Missing Migrants dead and missing by route and month; partner coast guards'
interceptions by year; see their README for sources and caveats) and writes, in
``routesim/data/observed/``:

- ``history-2015-2023.csv``: one row per reporting route and month,
  ``route,month,detections,dead_missing``. IOM has no Western Balkans figure of its own
  before it started one; months with no record are 0 there, as IOM reports them
  (minimums, not verified zeros).
- ``partner-interceptions-2015-2023.csv``: one row per route and year,
  ``year,route,partners,sea_interceptions,months_reported``: people the partner coast
  guards stopped at sea, the Libyan and Tunisian ones for the Central Med, the Turkish one
  for the Eastern Med (the model's routes also hold a few departures from other countries:
  Türkiye and Egypt to Italy, Libya and Lebanon to Greece). A year enters only when every
  partner of its route reported; ``months_reported`` is the fewest months any of them
  reported that year (Tunisia: 9 in 2017, 11 in 2023), so those years are minimums. The
  Western Med has only Algeria's figures from 2020 (Morocco's are attempts foiled on land
  and at sea, on both its routes), so it is left out.

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
PARTNERS = "data/history/partner_coast_guard_interceptions_by_year_2015_2023.csv"
#: The partner coast guards whose interceptions at sea stand for a route's.
ROUTE_PARTNERS = {"central_med": ("libya", "tunisia"), "eastern_med": ("turkiye",)}


def main() -> None:
    """Write the observed file from the shared tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    write_history(args.shared)
    write_partner_interceptions(args.shared)


def write_history(shared: Path) -> None:
    """Detections and dead and missing per route and month."""
    frames = []
    for name, column in ((DETECTIONS, "detections"), (DEAD_MISSING, "dead_missing")):
        table = pd.read_csv(shared / name)
        table = table[table["route_id"].isin(ROUTES) & table["year"].between(2015, 2023)]
        table["month"] = [
            f"{y}-{m:02d}" for y, m in zip(table["year"], table["month"], strict=True)
        ]
        frames.append(
            table.rename(columns={"route_id": "route"}).set_index(["route", "month"])[column]
        )
    observed = pd.concat(frames, axis=1).fillna(0).astype(int).sort_index().reset_index()
    path = _write(observed, "history-2015-2023.csv", shared, (DETECTIONS, DEAD_MISSING))
    print(f"{path}: {len(observed)} route-months")


def write_partner_interceptions(shared: Path) -> None:
    """Partner coast guards' interceptions at sea per route and year."""
    table = pd.read_csv(shared / PARTNERS)
    rows = []
    for route, partners in ROUTE_PARTNERS.items():
        for year, reported in table[table["partner"].isin(partners)].groupby("year"):
            if set(reported["partner"]) != set(partners):
                continue
            rows.append(
                {
                    "year": year,
                    "route": route,
                    "partners": "+".join(partners),
                    "sea_interceptions": int(reported["intercepted"].sum()),
                    "months_reported": int(reported["months_reported"].min()),
                }
            )
    observed = pd.DataFrame(rows).sort_values(["route", "year"])
    path = _write(observed, "partner-interceptions-2015-2023.csv", shared, (PARTNERS,))
    print(f"{path}: {len(observed)} route-years")


def _write(table: pd.DataFrame, name: str, shared: Path, sources: tuple[str, ...]) -> Path:
    """Write `table` as CSV headed by the sources it comes from and their digests."""
    path = OUT / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        for source in sources:
            digest = hashlib.sha256((shared / source).read_bytes()).hexdigest()
            handle.write(f"# from ../shared/{source} (sha256 {digest})\n")
        handle.write("# written by experiments/hindcast/make_observed.py\n")
        table.to_csv(handle, index=False, lineterminator="\n")
    return path


if __name__ == "__main__":
    main()
