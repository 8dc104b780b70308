"""Calibration: each step moves parameters towards the observed figures; results are written."""

import numpy as np
import pandas as pd
import pytest

from routesim import calibration
from routesim.calibration import CalibrationSettings, calibrate
from routesim.errors import RoutesimError
from routesim.observed import load_observed
from routesim.parameters import Parameters
from routesim.resources import PATH_VARIABLE
from routesim.routes import ROUTES
from routesim.scenario import load_scenario
from routesim.scoring import Fit


def fit_with(detections_factor: dict, deaths_factor: dict, observed) -> Fit:
    """A made-up fit: observed months scaled per route, and deaths per detection."""
    months = pd.DataFrame(
        [np.array(observed.detections[r], float) * detections_factor[r] for r in ROUTES],
        index=ROUTES,
        columns=range(1, 13),
    )
    deaths = pd.Series(
        {r: observed.dead_missing[r] * detections_factor[r] * deaths_factor[r] for r in ROUTES}
    )
    totals = months.sum(axis=1)
    return Fit(
        detections=months,
        set_out=months,
        dead_missing=deaths,
        detections_p05=totals,
        detections_p95=totals,
    )


def test_a_step_closes_each_gap_in_the_right_direction():
    observed = load_observed(2023)
    start = Parameters()
    too_many = dict.fromkeys(ROUTES, 1.0) | {"central_med": 2.0, "western_med": 0.5}
    too_deadly = dict.fromkeys(ROUTES, 1.0) | {"western_african": 3.0, "eastern_med": 0.2}
    after = calibration.step(start, fit_with(too_many, too_deadly, observed).gaps(observed), 0.5)
    assert after.route_preference["central_med"] < start.route_preference["central_med"]
    assert after.route_preference["western_med"] > start.route_preference["western_med"]
    assert after.route_preference["eastern_med"] == pytest.approx(
        start.route_preference["eastern_med"]
    )
    assert after.sea_hazard["canaries"] < start.sea_hazard["canaries"]
    assert after.sea_hazard["aegean"] > start.sea_hazard["aegean"]
    assert after.sea_hazard["alboran"] == pytest.approx(start.sea_hazard["alboran"])
    # A simulated curve with the observed shape needs no seasonal correction.
    assert after.seasonal_cos["eastern_med"] == pytest.approx(0.0, abs=1e-9)


def test_a_seasonal_gap_moves_the_harmonics_towards_the_observed_peak():
    observed = load_observed(2023)
    months = pd.DataFrame(
        [np.full(12, sum(observed.detections[r]) / 12) for r in ROUTES],
        index=ROUTES,
        columns=range(1, 13),
    )
    flat = Fit(
        detections=months,
        set_out=months,
        dead_missing=pd.Series(observed.dead_missing, dtype=float),
        detections_p05=pd.Series(dtype=float),
        detections_p95=pd.Series(dtype=float),
    )
    after = calibration.step(Parameters(), flat.gaps(observed), 1.0)
    # The Atlantic route peaks in October-December: the fitted harmonic must favour autumn.
    angles = 2 * np.pi * np.arange(12) / 12
    season = after.seasonal_cos["western_african"] * np.cos(angles) + after.seasonal_sin[
        "western_african"
    ] * np.sin(angles)
    assert np.argmax(season) in (8, 9, 10, 11)


ANGLES = 2 * np.pi * np.arange(12) / 12


def peaked_at(month: int) -> np.ndarray:
    return 1000 * (1 + 0.5 * np.cos(ANGLES - ANGLES[month]))


def test_the_transfer_measures_the_journeys_lag():
    gain = calibration._transfer(peaked_at(3), peaked_at(5))
    lag_months = -np.angle(gain[0]) / (2 * np.pi / 12)
    assert lag_months == pytest.approx(2.0)
    assert abs(gain[0]) == pytest.approx(1.0)


def test_corrections_at_departure_come_a_lag_earlier_and_undo_damping():
    wanted = np.array([np.cos(ANGLES[9]), np.sin(ANGLES[9]), 0.0, 0.0])  # more in October
    two_months_late_and_halved = np.array([0.5 * np.exp(-1j * ANGLES[2]), 1.0])
    change = calibration._at_departure(wanted, two_months_late_and_halved)
    season = change[0] * np.cos(ANGLES) + change[1] * np.sin(ANGLES)
    assert np.argmax(season) == 7  # August: people set out two months before detection
    assert np.hypot(change[0], change[1]) == pytest.approx(2.0)


def test_a_short_calibration_runs_and_reports(tmp_path, monkeypatch):
    scenario = load_scenario("baseline-2023", ["parameters.warmup_days=30"])
    settings = CalibrationSettings(iterations=2, replicates=2, scale=200, seed=1, workers=1)
    seen = []
    result = calibrate(scenario, load_observed(2023), settings, lambda k, t: seen.append(k))
    assert seen == [1, 2, 3]  # two iterations, then the averaged parameters
    assert set(result.history["iteration"]) == {1, 2, 3}
    assert set(result.history["route"]) == set(ROUTES)
    assert result.parameters != scenario.parameters
    paths = calibration.write_report(result, tmp_path)
    assert all(path.exists() and path.stat().st_size > 0 for path in paths)
    # The fitted set, written outside the package, is used from a folder on ROUTESIM_PATH.
    (tmp_path / "parameters").mkdir()
    written = calibration.write_parameter_set(result, tmp_path / "parameters", "fitted")
    assert written == tmp_path / "parameters" / "fitted.toml"
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    loaded = load_scenario("baseline-2023", ["scenario.parameters=fitted"]).parameters
    fitted = result.parameters.route_preference
    assert loaded.route_preference == pytest.approx(fitted, rel=1e-5)


def test_calibration_needs_a_calendar_year():
    scenario = load_scenario("baseline-2023", ["scenario.days=60"])
    with pytest.raises(RoutesimError, match="calendar year"):
        calibrate(scenario, load_observed(2023), CalibrationSettings(iterations=1))


def test_a_continued_fit_keeps_what_its_starting_set_changed(tmp_path, monkeypatch):
    """A set written from a start that set distance_weight keeps it, though it was not fitted."""
    (tmp_path / "parameters").mkdir()
    (tmp_path / "parameters" / "start.toml").write_text(
        "[parameters]\ndistance_weight = 0.7\n", encoding="utf-8"
    )
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))
    parameters = load_scenario("baseline-2023", ["scenario.parameters=start"]).parameters
    written = calibration.save_parameter_set(
        parameters,
        ("route_preference",),
        tmp_path / "parameters",
        "continued",
        "2023",
        pd.Timestamp("2026-01-01").to_pydatetime(),
        {"started_from": "start"},
    )
    reloaded = load_scenario("baseline-2023", ["scenario.parameters=continued"]).parameters
    assert written.name == "continued.toml"
    assert reloaded.distance_weight == 0.7
    assert reloaded.route_preference == pytest.approx(parameters.route_preference)
    assert reloaded.land_death_rate == Parameters().land_death_rate  # not in either: default
