"""Outcomes kept of a run: totals per route agree with the daily table; target strings."""

from __future__ import annotations

import pandas as pd
import pytest
from ensemble_fakes import fake_simulate

from routesim.outcomes import target_value
from routesim.scenario import load_scenario
from routesim.sweeps.outcomes import OutcomeSpec, target_problem


def test_totals_and_targets_match_the_daily_table():
    scenario = load_scenario("baseline-2023", ["scenario.days=20"])
    daily = fake_simulate(scenario, seed=3, scale=2.0)
    by_country = pd.DataFrame(
        {"departures": [10.0], "partner_interceptions": [4.0], "arrivals": [6.0]},
        index=pd.Index(["TUN"], name="country"),
    )
    spec = OutcomeSpec(
        metrics=("departures", "waiting"),
        routes=("central_med", "all"),
        targets=(
            "death_rate.central_med",
            "partner_interceptions.tunisia",
            "departures.central_med",
        ),
    )
    values = spec.evaluate(scenario, daily, by_country, scale=2.0)
    assert list(values) == spec.columns()
    central = daily[daily["route"] == "central_med"]
    assert values["departures.central_med"] == central["departures"].sum()
    assert values["departures.all"] == daily["departures"].sum()
    assert values["waiting.central_med"] == pytest.approx(central["waiting"].mean())
    assert values["partner_interceptions.tunisia"] == 4.0
    assert values["death_rate.central_med"] == target_value(
        "death_rate.central_med", daily, by_country
    )


@pytest.mark.parametrize(
    "target",
    [
        "undetected_share",
        "boat_risk",
        "death_rate.all",
        "death_rate.atlantic",
        "returns",
        "departures.central_med",
        "arrivals.senegal",
        "partner_interceptions.libya",
    ],
)
def test_valid_targets(target):
    assert target_problem(target) is None


@pytest.mark.parametrize(
    "target",
    [
        "undetected_share.central_med",
        "death_rate.central",
        "deaths",
        "departures.atlantis",
        "rescues.libya",
        "price.central_med",
    ],
)
def test_invalid_targets(target):
    assert target_problem(target)
