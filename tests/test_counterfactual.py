"""Counterfactual histories: one dated change of a scenario switched off or moved."""

from __future__ import annotations

import datetime as dt

import pytest
from test_timeline import _scenario

from routesim.scenario import ScenarioError, counterfactual, load_scenario

# Listed out of date order on purpose: changes are numbered in date order, not file order.
TIMELINE = """
[[timeline]]
date = 2023-03-01
label = "fleet back"
set = { "levers.ngo_vessels" = 8 }

[[timeline]]
date = 2023-02-01
label = "MoU"
set = { "levers.partner_coast_guard.tunisia" = 2.5, "levers.ngo_vessels" = 0 }
"""


def _in_force(scenario, date):
    """The scenario in force on `date` (the latest phase dated on or before it)."""
    phases = [phase.scenario for phase in scenario.phases() if phase.date <= date]
    return phases[-1] if phases else scenario


def test_a_change_switched_off_never_applies_and_the_others_still_do(tmp_path):
    recorded = _scenario(tmp_path, TIMELINE)
    without = counterfactual(recorded, 1)  # the MoU, first by date
    assert [c.label for c in without.timeline] == ["fleet back"]
    assert _in_force(without, dt.date(2023, 2, 15)).levers.partner_coast_guard.tunisia == (
        recorded.levers.partner_coast_guard.tunisia
    )
    assert _in_force(without, dt.date(2023, 3, 15)).levers.ngo_vessels == 8
    assert len(recorded.timeline) == 2  # the scenario as recorded is left alone


def test_a_moved_change_applies_from_its_new_date_on_top_of_those_before_it(tmp_path):
    recorded = _scenario(tmp_path, TIMELINE, days=90)
    later = counterfactual(recorded, 1, dt.date(2023, 3, 10))
    assert _in_force(later, dt.date(2023, 2, 15)).levers.partner_coast_guard.tunisia != 2.5
    # Moved after the fleet's return, the MoU's "no NGO vessels" now overrides it.
    assert _in_force(later, dt.date(2023, 3, 5)).levers.ngo_vessels == 8
    assert _in_force(later, dt.date(2023, 3, 15)).levers.ngo_vessels == 0
    assert counterfactual(recorded, 2, dt.date(2023, 3, 1)) == recorded


def test_the_history_without_the_eu_turkey_statement():
    history = load_scenario("history-2015-2023")
    without = counterfactual(history, 3)
    labels = [c.label for c in without.timeline]
    assert "EU-Turkey Statement" not in labels and len(labels) == len(history.timeline) - 1
    april = dt.date(2016, 4, 1)
    assert _in_force(history, april).levers.departure_prevention.turkiye == 1.0
    assert _in_force(without, april).levers.departure_prevention.turkiye == (
        history.levers.departure_prevention.turkiye
    )


@pytest.mark.parametrize(
    ("change", "to", "message"),
    [
        (0, None, r"^t: timeline change 0: no such change \(expected 1 to 2, the changes numbered"),
        (3, None, r"^t: timeline change 3: no such change \(expected 1 to 2,"),
        (
            1,
            dt.date(2024, 1, 1),
            r"^t: timeline change 1 \(MoU\): expected a date from 2023-01-01 to 2023-03-01, "
            r"got 2024-01-01$",
        ),
    ],
)
def test_a_bad_change_or_date_is_one_line_naming_it(tmp_path, change, to, message):
    recorded = _scenario(tmp_path, TIMELINE)
    with pytest.raises(ScenarioError, match=message) as info:
        counterfactual(recorded, change, to)
    assert "\n" not in str(info.value)


# --- timeline.N.* keys: the same edits as overrides (--set, sweeps, the app) -------------


def test_timeline_keys_move_drop_and_set_a_change_by_its_number(tmp_path):
    recorded = _scenario(tmp_path, TIMELINE, days=90)
    moved = recorded.with_overrides({"timeline.1.days_later": 37})  # the MoU, 1 Feb
    assert moved == counterfactual(recorded, 1, dt.date(2023, 3, 10))
    assert recorded.with_overrides({"timeline.1.happens": 0}) == counterfactual(recorded, 1)
    assert recorded.with_overrides({"timeline.1.happens": 1}) == recorded
    stronger = recorded.with_overrides({"timeline.1.levers.partner_coast_guard.tunisia": 4})
    mou = next(c for c in stronger.timeline if c.label == "MoU")
    assert mou.set == {"levers.partner_coast_guard.tunisia": 4, "levers.ngo_vessels": 0}
    # Numbers are taken before any edit: moving the first does not renumber the second.
    both = recorded.with_overrides({"timeline.1.days_later": 40, "timeline.2.happens": 0})
    assert [(c.label, c.date) for c in both.timeline] == [("MoU", dt.date(2023, 3, 13))]


def test_timeline_keys_work_from_the_command_line_form():
    history = load_scenario("history-2015-2023", ["timeline.3.days_later=30"])
    statement = next(c for c in history.timeline if c.label == "EU-Turkey Statement")
    assert statement.date == dt.date(2016, 4, 19)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"timeline.3.happens": 0}, "no dated change 3 (expected 1 to 2"),
        ({"timeline.1.happens": 2}, "expected 1 or 0, got 2"),
        ({"timeline.1.days_later": 1.5}, "expected a whole number, got 1.5"),
        ({"timeline.1.days_later": -40}, "outside the run (2023-01-01 to 2023-03-31)"),
        ({"timeline.1.levers.ngo_vesels": 1}, "did you mean levers.ngo_vessels?"),
        ({"timeline.1.assumptions.risk_prior": 1}, "acts at the start of a run only"),
        ({"timeline.1.levers.ngo_vessels": -1}, "--set timeline.1.levers.ngo_vessels=-1: "),
    ],
)
def test_a_bad_timeline_key_is_one_line_naming_the_override(tmp_path, override, expected):
    recorded = _scenario(tmp_path, TIMELINE, days=90)
    with pytest.raises(ScenarioError) as error:
        recorded.with_overrides(override)
    message = str(error.value)
    assert expected in message and "\n" not in message
    assert message.startswith(f"--set {next(iter(override))}=")
