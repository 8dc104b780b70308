"""Lessons over a window of the history with a dated change switched off or moved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from routesim.cli import main
from routesim.comparison import RunSettings
from routesim.errors import RoutesimError
from routesim.handouts import handout_html
from routesim.lessons import load_lesson
from routesim.resources import bundled

NAME = "eu-turkey-statement"


def test_the_presets_run_the_lessons_years_and_the_check_compares_with_the_statement_off():
    lesson = load_lesson(NAME)
    recorded, without = lesson.scenario("as-recorded"), lesson.scenario("no-statement")
    assert (str(recorded.scenario.start), recorded.scenario.days) == ("2016-01-01", 366)
    assert "EU-Turkey Statement" in [c.label for c in recorded.timeline]
    assert "EU-Turkey Statement" not in [c.label for c in without.timeline]
    comparison = lesson.comparison()
    # The years travel with both settings, so they hold whatever window a test runs.
    assert comparison.low["scenario.start"] == comparison.high["scenario.start"]
    assert "timeline" in comparison.high and "timeline" not in comparison.low
    assert "switched off" in lesson.what_if_note("no-statement")
    assert lesson.what_if_note("as-recorded") == ""


def test_the_command_line_and_the_handout_give_the_years_and_say_what_the_what_if_does(capsys):
    assert main(["lesson", NAME]) == 0
    out = capsys.readouterr().out
    years = "--set scenario.start=2016-01-01 --set scenario.days=366"
    assert f"routesim run history-2015-2023 {years}\n" in out  # as recorded: no what-if
    assert "(what if: timeline change 3 switched off;" in out
    assert "(what if: timeline change 3 moved to 2016-09-20;" in out
    empty = pd.DataFrame(columns=["view", "target", "asserted", "holds"])
    page = handout_html(load_lesson(NAME), empty, b"\x89PNG fake", RunSettings())
    assert "timeline change 3 switched off" in page and years in page


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / NAME
    shutil.copytree(bundled("lessons") / NAME, folder)
    path = folder / "lesson.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return folder


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'change = 3, to = "off"',
            'change = 30, to = "off"',
            r"presets.no-statement.what_if: history-2015-2023: timeline change 30: no such change",
        ),
        (
            "to = 2016-09-20",
            "to = 2017-09-20",
            r"presets.statement-later.what_if: .*expected a date from 2016-01-01 to 2016-12-31",
        ),
        ('to = "off"', 'to = "of"', r"presets.no-statement.what_if.to.*expected 'off', got 'of'"),
        ("years = [2016, 2016]", "years = [2016, 2014]", r"years: expected a first and last year"),
    ],
)
def test_a_bad_what_if_or_years_names_the_file_key_and_what_was_expected(
    tmp_path, old, new, message
):
    with pytest.raises(RoutesimError, match=message) as info:
        load_lesson(_edited(tmp_path, old, new))
    assert "\n" not in str(info.value)
