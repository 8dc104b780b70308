"""Joint calibration over past years: gaps taken over every year, profiles, written sets."""

from __future__ import annotations

import math

import pytest
from hindcast_fakes import observed_ensemble

from routesim import calibration
from routesim.calibration import CalibrationSettings
from routesim.cli import main
from routesim.errors import RoutesimError
from routesim.hindcast import Hindcast
from routesim.history_calibration import (
    YearsFit,
    calibrate_years,
    write_history_parameter_set,
    write_history_report,
)
from routesim.parameters import Parameters
from routesim.resources import PATH_VARIABLE
from routesim.routes import ROUTES
from routesim.scenario import load_scenario

YEARS = (2019, 2021)


def _fit(bias) -> YearsFit:
    return YearsFit(Hindcast(observed_ensemble(YEARS, (1.0,), bias), YEARS))


def test_every_year_counts_alike_in_a_routes_gap():
    # Central Med twice the observed in 2019, half in 2020, right in 2021: on average
    # right, so its preference stays; the Western Med twice the observed every year.
    factors = {("central_med", 2019): 2.0, ("central_med", 2020): 0.5}
    fit = _fit(lambda route, year: 2.0 if route == "western_med" else factors.get((route, year), 1))
    gaps = fit.gaps
    assert gaps.level["central_med"] == pytest.approx(0.0, abs=1e-9)
    assert gaps.level["western_med"] == pytest.approx(-math.log(2))
    assert gaps.level["eastern_med"] == pytest.approx(0.0, abs=1e-9)
    # Twice the people and twice the dead: crossings as deadly as observed, hazards stay.
    assert gaps.deaths["western_med"] == pytest.approx(0.0, abs=1e-3)
    # The years disagree about the Central Med's constant, not about the Western Med's.
    spread = fit.year_disagreement()
    assert spread["central_med"] > 0.3
    assert spread["western_med"] == pytest.approx(0.0, abs=1e-9)
    # A step closes the gaps: the Western Med's preference falls, the Central Med's stays.
    after = calibration.step(Parameters(), gaps, 1.0)
    assert after.route_preference["western_med"] == pytest.approx(
        Parameters().route_preference["western_med"] - math.log(2)
    )
    assert after.route_preference["central_med"] == pytest.approx(
        Parameters().route_preference["central_med"]
    )


def test_the_ard_that_picks_a_fit_is_zero_only_at_the_observed_figures():
    assert _fit(lambda route, year: 1.0).ard == pytest.approx(0.0, abs=1e-12)
    doubled = _fit(lambda route, year: 2.0)
    assert doubled.ard == pytest.approx(1.0)
    assert doubled.scores()["directions_right"] == doubled.scores()["directions"]


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"distance_weigth": [0.1]}, "not a behaviour parameter"),
        ({"route_preference": [0.1]}, "not a behaviour parameter"),
        ({"distance_weight": [-1.0]}, r"distance_weight=-1: .*greater than or equal to 0"),
    ],
)
def test_a_bad_profile_is_refused_before_any_run(grid, message):
    scenario = load_scenario("history-2015-2023")
    with pytest.raises(RoutesimError, match=message):
        calibrate_years(scenario, (2023, 2023), CalibrationSettings(iterations=1), grid)


def test_a_short_joint_fit_profiles_writes_and_is_used(tmp_path, monkeypatch):
    scenario = load_scenario("history-2015-2023", ["parameters.warmup_days=30"])
    settings = CalibrationSettings(iterations=1, replicates=1, scale=400, seed=3, workers=1)
    seen = []
    grid = {"distance_weight": [0.15, 0.6]}
    result = calibrate_years(
        scenario, (2022, 2023), settings, grid, lambda p, k, f: seen.append((p, k))
    )
    assert seen == [({"distance_weight": w}, k) for w in (0.15, 0.6) for k in (1, 2)]
    assert list(result.profile["distance_weight"]) == [0.15, 0.6]
    kept = result.profile.loc[result.profile["ard"].idxmin(), "distance_weight"]
    assert result.parameters.distance_weight == kept
    assert set(result.history["year"]) == {2022, 2023}
    paths = write_history_report(result, tmp_path)
    assert all(path.exists() and path.stat().st_size > 0 for path in paths)
    folder = tmp_path / "parameters"
    folder.mkdir()
    written = write_history_parameter_set(result, folder, "joint")
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    loaded = load_scenario("history-2015-2023", ["scenario.parameters=joint"]).parameters
    assert written == folder / "joint.toml"
    assert loaded.distance_weight == kept
    assert loaded.route_preference == pytest.approx(result.parameters.route_preference, rel=1e-5)
    assert set(loaded.route_preference) == set(ROUTES)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--profile", "distance_weight=1"], "--profile: profiling needs --years"),
        (["--years", "2019-2023", "--profile", "distance_weight"], "expected NAME=V1,V2"),
        (["--years", "2014-2023"], "--years 2014-2023: expected years from 2015"),
    ],
)
def test_the_command_refuses_bad_arguments_in_one_line(arguments, message, capsys, tmp_path):
    assert main(["calibrate", "--out", str(tmp_path), *arguments]) == 2
    error = capsys.readouterr().err.strip()
    assert message in error
    assert "Traceback" not in error
