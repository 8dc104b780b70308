"""Migration's fates that the dated levers of past years need: closures and pushbacks."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from test_model import geography

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
