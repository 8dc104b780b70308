"""Migration's fates that the dated levers of past years need: closures and pushbacks."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
from test_model import geography

from routesim.errors import ModelSetupError
from routesim.migrants import State
from routesim.model import RouteModel, simulate
from routesim.scenario import load_scenario

START = dt.date(2023, 1, 1)


def _baseline(days: int, **overrides):
    settings = {
        "scenario.start": START,
        "scenario.days": days,
        "parameters.warmup_days": 30,
        **overrides,
    }
    return load_scenario("baseline-2023").with_overrides(settings)


def test_closures_delay_departures_rather_than_cancel_them(tmp_path):
    """Everyone held at home in January weighs a move again in the months after."""
    path = tmp_path / "closed.toml"
    path.write_text(
        f'[scenario]\nname = "t"\nstart = {START}\ndays = 300\n'
        "[parameters]\nwarmup_days = 30\n"
        '[[timeline]]\ndate = 2023-01-01\nset = { "levers.covid_closures" = 1.0 }\n'
        '[[timeline]]\ndate = 2023-02-01\nset = { "levers.covid_closures" = 0.0 }\n',
        encoding="utf-8",
    )
    model = RouteModel(load_scenario(path), seed=4, scale=200, geography=geography())
    drawn, weighing = Counter(), Counter()
    after_closures = model.migration._after_closures

    def counted(origin, people):
        month = model.date.month if model.date.year == 2023 else 0
        drawn[month] += people
        weighing[month] += (out := after_closures(origin, people))
        return out

    model.migration._after_closures = counted
    daily = model.run()
    assert weighing[1] == 0 and drawn[1] > 0
    late = sum(weighing[m] - drawn[m] for m in range(2, 13))
    assert late + model.migration.postponed.sum() == drawn[1]
    assert late > 0.97 * drawn[1]  # 1 - exp(-269 / 60) of them by the end
    # Only people already on their way, moving on to another crossing, set out in January.
    january = daily["date"] < "2023-02-01"
    assert daily.loc[january, "set_out"].sum() < 0.02 * daily["set_out"].sum()


def test_people_turned_back_at_sea_are_intercepted_but_not_detected():
    every_boat_intercepted = {"parameters.eu_sea_interception.eastern_med": 1.0}
    totals = {}
    for pushbacks in (0.0, 4.0):
        scenario = _baseline(60, **every_boat_intercepted, **{"levers.sea_pushbacks": pushbacks})
        daily = simulate(scenario, seed=2, scale=100, geography=geography())
        aegean = daily[daily["route"] == "eastern_med"]
        totals[pushbacks] = aegean[["eu_interceptions", "detections"]].sum()
    # Landed, every intercepted person is a detection; turned back, none is.
    assert totals[0.0]["eu_interceptions"] <= totals[0.0]["detections"]
    turned_back = totals[4.0]["eu_interceptions"] - totals[4.0]["detections"]
    assert turned_back > 0.2 * totals[4.0]["eu_interceptions"]


def test_police_take_people_from_the_border_hubs_far_away_and_they_come_back():
    """Serbia's police clear its border hubs: the people go to Preševo, then back or elsewhere."""
    clearing = {f"parameters.camp_clearing.{iso3}": 0.0 for iso3 in ("BIH", "TUR", "MAR")}
    scenario = _baseline(40, **clearing, **{"parameters.camp_clearing.SRB": 0.3})
    model = RouteModel(scenario, seed=5, scale=20, geography=geography())
    migration, j = model.migration, model.journeys
    serbian = {c.index for c in model.land_crossings if c.country == "SRB"}
    presevo = j.place_index["presevo"]
    moved_rows: list = []
    move_away = migration.move_away

    def watched(crossings, shares):
        before = {c.index: int(migration.lines.lengths[c.index]) for c in crossings}
        size = migration.migrants.size
        move_away(crossings, shares)
        m = migration.migrants
        rows = np.flatnonzero(m.place[:size] == presevo)
        rows = rows[(m.state[rows] == State.SENT_BACK) & (m.since[rows] == model.day)]
        moved_rows.append(rows)
        # Only people waiting at a Serbian hub are taken, and no more than were waiting.
        assert set(m.crossing[rows].tolist()) <= serbian
        assert m.headcount(rows) <= sum(before[c] for c in serbian)

    migration.move_away = watched
    daily = model.run()
    moved = np.unique(np.concatenate(moved_rows))
    relocated = daily.groupby("route")["relocated"].sum()
    assert relocated["western_balkans"] > 0
    assert relocated.drop("western_balkans").sum() == 0
    # Days later, some of those taken away are waiting at a border hub again, or left for
    # another crossing; none is still held where they were taken on the last day.
    m = migration.migrants
    back = np.isin(m.state[moved], [State.WAITING, State.TRAVELLING, State.ARRIVED])
    assert back.any()


def test_a_relocation_place_not_in_the_geodata_is_named():
    scenario = _baseline(10, **{"parameters.relocation_place.SRB": "nowhere"})
    with pytest.raises(ModelSetupError, match=r"parameters\.relocation_place\.SRB: 'nowhere'"):
        RouteModel(scenario, seed=1, scale=100, geography=geography())
