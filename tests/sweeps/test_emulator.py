"""The emulator: it recovers the indices of a known noisy function and says how well it fits."""

from __future__ import annotations

import numpy as np
import pytest

from routesim.sweeps import emulator
from routesim.sweeps.config import load_sweep
from routesim.sweeps.report import write_report
from routesim.sweeps.storage import RunStore

from .conftest import synthetic_rows
from .test_analysis import SOBOL

LHS = SOBOL.replace('name = "sobol"', 'name = "lhs"').replace(
    'kind = "sobol"\nsamples = 256', 'kind = "latin_hypercube"\nsamples = 80'
)
#: Seed noise of the known function: a share 0.25 / (17 / 12 + 0.25) = 0.15 of its variance.
NOISE_SD = 0.5


def _noisy(values, seed):
    """y = 4 x1 + x2 plus seed noise: x1 has 16/17 of the expected outcome's variance."""
    noise = np.random.default_rng(seed + int(1e6 * values["assumptions.risk_perception_accuracy"]))
    x1, x2 = values["assumptions.rescue_pull"], values["assumptions.route_switching"]
    return 4 * x1 + x2 + NOISE_SD * noise.normal()


@pytest.fixture
def lhs(write_config):
    sweep = load_sweep(write_config(LHS))
    return sweep, synthetic_rows(sweep, sweep.runs(), _noisy)


def test_emulated_indices_recover_a_noisy_known_function_with_tight_intervals(lhs):
    sweep, rows = lhs
    indices = emulator.emulated_sobol(rows, sweep).set_index("parameter")
    truth = {
        "assumptions.rescue_pull": 16 / 17,
        "assumptions.route_switching": 1 / 17,
        "assumptions.risk_perception_accuracy": 0.0,
    }
    for name, expected in truth.items():
        for key in ("S1", "ST"):
            value, half = indices.loc[name, key], indices.loc[name, f"{key}_conf"]
            assert abs(value - expected) <= max(half, 0.02), (name, key)
            assert half < 0.1, (name, key)


def test_the_check_sees_the_noise_and_predicts_held_back_runs(lhs):
    sweep, rows = lhs
    check = emulator.emulator_check(rows, sweep).iloc[0]
    assert check["held_back"] == 16 and check["fitted"] == 64
    # The best a perfect emulator could do is 1 - 0.15; a poor one would be near 0.
    assert 0.7 < check["r2"] < 0.97
    assert check["noise_share"] == pytest.approx(0.15, abs=0.1)
    assert check["coverage95"] >= 0.8


def test_too_few_runs_or_another_design_is_refused(lhs, write_config):
    sweep, rows = lhs
    with pytest.raises(ValueError, match="needs at least 30 runs"):
        emulator.emulated_sobol(rows.iloc[:20], sweep)
    sobol = load_sweep(write_config(SOBOL, "sobol.toml"))
    with pytest.raises(ValueError, match="latin_hypercube"):
        emulator.emulator_check(synthetic_rows(sobol, sobol.runs(), _noisy), sobol)


def test_a_latin_hypercube_report_gets_the_emulator_and_its_indices(lhs, tmp_path):
    sweep, rows = lhs
    store = RunStore.create_or_resume(tmp_path / "sweep", sweep, planned=len(sweep.runs()))
    store.write(rows)
    report = write_report(tmp_path / "sweep")
    names = {path.name for path in report.files}
    assert {"emulator.csv", "emulated-sobol.csv", "emulated-sobol.png"} <= names
    assert not report.notes


def test_the_estimators_applied_to_many_draws_at_once_agree_with_salib():
    from SALib.analyze import sobol

    unit = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * 3}
    points = emulator._saltelli(unit, 256, np.random.default_rng(1))
    outputs = np.column_stack([4 * points[:, 0] + points[:, 1] ** 2, points[:, 0] * points[:, 2]])
    for column, found in zip(outputs.T, emulator._indices(unit, outputs), strict=True):
        expected = sobol.analyze(unit, column, calc_second_order=False, num_resamples=10)
        assert found[0] == pytest.approx(expected["S1"], abs=1e-6)
        assert found[1] == pytest.approx(expected["ST"], abs=1e-6)
