"""The push by nationality: derived from nationality totals only, on tables never seen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from routesim.cli import main
from routesim.errors import RoutesimError
from routesim.push import (
    anchor_people,
    derive_push,
    read_mapping,
    read_push,
    write_push,
    yearly_people,
)

#: The 2015-2023 reference table (outside the project: ../shared/data/history).
HISTORY = Path(__file__).resolve().parents[2] / (
    "shared/data/history/frontex_detections_by_route_nationality_year_2015_2023.csv"
)
needs_history = pytest.mark.skipif(not HISTORY.exists(), reason=f"no {HISTORY}")

#: Every code with more than 1% of some year's detections in the 2015-2023 table.
# fmt: off
OVER_ONE_PERCENT = [
    "AFG", "ALB", "BFA", "BGD", "CIV", "CMR", "COD", "DZA", "EGY", "ERI", "GHA", "GIN", "GMB",
    "IND", "IRN", "IRQ", "MAR", "MLI", "NGA", "OOO", "OOS", "PAK", "PSE", "SDN", "SEN", "SOM",
    "SYR", "TUN", "TUR", "UKR", "XKX",
]
# fmt: on


def _table(tmp_path: Path, rows: list[tuple[int, str, str, str, int]], name: str = "t.csv"):
    path = tmp_path / name
    pd.DataFrame(
        rows, columns=["year", "route_id", "border_type", "nationality_iso3", "detections"]
    ).to_csv(path, index=False)
    return path


def _synthetic(year: int) -> list[tuple[int, str, str, str, int]]:
    return [
        (year, "eastern_med", "Sea", "SYR", 30_000),
        (year, "western_balkans", "Land", "SYR", 12_000),
        (year, "central_med", "Sea", "SYR", 3_000),
        (year, "eastern_med", "Land", "AFG", 9_000),
        (year, "western_balkans", "Land", "AFG", 6_000),
        (year, "central_med", "Sea", "GIN", 8_000),
        (year, "western_african", "Sea", "GIN", 4_000),
        (year, "central_med", "Sea", "TUN", 10_000),
        (year, "circular_albania_greece", "Land", "ALB", 500),
        (year, "central_med", "Sea", "OOO", 2_000),
        (year, "western_med", "Sea", "QQQ", 700),  # a code the mapping does not list
    ]


def _yearly(push) -> pd.DataFrame:
    people = push.people.assign(year=push.people["month"].str[:4].astype(int))
    return people.groupby(["year", "origin"])["people"].sum().unstack(0)


def test_mapping_covers_every_nationality_over_one_percent_of_a_year():
    mapping, _, _ = read_mapping()
    known = set(mapping.nationalities) | set(mapping.unknown.codes)
    assert [code for code in OVER_ONE_PERCENT if code not in known] == []


@needs_history
def test_over_one_percent_list_is_the_history_tables():
    table = pd.read_csv(HISTORY)
    totals = table.groupby(["year", "nationality_iso3"])["detections"].sum()
    shares = totals / totals.groupby("year").transform("sum")
    assert sorted(shares[shares > 0.01].index.get_level_values(1).unique()) == OVER_ONE_PERCENT


def test_unseen_year_is_derived_and_anchored(tmp_path):
    push = derive_push(_table(tmp_path, _synthetic(2031)))
    mapping, _, _ = read_mapping()
    people = anchor_people()
    yearly = _yearly(push)[2031]
    # SYR 45,000 x (0.7, 0.3), AFG 15,000, GIN 12,000, TUN 10,000; ALB dropped; OOO and
    # QQQ (2,700) spread over the 82,500 listed, ALB included.
    spread = 1 + 2_700 / 82_500
    detections = {
        "gaziantep": 31_500,
        "damascus": 13_500,
        "van": 15_000,
        "conakry": 12_000,
        "tunis": 10_000,
    }
    assert sorted(yearly.index) == sorted(detections)
    for hub, count in detections.items():
        expected = people[hub] * count * spread / mapping.anchor.detections[hub]
        assert yearly[hub] == pytest.approx(expected)
    assert push.unlisted == {"QQQ": 700}
    assert push.people.groupby("origin")["month"].nunique().eq(12).all()
    # Flat over days: July has 31/365 of the year.
    july = push.people.set_index(["origin", "month"]).loc[("van", "2031-07"), "people"]
    assert july == pytest.approx(yearly["van"] * 31 / 365)


def test_route_split_does_not_matter(tmp_path):
    rows = _synthetic(2015) + _synthetic(2022)
    rng = np.random.default_rng(7)
    table = pd.DataFrame(
        rows, columns=["year", "route_id", "border_type", "nationality_iso3", "detections"]
    )
    shuffled = table.copy()
    for _, index in shuffled.groupby(["year", "nationality_iso3"]).groups.items():
        shuffled.loc[index, "route_id"] = rng.permutation(shuffled.loc[index, "route_id"])
    assert not shuffled["route_id"].equals(table["route_id"])
    table.to_csv(tmp_path / "a.csv", index=False)
    shuffled.to_csv(tmp_path / "b.csv", index=False)
    a, b = derive_push(tmp_path / "a.csv"), derive_push(tmp_path / "b.csv")
    pd.testing.assert_frame_equal(a.people, b.people)
    pd.testing.assert_frame_equal(a.years, b.years)


@needs_history
def test_route_split_does_not_matter_on_the_history_table(tmp_path):
    table = pd.read_csv(HISTORY)
    rng = np.random.default_rng(2015)
    table["route_id"] = table.groupby(["year", "nationality_iso3"])["route_id"].transform(
        lambda routes: rng.permutation(routes.to_numpy())
    )
    table.to_csv(tmp_path / "shuffled.csv", index=False)
    pd.testing.assert_frame_equal(
        derive_push(HISTORY).people, derive_push(tmp_path / "shuffled.csv").people
    )


@needs_history
def test_anchor_is_the_2023_detections_and_2023_is_the_baseline():
    mapping, _, _ = read_mapping()
    detections = derive_push(HISTORY, years=[mapping.anchor.year], scaled=False)
    at_hubs = _yearly(detections)[mapping.anchor.year]
    assert at_hubs.to_dict() == pytest.approx(mapping.anchor.detections, abs=0.1)
    people = yearly_people(derive_push(HISTORY, years=[2023]).people, 2023)
    # The anchor is written to a tenth of a detection.
    assert people == pytest.approx({hub: anchor_people()[hub] for hub in people}, rel=1e-4)


def test_double_count_removes_unknown_first_then_the_corridor(tmp_path):
    mapping, _, _ = read_mapping()
    share = mapping.double_count.repeat_share[2015]
    counted = derive_push(_table(tmp_path, _synthetic(2015)), scaled=False)
    plain = derive_push(_table(tmp_path, _synthetic(2017), "plain.csv"), scaled=False)
    year, other = counted.years.loc[2015], plain.years.loc[2017]
    total = 85_200
    assert year.second_counts == pytest.approx(share * total)
    assert other.second_counts == 0
    # Second counts beyond the 2,700 unattributed come off the corridor hubs only.
    corridor = mapping.double_count.corridor
    removed = share * total - 2_700
    before, after = _yearly(plain)[2017], _yearly(counted)[2015]
    assert after[corridor].sum() == pytest.approx(45_000 + 15_000 - removed)
    for hub in ("conakry", "tunis"):
        assert after[hub] == pytest.approx(before[hub] / (1 + 2_700 / 82_500))
    assert year.at_hubs == pytest.approx(total - 500 - share * total)


def test_double_count_larger_than_the_corridor_is_an_error(tmp_path):
    rows = [(2015, "central_med", "Sea", "GIN", 10_000), (2015, "eastern_med", "Sea", "SYR", 10)]
    path = _table(tmp_path, rows)
    with pytest.raises(RoutesimError, match=rf"^{path}: year 2015: the double-count rule"):
        derive_push(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns="detections"), r"column detections: missing"),
        (lambda t: t.assign(extra=1), r"column extra: unexpected"),
        (lambda t: t.assign(detections=["-3", *t["detections"][1:]]), r"line 2: column detections"),
        (lambda t: t.assign(nationality_iso3="syr"), r"line 2: column nationality_iso3"),
        (lambda t: t.assign(year=["2024", "24", *t["year"][2:]]), r"line 3: column year"),
    ],
)
def test_bad_table_is_one_line_naming_file_and_column(tmp_path, change, message):
    table = pd.read_csv(_table(tmp_path, _synthetic(2024)), dtype=str)
    path = tmp_path / "bad.csv"
    change(table).to_csv(path, index=False)
    with pytest.raises(RoutesimError, match=rf"^{path}: {message}") as raised:
        derive_push(path)
    assert "\n" not in str(raised.value)


def test_year_not_in_table_and_missing_file_are_errors(tmp_path):
    path = _table(tmp_path, _synthetic(2024))
    with pytest.raises(RoutesimError, match=r"no rows for year 2023 \(years in the table: 2024\)"):
        derive_push(path, years=[2023])
    with pytest.raises(RoutesimError, match=r"nothing.csv: no such file"):
        derive_push(tmp_path / "nothing.csv")


def test_bad_mapping_names_file_and_key(tmp_path):
    text = Path(read_mapping()[1]).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("gaziantep = 0.7", "gaziantep = 0.6"), encoding="utf-8")
    with pytest.raises(RoutesimError, match=r"bad.toml: nationalities.SYR.hubs: .*add up to 0.9"):
        read_mapping(bad)
    bad.write_text(text.replace("MLI = { hubs = { bamako", "MLI = { hubs = { timbuktu"))
    with pytest.raises(RoutesimError, match=r"'timbuktu' is not an origin"):
        read_mapping(bad)


def test_written_push_reads_back_and_bad_rows_are_named(tmp_path):
    push = derive_push(_table(tmp_path, _synthetic(2024)))
    path = write_push(push, tmp_path / "push.csv", "routesim push t.csv")
    text = path.read_text(encoding="utf-8")
    assert "# input: " in text and "sha256" in text and "# command: routesim push" in text
    back = read_push(path)
    assert yearly_people(back, 2024) == pytest.approx(yearly_people(push.people, 2024), rel=1e-6)
    lines = text.splitlines()
    header = sum(line.startswith("#") for line in lines)
    lines[header + 3] = lines[header + 3].replace("conakry", "atlantis")
    (tmp_path / "bad.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RoutesimError, match=rf"bad.csv: line {header + 4}: column origin"):
        read_push(tmp_path / "bad.csv")
    with pytest.raises(RoutesimError, match="no rows for 2030"):
        yearly_people(back, 2030)


def test_cli_writes_the_table_and_a_summary(tmp_path, capsys):
    table = _table(tmp_path, _synthetic(2024))
    out = tmp_path / "push.csv"
    assert main(["push", str(table), "--years", "2024", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "2024" in printed.out and str(out) in printed.out
    assert "QQQ 700" in printed.err
    assert f"--years 2024-2024 --mapping nationality-hubs --out {out}" in out.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("year,route,nationality_iso3,detections\n2024,x,SYR,1\n")
    assert main(["push", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"routesim: error: {bad}: column route_id: missing")
    assert "\n" not in err


def test_a_year_of_push_plugs_into_a_scenario_in_one_call(tmp_path):
    from routesim.scenario import load_scenario

    people = yearly_people(derive_push(_table(tmp_path, _synthetic(2024))).people, 2024)
    scenario = load_scenario("baseline-2023").with_overrides(
        {f"parameters.origins.{hub}.people_per_year": n for hub, n in people.items()}
    )
    origins = scenario.parameters.origins
    assert {hub: origins[hub].people_per_year for hub in people} == people
    assert origins["athens"].people_per_year == anchor_people()["athens"]
