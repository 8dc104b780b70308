"""routesim as an EMA Workbench model: a tiny run of the real model."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from routesim.errors import RoutesimError
from routesim.levers import lever_specs
from routesim.sweeps.outcomes import OUTCOME_ROUTES
from routesim.sweeps.workbench import DEFAULT_METRICS, SEED, rerun, workbench_model, workbench_name

workbench = pytest.importorskip("ema_workbench")


def _model(**options):
    inputs = {"levers": ["levers.ngo_vessels"], "uncertainties": ["assumptions.rescue_pull"]}
    return workbench_model(**(inputs | options), days=20, scale=200, seed=7)


def test_levers_assumptions_and_outcomes_per_route():
    model = workbench_model()
    specs = lever_specs()
    assert [p.variable_name[0] for p in model.levers] == [
        s.name for s in specs if s.kind == "lever"
    ]
    assert [p.variable_name[0] for p in model.uncertainties] == [
        s.name for s in specs if s.kind == "assumption"
    ]
    pull = model.uncertainties["rescue_pull"]
    assert (pull.lower_bound, pull.upper_bound) == (0.0, 1.0)
    names = {workbench_name(s.name) for s in specs}
    assert len(names) == len(specs) and all(name.isidentifier() for name in names)
    expected = {f"{m}_{r}" for m in DEFAULT_METRICS for r in OUTCOME_ROUTES} | {SEED}
    assert {outcome.name for outcome in model.outcomes} == expected


def test_a_calibrated_parameter_needs_a_range_the_scenario_accepts():
    with pytest.raises(RoutesimError, match="no documented range"):
        _model(uncertainties=["parameters.warmup_days"])
    with pytest.raises(RoutesimError, match="did you mean levers.ngo_vessels"):
        _model(levers=["levers.ngo_vessel"])
    with pytest.raises(RoutesimError, match="levers.ngo_vessels high"):
        _model(ranges={"levers.ngo_vessels": (0, 99)})
    model = workbench_model(
        levers=[],
        uncertainties=["parameters.warmup_days"],
        ranges={"parameters.warmup_days": (20, 40)},
    )
    assert isinstance(model.uncertainties["parameters_warmup_days"], workbench.IntegerParameter)


def test_a_tiny_run_has_finite_varied_outcomes_and_reruns_identically():
    model = _model()
    with workbench.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = workbench.perform_experiments(
            model,
            scenarios=2,
            policies=2,
            evaluator=evaluator,
            uncertainty_sampling_kwargs={"rng": 1},
            lever_sampling_kwargs={"rng": 2},
        )
    assert len(experiments) == 4
    assert {"ngo_vessels", "rescue_pull"} <= set(experiments.columns)
    for name, values in outcomes.items():
        assert values.shape == (4,), name
        assert np.isfinite(values).all(), name
    assert (outcomes[SEED] == 7).all()
    for name in ("departures_all", "detections_central_med", "dead_missing_all"):
        assert np.ptp(outcomes[name]) > 0, name
    again = rerun(model, experiments.iloc[3], int(outcomes[SEED][3]))
    assert again == {name: values[3] for name, values in outcomes.items()}


def test_without_the_workbench_the_error_is_one_line_naming_the_extra(monkeypatch):
    # A None entry in sys.modules makes the import fail as if the package were missing.
    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    with pytest.raises(RoutesimError, match=r"pip install 'routesim\[ema\]'"):
        workbench_model()
