"""Lever sliders show the levers in force and hold every value, so showing one changes nothing.

Vuetify's slider rounds the value it is given to its grid of steps and reports the
rounded value as a change (a lever change, which restarts the run). `vuetify_round` is
that rounding (VSlider's ``roundValue`` in Vuetify 2, which the app's ipyvuetify < 2 runs),
written out in Python so every lever can be checked without a browser.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from routesim.app.controls import run_values, slider_step, typed_value, without_levers
from routesim.app.lessons import preset_settings
from routesim.app.live import LiveSettings, scenario_value
from routesim.app.timeaxis import value_in_force
from routesim.lessons import load_lessons
from routesim.levers import LeverSpec, lever_specs
from routesim.scenario import available_scenarios, load_scenario

SPECS = {spec.name: spec for spec in lever_specs()}


def vuetify_round(value: float, low: float, high: float, step: float) -> float:
    """The value a Vuetify 2 slider shows for `value`, as its JavaScript computes it."""
    # JavaScript writes 1.0 as "1": whole steps have no decimals.
    decimals = 0 if float(step).is_integer() else len(repr(float(step)).split(".")[1])
    offset = math.fmod(low, step)  # JavaScript's % on numbers
    rounded = math.floor((value - offset) / step + 0.5) * step + offset  # Math.round
    # toFixed rounds the exact binary value half up, as Decimal(float) holds it.
    fixed = Decimal(min(rounded, high)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return float(fixed)


def _shown_values() -> list[tuple[str, str, float]]:
    """(where, lever, value) for each value a slider starts at: defaults, scenarios, presets."""
    shown = [("default", name, float(spec.default)) for name, spec in SPECS.items()]
    for scenario in available_scenarios():
        base = load_scenario(scenario)
        shown += [(scenario, name, scenario_value(base, name)) for name in SPECS]
    for lesson in load_lessons():
        for preset in lesson.presets:
            settings = preset_settings(lesson, preset, LiveSettings())
            shown += [(f"{lesson.title}: {preset}", n, v) for n, v in settings.overrides]
    return shown


def test_the_emulated_slider_drifts_as_the_search_and_rescue_panel_did() -> None:
    # The bug report: 2 days on a slider from 0.5 in steps of 1 became 3, then ... 30.
    values = [2.0]
    while len(values) < 40 and vuetify_round(values[-1], 0.5, 30.0, 1.0) != values[-1]:
        values.append(vuetify_round(values[-1], 0.5, 30.0, 1.0))
    assert values[:3] == [2.0, 3.0, 4.0] and values[-1] == 30.0


@pytest.mark.parametrize(("where", "name", "value"), _shown_values())
def test_a_lever_slider_holds_the_value_it_is_shown_with(where: str, name: str, value: float):
    spec: LeverSpec = SPECS[name]
    step = slider_step(spec, value)
    for held in (value, spec.default, spec.low, spec.high):
        assert vuetify_round(held, spec.low, spec.high, step) == held, (where, name, held, step)


def _runs() -> list[tuple[str, str]]:
    """(scenario, lever) for each lever of each scenario (and lesson preset) with a timeline."""
    dated = [scenario for scenario in available_scenarios() if load_scenario(scenario).timeline]
    return [(scenario, name) for scenario in dated for name in SPECS]


@pytest.mark.parametrize(("scenario", "name"), _runs())
def test_a_slider_holds_every_value_its_lever_takes_in_the_run(scenario: str, name: str) -> None:
    # The slider shows the value in force on the day shown: each value the timeline sets
    # must be held by the step from the start, or showing it would read as a user's change.
    spec = SPECS[name]
    run = load_scenario(scenario)
    values = run_values(run, name)
    step = slider_step(spec, *values)
    for held in values:
        assert vuetify_round(held, spec.low, spec.high, step) == held, (scenario, name, held, step)


def test_the_values_in_force_are_those_the_model_follows() -> None:
    # Scenario.phases is what the model puts in force on each date of the timeline.
    run = load_scenario("history-2015-2023").with_overrides({"levers.ngo_vessels": 0.0})
    phases = run.phases()
    for phase in phases:
        before = [p.scenario for p in phases if p.date < phase.date]
        for name in SPECS:
            expected = scenario_value(phase.scenario, name)
            assert value_in_force(run, name, phase.date) == expected, (phase.label, name)
            eve = value_in_force(run, name, phase.date - dt.timedelta(days=1))
            assert eve == scenario_value(before[-1] if before else run, name), (phase.label, name)
    # The user's value from the start, until the timeline sets the lever (1 June 2016).
    assert value_in_force(run, "levers.ngo_vessels", dt.date(2016, 5, 31)) == 0.0
    assert value_in_force(run, "levers.ngo_vessels", dt.date(2016, 6, 1)) == 10.0


def test_a_step_is_as_coarse_as_the_values_allow() -> None:
    port_days = SPECS["levers.ngo_port_days"]  # 0.5 to 30 days, 2 in 2023
    assert slider_step(port_days) == 0.5
    assert slider_step(port_days, 1.25) == 0.05
    assert slider_step(SPECS["levers.ngo_vessels"], 3.0) == 1.0
    assert slider_step(SPECS["levers.frontex_standing_corps"]) == 100.0
    assert slider_step(SPECS["levers.boat_seizure"]) == 0.001


def test_resetting_the_levers_keeps_the_run_but_drops_every_change_and_the_preset() -> None:
    lesson = next(lesson for lesson in load_lessons() if lesson.name == "departure-prevention")
    preset = "tunisia-squeeze"
    moved = preset_settings(lesson, preset, LiveSettings(seed=7, scale=200)).with_lever(
        "levers.ngo_vessels", 0.0
    )
    assert moved.overrides and moved.preset
    reset = without_levers(moved)
    assert reset.overrides == () and reset.preset == ""
    assert (reset.scenario, reset.seed, reset.scale, reset.years, reset.what_if) == (
        moved.scenario,
        moved.seed,
        moved.scale,
        moved.years,
        moved.what_if,
    )
    assert reset.resolve().levers == load_scenario(moved.scenario).levers


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("low", "low"), ("high", "high"), ("below", "low"), ("above", "high"), ("near", "step")],
)
def test_a_typed_value_lands_in_range_and_on_a_step_the_slider_holds(typed, kept) -> None:
    spec = SPECS["levers.ngo_vessels"]
    step = slider_step(spec, *run_values(load_scenario("baseline-2023"), spec.name))
    given = {
        "low": spec.low,
        "high": spec.high,
        "below": spec.low - 5,
        "above": spec.high + 5,
        "near": spec.low + step * 1.4,
    }[typed]
    expected = {"low": spec.low, "high": spec.high, "step": spec.low + step}[kept]
    landed = typed_value(given, spec, step)
    assert landed == pytest.approx(expected)
    # On a step: the slider, given it, would not round it into a second change.
    assert slider_step(spec, landed) <= step and ((landed - spec.low) / step) % 1 == 0
