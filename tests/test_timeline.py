"""Dated lever changes and the push table, in scenarios and in the model's runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from test_model import geography

from routesim.model import RouteModel, simulate
from routesim.scenario import ScenarioError, load_scenario

START = dt.date(2023, 1, 1)


def _scenario(tmp_path: Path, body: str, days: int = 60):
    path = tmp_path / "s.toml"
    path.write_text(
        f'[scenario]\nname = "t"\nstart = {START}\ndays = {days}\n'
        f"[parameters]\nwarmup_days = 30\n{body}",
        encoding="utf-8",
    )
    return load_scenario(path)


def test_changes_apply_on_top_of_each_other_in_date_order(tmp_path):
    scenario = _scenario(
        tmp_path,
        """
[[timeline]]
date = 2023-03-01
set = { "levers.ngo_vessels" = 8 }

[[timeline]]
date = 2023-02-01
label = "MoU"
set = { "levers.partner_coast_guard.tunisia" = 2.5, "levers.ngo_vessels" = 0 }
""",
    )
    first, second = scenario.phases()
    assert (first.date, first.label) == (dt.date(2023, 2, 1), "MoU")
    assert first.scenario.levers.ngo_vessels == 0
    assert second.scenario.levers.ngo_vessels == 8
    assert second.scenario.levers.partner_coast_guard.tunisia == 2.5
    assert scenario.levers.ngo_vessels == 3  # the scenario itself is unchanged


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            '"levers.ngo_vesels" = 1',
            'timeline[0].set."levers.ngo_vesels": not a lever or assumption '
            "(did you mean levers.ngo_vessels?)",
        ),
        (
            '"levers.ngo_vessels" = 99',
            'timeline[0].set."levers.ngo_vessels": expected a number from 0 to 20, got 99',
        ),
        ('"assumptions.risk_prior" = 1', "acts at the start of a run only"),
        ('"parameters.warmup_days" = 3', "not a lever or assumption"),
    ],
)
def test_a_bad_change_names_the_file_the_entry_and_the_key(tmp_path, change, message):
    with pytest.raises(ScenarioError) as info:
        _scenario(tmp_path, f"[[timeline]]\ndate = 2023-02-01\nset = {{ {change} }}\n")
    assert str(info.value).startswith(str(tmp_path / "s.toml"))
    assert message in str(info.value)


def test_a_run_is_the_same_until_the_change_and_differs_after(tmp_path):
    base = _scenario(tmp_path, "")
    changed = _scenario(
        tmp_path,
        '[[timeline]]\ndate = 2023-02-01\nset = { "levers.boat_seizure" = 0.9 }\n',
    )
    a = simulate(base, seed=3, scale=100, geography=geography())
    b = simulate(changed, seed=3, scale=100, geography=geography())
    before = a["date"] < pd.Timestamp("2023-02-01")
    pd.testing.assert_frame_equal(a[before], b[before])
    central = (a["route"] == "central_med") & ~before
    assert b.loc[central, "departures"].sum() < a.loc[central, "departures"].sum()


def test_a_change_dated_before_the_run_is_in_force_from_the_start(tmp_path):
    direct = _scenario(tmp_path, "[levers]\nngo_vessels = 9\n")
    dated = _scenario(
        tmp_path, '[[timeline]]\ndate = 2020-01-01\nset = { "levers.ngo_vessels" = 9 }\n'
    )
    pd.testing.assert_frame_equal(
        simulate(direct, seed=5, scale=200, geography=geography()),
        simulate(dated, seed=5, scale=200, geography=geography()),
    )


def test_rescue_vessels_follow_the_levers_on_their_date(tmp_path):
    scenario = _scenario(
        tmp_path,
        '[[timeline]]\ndate = 2023-01-20\nset = { "levers.ngo_vessels" = 0 }\n'
        '[[timeline]]\ndate = 2023-02-10\nset = { "levers.ngo_vessels" = 7 }\n',
    )
    model = RouteModel(scenario, seed=1, scale=200, geography=geography())
    ngo = {}
    for _ in range(model.warmup + scenario.scenario.days):
        model.step()
        ngo[model.date] = sum(v.kind == "ngo" for v in model.rescue.vessels["central_med"])
    assert ngo[dt.date(2023, 1, 19)] == 3
    assert ngo[dt.date(2023, 1, 20)] == 0
    assert ngo[dt.date(2023, 2, 10)] == 7
    assert model.rescue.capacity("central_med") == pytest.approx((6 + 7) / 9)


def test_a_push_table_sets_each_origins_people_by_month(tmp_path, monkeypatch):
    folder = tmp_path / "user"
    (folder / "push").mkdir(parents=True)
    rows = ["origin,month,people"]
    rows += [f"bamako,2022-{m:02d},0" for m in range(1, 13)]  # warm-up months: none
    rows += ["bamako,2023-01,31000", "bamako,2023-02,0"]
    (folder / "push" / "test-push.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("ROUTESIM_PATH", str(folder))
    scenario = _scenario(tmp_path, "").with_overrides({"scenario.push": "test-push"})
    model = RouteModel(scenario, seed=1, scale=200, geography=geography())
    hubs = [hub for _, hub, _ in model.migration.origins]
    per_day = {}
    for _ in range(model.warmup + scenario.scenario.days):
        model.step()
        per_day[model.date] = dict(zip(hubs, model.migration.per_day, strict=True))
    assert per_day[dt.date(2022, 12, 15)]["bamako"] == 0
    assert per_day[dt.date(2023, 1, 15)]["bamako"] == pytest.approx(1000)
    assert per_day[dt.date(2023, 2, 15)]["bamako"] == 0
    # Origins the table does not have keep people_per_year.
    dakar = scenario.parameters.origins["dakar"].people_per_year / 365
    assert per_day[dt.date(2023, 1, 15)]["dakar"] == pytest.approx(dakar)


def test_an_unknown_push_table_is_refused_before_the_run():
    with pytest.raises(ScenarioError, match=r"--set scenario.push='nope': no push table 'nope'"):
        load_scenario().with_overrides({"scenario.push": "nope"})
