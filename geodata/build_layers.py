"""Regenerate the derived geodata layers of routesim from their sources.

Usage (from the repository root)::

    .venv/bin/python geodata/build_layers.py [--world-atlas PATH/countries-10m.json]

Writes countries.geojson, places.geojson, legs.geojson, sar_regions.geojson and
patrol_areas.geojson into routesim/data/geodata/, where the package reads them.
Inputs: the hand-written tables in geodata/sources/ and Natural Earth 1:10m countries
from npm ``world-atlas@2.0.2`` (fetched with ``npm pack`` into a temporary folder unless
``--world-atlas`` is given).
The output is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely import wkt
from shapely.geometry import LineString, MultiPoint, Point, box

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
# The checkout's package data, not an installed copy's: the layers are committed there.
LAYERS = HERE.parent / "routesim" / "data" / "geodata"
WORLD_ATLAS = "world-atlas@2.0.2"
GEOD = pyproj.Geod(ellps="WGS84")

# Countries are clipped to this box (lon_min, lat_min, lon_max, lat_max): the whole
# simulated region from the Gulf of Guinea and Khartoum to southern Germany.
CLIP_BOX = (-26.0, 4.0, 46.0, 51.0)
# Countries outside the box that hold a far origin reached by air (kept whole).
EXTRA_COUNTRIES = ("Bangladesh",)
SIMPLIFY_DEG = 0.01
COUNTRY_GRID = 1e-4  # ~11 m; polygons are snapped to it and written with 4 decimals
POINT_DECIMALS = 5

# Natural Earth 4.1 (world-atlas) name -> (ISO 3166-1 alpha-3, current English short name).
# Parts without a code of their own are merged into the state that holds them:
# Akrotiri and Dhekelia (UK sovereign base areas) into GBR, the UN buffer zone into CYP,
# Somaliland into SOM. Northern Cyprus is CYN and Kosovo XKX (user-assigned codes).
NAMES: dict[str, tuple[str, str]] = {
    "Akrotiri": ("GBR", "United Kingdom"),
    "Albania": ("ALB", "Albania"),
    "Algeria": ("DZA", "Algeria"),
    "Andorra": ("AND", "Andorra"),
    "Armenia": ("ARM", "Armenia"),
    "Austria": ("AUT", "Austria"),
    "Azerbaijan": ("AZE", "Azerbaijan"),
    "Bangladesh": ("BGD", "Bangladesh"),
    "Belgium": ("BEL", "Belgium"),
    "Benin": ("BEN", "Benin"),
    "Bosnia and Herz.": ("BIH", "Bosnia and Herzegovina"),
    "Bulgaria": ("BGR", "Bulgaria"),
    "Burkina Faso": ("BFA", "Burkina Faso"),
    "Cabo Verde": ("CPV", "Cabo Verde"),
    "Cameroon": ("CMR", "Cameroon"),
    "Central African Rep.": ("CAF", "Central African Republic"),
    "Chad": ("TCD", "Chad"),
    "Congo": ("COG", "Republic of the Congo"),
    "Croatia": ("HRV", "Croatia"),
    "Cyprus": ("CYP", "Cyprus"),
    "Cyprus U.N. Buffer Zone": ("CYP", "Cyprus"),
    "Czechia": ("CZE", "Czechia"),
    "Côte d'Ivoire": ("CIV", "Côte d'Ivoire"),
    "Dem. Rep. Congo": ("COD", "Democratic Republic of the Congo"),
    "Dhekelia": ("GBR", "United Kingdom"),
    "Djibouti": ("DJI", "Djibouti"),
    "Egypt": ("EGY", "Egypt"),
    "Eq. Guinea": ("GNQ", "Equatorial Guinea"),
    "Eritrea": ("ERI", "Eritrea"),
    "Ethiopia": ("ETH", "Ethiopia"),
    "France": ("FRA", "France"),
    "Gambia": ("GMB", "The Gambia"),
    "Georgia": ("GEO", "Georgia"),
    "Germany": ("DEU", "Germany"),
    "Ghana": ("GHA", "Ghana"),
    "Gibraltar": ("GIB", "Gibraltar"),
    "Greece": ("GRC", "Greece"),
    "Guernsey": ("GGY", "Guernsey"),
    "Guinea": ("GIN", "Guinea"),
    "Guinea-Bissau": ("GNB", "Guinea-Bissau"),
    "Hungary": ("HUN", "Hungary"),
    "Iran": ("IRN", "Iran"),
    "Iraq": ("IRQ", "Iraq"),
    "Israel": ("ISR", "Israel"),
    "Italy": ("ITA", "Italy"),
    "Jersey": ("JEY", "Jersey"),
    "Jordan": ("JOR", "Jordan"),
    "Kenya": ("KEN", "Kenya"),
    "Kosovo": ("XKX", "Kosovo"),
    "Lebanon": ("LBN", "Lebanon"),
    "Liberia": ("LBR", "Liberia"),
    "Libya": ("LBY", "Libya"),
    "Liechtenstein": ("LIE", "Liechtenstein"),
    "Luxembourg": ("LUX", "Luxembourg"),
    "Macedonia": ("MKD", "North Macedonia"),
    "Mali": ("MLI", "Mali"),
    "Malta": ("MLT", "Malta"),
    "Mauritania": ("MRT", "Mauritania"),
    "Moldova": ("MDA", "Moldova"),
    "Monaco": ("MCO", "Monaco"),
    "Montenegro": ("MNE", "Montenegro"),
    "Morocco": ("MAR", "Morocco"),
    "N. Cyprus": ("CYN", "Northern Cyprus"),
    "Netherlands": ("NLD", "Netherlands"),
    "Niger": ("NER", "Niger"),
    "Nigeria": ("NGA", "Nigeria"),
    "Palestine": ("PSE", "Palestine"),
    "Poland": ("POL", "Poland"),
    "Portugal": ("PRT", "Portugal"),
    "Romania": ("ROU", "Romania"),
    "Russia": ("RUS", "Russia"),
    "S. Sudan": ("SSD", "South Sudan"),
    "San Marino": ("SMR", "San Marino"),
    "Saudi Arabia": ("SAU", "Saudi Arabia"),
    "Senegal": ("SEN", "Senegal"),
    "Serbia": ("SRB", "Serbia"),
    "Sierra Leone": ("SLE", "Sierra Leone"),
    "Slovakia": ("SVK", "Slovakia"),
    "Slovenia": ("SVN", "Slovenia"),
    "Somalia": ("SOM", "Somalia"),
    "Somaliland": ("SOM", "Somalia"),
    "Spain": ("ESP", "Spain"),
    "Sudan": ("SDN", "Sudan"),
    "Switzerland": ("CHE", "Switzerland"),
    "Syria": ("SYR", "Syria"),
    "Togo": ("TGO", "Togo"),
    "Tunisia": ("TUN", "Tunisia"),
    "Turkey": ("TUR", "Türkiye"),
    "Uganda": ("UGA", "Uganda"),
    "Ukraine": ("UKR", "Ukraine"),
    "United Kingdom": ("GBR", "United Kingdom"),
    "W. Sahara": ("ESH", "Western Sahara"),
    "Yemen": ("YEM", "Yemen"),
}


# --- helpers --------------------------------------------------------------------------


def read_csv(name: str) -> list[dict[str, str]]:
    with open(SOURCES / name, newline="", encoding="utf-8") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def local_crs(lon: float, lat: float) -> pyproj.CRS:
    """Azimuthal equidistant projection centred on (lon, lat), in metres."""
    return pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"
    )


def geodesic_buffer(geom, km: float):
    """Buffer a lon/lat geometry by ``km`` kilometres in a local projection."""
    c = geom.centroid
    crs = local_crs(c.x, c.y)
    projected = gpd.GeoSeries([geom], crs=4326).to_crs(crs)
    return projected.buffer(km * 1000.0, quad_segs=8).to_crs(4326).iloc[0]


def snap(geom, grid: float):
    """Snap to a grid (keeps the geometry valid) so that rounding on output is exact."""
    return shapely.make_valid(shapely.set_precision(geom, grid))


def write_geojson(gdf: gpd.GeoDataFrame, name: str, decimals: int) -> Path:
    path = LAYERS / f"{name}.geojson"
    if path.exists():
        path.unlink()
    gdf.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={
            "RFC7946": "YES",
            "COORDINATE_PRECISION": str(decimals),
            "WRITE_NAME": "NO",
        },
    )
    return path


def fail(message: str) -> None:
    sys.exit(f"build_layers: {message}")


# --- countries ------------------------------------------------------------------------


def fetch_world_atlas(tmp: Path) -> Path:
    try:
        subprocess.run(
            ["npm", "pack", WORLD_ATLAS, "--pack-destination", str(tmp)],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        fail(f"could not fetch {WORLD_ATLAS} with npm ({exc}); pass --world-atlas PATH")
    tarball = next(tmp.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extract("package/countries-10m.json", tmp, filter="data")
    return tmp / "package" / "countries-10m.json"


def build_countries(topojson: Path) -> gpd.GeoDataFrame:
    raw = gpd.read_file(topojson, layer="countries", engine="pyogrio")
    raw = raw.set_crs(4326, allow_override=True)
    raw["geometry"] = shapely.make_valid(raw.geometry.values)
    clip = box(*CLIP_BOX)
    inside = raw[raw.intersects(clip)].copy()
    inside["geometry"] = [
        g if n in EXTRA_COUNTRIES else g.intersection(clip)
        for n, g in zip(inside["name"], inside.geometry, strict=True)
    ]
    extra = raw[raw["name"].isin(EXTRA_COUNTRIES) & ~raw.index.isin(inside.index)]
    parts = pd.concat([inside, extra])
    parts = parts[~parts.geometry.is_empty]
    unknown = sorted(set(parts["name"]) - set(NAMES))
    if unknown:
        fail(f"add these Natural Earth names to NAMES: {unknown}")
    parts["iso3"] = [NAMES[n][0] for n in parts["name"]]
    parts["name"] = [NAMES[n][1] for n in parts["name"]]
    # keep polygonal parts only (clipping can leave stray lines on the box edge)
    parts["geometry"] = [
        shapely.union_all(shapely.get_parts(g)[shapely.get_type_id(shapely.get_parts(g)) >= 3])
        for g in parts.geometry
    ]
    countries = parts.dissolve(by="iso3", aggfunc="first", sort=True).reset_index()
    countries["geometry"] = shapely.make_valid(countries.geometry.values)
    countries["geometry"] = countries.geometry.simplify_coverage(SIMPLIFY_DEG)
    countries["geometry"] = [snap(g, COUNTRY_GRID) for g in countries.geometry]
    countries["geometry"] = [
        shapely.union_all(shapely.get_parts(g)[shapely.get_type_id(shapely.get_parts(g)) >= 3])
        for g in countries.geometry
    ]
    countries = countries[["iso3", "name", "geometry"]].sort_values("iso3")
    return gpd.GeoDataFrame(countries.reset_index(drop=True), crs=4326)


# --- places and legs ------------------------------------------------------------------


def build_places() -> gpd.GeoDataFrame:
    rows = read_csv("places.csv")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        fail("duplicate place ids in places.csv")
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name": [r["name"] for r in rows],
            "country": [r["country"] for r in rows],
            "roles": [r["roles"] for r in rows],
            "routes": [r["routes"] for r in rows],
        },
        geometry=[Point(float(r["lon"]), float(r["lat"])) for r in rows],
        crs=4326,
    )


def parse_waypoints(text: str) -> list[tuple[float, float]]:
    """``lat lon;lat lon`` -> [(lon, lat), ...]."""
    points = []
    for item in filter(None, (p.strip() for p in text.split(";"))):
        lat, lon = (float(v) for v in item.split())
        points.append((lon, lat))
    return points


def build_legs(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    where = {pid: (p.x, p.y) for pid, p in zip(places["id"], places.geometry, strict=True)}
    records, lines = [], []
    for r in read_csv("legs.csv"):
        if r["id"] != f"{r['from']}__{r['to']}":
            fail(f"leg {r['id']}: id must be <from>__<to>")
        for end in ("from", "to"):
            if r[end] not in where:
                fail(f"leg {r['id']}: unknown place {r[end]!r}")
        line = LineString([where[r["from"]], *parse_waypoints(r["waypoints"]), where[r["to"]]])
        line = shapely.set_precision(line, 10.0**-POINT_DECIMALS)
        lines.append(line)
        records.append(
            {
                "id": r["id"],
                "from": r["from"],
                "to": r["to"],
                "mode": r["mode"],
                "route": r["route"],
                "crossing": r["crossing"] == "true",
                "two_way": r["two_way"] == "true",
                "sea_area": r["sea_area"],
                "length_km": round(GEOD.geometry_length(line) / 1000.0, 2),
            }
        )
    legs = gpd.GeoDataFrame(pd.DataFrame.from_records(records), geometry=lines, crs=4326)
    if legs["id"].duplicated().any():
        fail(f"duplicate leg ids: {sorted(legs.loc[legs['id'].duplicated(), 'id'])}")
    return legs


# --- SAR regions ----------------------------------------------------------------------


def nearer_to(countries: gpd.GeoDataFrame, near: str, versus: list[str], frame):
    """The part of ``frame`` nearer to ``near``'s coast than to any ``versus`` coast.

    A median line from the Voronoi cells of the coastline vertices (in degrees).
    """
    area = frame.buffer(1.0)
    by_iso = countries.set_index("iso3").geometry
    pts, owner = [], []
    for iso in [near, *versus]:
        coast = shapely.intersection(by_iso[iso].boundary, area)
        xy = shapely.get_coordinates(coast)
        pts.append(xy)
        owner.append(np.full(len(xy), iso == near))
    xy, is_near = np.vstack(pts), np.concatenate(owner)
    xy, first = np.unique(np.round(xy, 4), axis=0, return_index=True)
    is_near = is_near[first]
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(xy), extend_to=area))
    # voronoi cells come back in arbitrary order: match them to their points
    tree = shapely.STRtree(cells)
    cell_of = tree.query(shapely.points(xy), predicate="within")
    near_cells = cells[np.unique(cell_of[1][is_near[cell_of[0]]])]
    return shapely.intersection(frame, shapely.union_all(near_cells))


def build_sar_regions(countries: gpd.GeoDataFrame, place_ids: set[str]) -> gpd.GeoDataFrame:
    land = shapely.union_all(countries.geometry.values)
    taken = shapely.Polygon()
    records, geoms = [], []
    for r in read_csv("sar_regions.csv"):
        geom = wkt.loads(r["wkt"])
        if r["near"]:
            geom = nearer_to(countries, r["near"], r["versus"].split(";"), geom)
        # earlier rows take precedence where hand-drawn outlines overlap
        geom = shapely.difference(geom, taken)
        taken = shapely.union(taken, geom)
        sea = shapely.difference(geom, land)
        sea = snap(sea, COUNTRY_GRID)
        parts = shapely.get_parts(sea)
        parts = parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 1e-6)]
        sea = shapely.MultiPolygon(list(parts)) if len(parts) > 1 else parts[0]
        for port in filter(None, r["ports"].split(";")):
            if port not in place_ids:
                fail(f"SAR region {r['id']}: unknown port {port!r}")
        records.append({k: r[k] for k in ("id", "name", "state", "ports")})
        geoms.append(sea)
    return gpd.GeoDataFrame(pd.DataFrame.from_records(records), geometry=geoms, crs=4326)


# --- patrol areas ---------------------------------------------------------------------


def build_patrol_areas(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    by_iso = countries.set_index("iso3").geometry
    records, geoms = [], []
    for r in read_csv("patrol_areas.csv"):
        frame = wkt.loads(r["wkt"])
        if r["border"]:
            a, b = r["border"].split(";")
            shared = shapely.intersection(by_iso[a].boundary, by_iso[b].boundary)
            shared = shapely.intersection(shared, frame)
            if shared.is_empty:
                fail(f"patrol area {r['id']}: {a} and {b} share no border inside its box")
            geom = geodesic_buffer(shapely.line_merge(shared), float(r["buffer_km"]))
        else:
            geom = frame
        geom = snap(geom, COUNTRY_GRID)
        if geom.geom_type != "Polygon":
            fail(f"patrol area {r['id']}: expected one Polygon, got {geom.geom_type}")
        records.append({k: r[k] for k in ("id", "name", "kind", "force", "country", "route")})
        geoms.append(geom)
    return gpd.GeoDataFrame(pd.DataFrame.from_records(records), geometry=geoms, crs=4326)


# --- main -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-atlas", type=Path, help="path to countries-10m.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        topojson = args.world_atlas or fetch_world_atlas(Path(tmp))
        countries = build_countries(topojson)
    places = build_places()
    legs = build_legs(places)
    sar = build_sar_regions(countries, set(places["id"]))
    patrols = build_patrol_areas(countries)
    written = [
        write_geojson(countries, "countries", 4),
        write_geojson(places, "places", POINT_DECIMALS),
        write_geojson(legs, "legs", POINT_DECIMALS),
        write_geojson(sar, "sar_regions", 4),
        write_geojson(patrols, "patrol_areas", 4),
    ]
    total = 0
    for path in written:
        size = path.stat().st_size
        total += size
        print(f"{path.name:24s} {size / 1e6:6.3f} MB")
    print(f"{'total':24s} {total / 1e6:6.3f} MB")
    if total >= 3_000_000:
        fail("layers exceed 3 MB")


if __name__ == "__main__":
    main()
