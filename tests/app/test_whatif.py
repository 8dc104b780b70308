"""What if: the Compare tab's scenario B with one of A's dated changes off or moved."""

from __future__ import annotations

import datetime as dt

import pytest

from routesim.app.compare import SIMULATE_TAB, resolve
from routesim.app.history import with_years
from routesim.app.lessons import preset_settings
from routesim.app.live import LiveSettings
from routesim.app.page import changes_line
from routesim.app.whatif import MOVED, OFF, change_choices, what_if
from routesim.hindcast import HISTORY_SCENARIO
from routesim.lessons import load_lesson
from routesim.scenario import ScenarioError

STATEMENT = "20 Mar 2016: EU-Turkey Statement"


@pytest.fixture(scope="module")
def year_2016():
    return resolve(SIMULATE_TAB, LiveSettings(HISTORY_SCENARIO, years=(2016, 2016)))


def test_the_choices_are_the_changes_up_to_the_runs_end_numbered_over_the_whole_timeline(
    year_2016,
) -> None:
    choices = change_choices(year_2016[1])
    assert choices[STATEMENT] == 3
    # The 2015 fence is in force from the start of 2016: switching it off changes the run.
    assert choices["15 Sep 2015: Hungary fences its border with Serbia"] == 1
    assert all(label.split(": ")[0].endswith(("2015", "2016")) for label in choices)


def test_b_is_a_without_the_change_or_with_it_moved(year_2016) -> None:
    name, without = what_if(year_2016, STATEMENT, OFF, "2016-09-20")  # the date is ignored
    assert name == "A without EU-Turkey Statement (20 Mar 2016)"
    assert "EU-Turkey Statement" not in [c.label for c in without.timeline]
    assert without.scenario.start == dt.date(2016, 1, 1)
    name, later = what_if(year_2016, STATEMENT, MOVED, " 2016-09-20 ")
    assert name == "A with EU-Turkey Statement (20 Mar 2016) on 20 Sep 2016"
    assert dt.date(2016, 9, 20) in [c.date for c in later.timeline]


def test_a_what_if_with_no_change_or_a_bad_date_says_what_is_wrong(year_2016) -> None:
    with pytest.raises(ValueError, match="pick one of scenario A's dated changes"):
        what_if(year_2016, "", OFF, "")
    with pytest.raises(ValueError, match="'20 Sep' is not a date like 2017-03-20"):
        what_if(year_2016, STATEMENT, MOVED, "20 Sep")
    with pytest.raises(ScenarioError, match="expected a date from 2016-01-01 to 2016-12-31"):
        what_if(year_2016, STATEMENT, MOVED, "2017-03-20")


def test_the_lessons_what_if_preset_loads_its_years_and_switches_the_statement_off() -> None:
    settings = preset_settings(load_lesson("eu-turkey-statement"), "no-statement", LiveSettings())
    assert (settings.years, settings.what_if) == ((2016, 2016), (3, None))
    assert "EU-Turkey Statement" not in [c.label for c in settings.resolve().timeline]
    assert "What if: without EU-Turkey Statement (20 Mar 2016)" in changes_line(settings)


def test_other_years_drop_a_what_if_chosen_for_the_lessons_years() -> None:
    later = preset_settings(load_lesson("eu-turkey-statement"), "statement-later", LiveSettings())
    assert later.what_if == (3, dt.date(2016, 9, 20))
    moved = with_years(later, 2017, 2017)
    assert (moved.years, moved.what_if, moved.preset) == ((2017, 2017), None, "")
    assert "EU-Turkey Statement" in [c.label for c in moved.resolve().timeline]
