"""History mode's controls: the years of the history run, and a jump to a date.

A class watching 2015-2023 wants the years around one change (the EU-Turkey Statement
in 2016-2018, say), and to get to a date without playing up to it. The years are part
of a session's settings (`LiveSettings.years`): sessions on the same years share one
recorded run like sessions on the same levers. A jump only moves the day a session
shows: days not yet recorded are stepped first, with a progress bar, since the history
takes about 10 ms a simulated day (a jump into 2016 takes seconds).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Final

import solara

from routesim.app.live import LiveSettings
from routesim.app.recording import Recording
from routesim.hindcast import FIRST_YEAR, HISTORY_SCENARIO, LAST_YEAR

#: Days stepped between two updates of a jump's progress bar (about a tenth of a second).
JUMP_CHUNK_DAYS: Final[int] = 10
YEARS: Final[list[str]] = [str(year) for year in range(FIRST_YEAR, LAST_YEAR + 1)]


def history_years(first: int, last: int) -> tuple[int, int] | None:
    """The years a history run is set to when a picker shows `first` and `last`.

    A last year before the first moves up to it (picking a later first year keeps a
    one-year run rather than an impossible one); the whole history is None, the
    scenario as shipped, so that it shares a recording with sessions that never chose.
    """
    years = (first, max(first, last))
    return None if years == (FIRST_YEAR, LAST_YEAR) else years


def with_years(settings: LiveSettings, first: int, last: int) -> LiveSettings:
    """The settings over other years of the history (`history_years`), without a what-if.

    A lesson's what-if was chosen for its years: a change moved to a date in them may
    lie outside others, so new years drop it rather than fail, and with it the name of
    the preset, which no longer describes the run.
    """
    preset = "" if settings.what_if else settings.preset
    return replace(settings, years=history_years(first, last), what_if=None, preset=preset)


def jump_day(text: str, start: dt.date, days: int) -> int:
    """The day to show for a date typed as ``2016-03-20`` (or ``2016-03``, its first day).

    It is the day on which the date is complete, so the status line then shows that date
    and a change dated that day is in force.

    Raises:
        ValueError: Not such a date, or not within the run; the message says which.
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date like 2016-03-20") from None
    end = start + dt.timedelta(days=days - 1)
    if not start <= date <= end:
        raise ValueError(f"{date:%d %B %Y} is not in this run ({start:%d %B %Y} to {end:%d %B %Y})")
    return (date - start).days + 1


def fast_forward(
    recording: Recording, target: int, report: Callable[[int], None], cancel: threading.Event
) -> bool:
    """Record the run up to day `target`, reporting each `JUMP_CHUNK_DAYS` reached.

    Returns:
        True once `target` is recorded, False if `cancel` was set first.
    """
    day = min(recording.recorded, target)
    while day < target:
        if cancel.is_set():
            return False
        day = min(day + JUMP_CHUNK_DAYS, target)
        recording.frame(day)
        report(day)
    return True


@solara.component
def YearsPicker(settings: LiveSettings, on_settings: Callable[[LiveSettings], None]) -> None:
    """First and last year of a history run (only the history scenario has the choice)."""
    if settings.scenario != HISTORY_SCENARIO:
        return
    first, last = settings.years or (FIRST_YEAR, LAST_YEAR)

    def pick(new_first: int, new_last: int) -> None:
        on_settings(with_years(settings, new_first, new_last))

    with solara.Row(style={"align-items": "center"}):
        solara.Select(
            "First year",
            values=YEARS,
            value=str(first),
            on_value=lambda year: pick(int(year), last),
            classes=["routesim-first-year"],
        )
        solara.Select(
            "Last year",
            values=[year for year in YEARS if int(year) >= first],
            value=str(last),
            on_value=lambda year: pick(first, int(year)),
            classes=["routesim-last-year"],
        )


@solara.component
def JumpToDate(start: dt.date, days: int, on_jump: Callable[[int], None]) -> None:
    """A date box and a Jump button: the run fast-forwards (or goes back) to that date."""
    text = solara.use_reactive("")
    problem = solara.use_reactive("")

    def jump() -> None:
        try:
            target = jump_day(text.value, start, days)
        except ValueError as error:
            problem.set(str(error))
            return
        problem.set("")
        on_jump(target)

    with solara.Row(style={"align-items": "center"}):
        DateBox("Jump to date", text, "routesim-jump-date")
        solara.Button("Jump", on_click=jump, outlined=True, classes=["routesim-jump"])
    if problem.value:
        solara.Text(problem.value, classes=["routesim-jump-problem"], style={"color": "#b00020"})


@solara.component
def DateBox(label: str, value: solara.Reactive[str], css_class: str) -> None:
    """A box for a date typed as YYYY-MM-DD."""
    # A short label, with the format as a hint under the box: a label as long as the
    # format was cut short in the narrow box until a date was typed (and it shrank).
    solara.InputText(
        label, value=value, continuous_update=True, message="YYYY-MM-DD", classes=[css_class]
    )


@solara.component
def JumpProgress(start: dt.date, target: int | None, reached: solara.Reactive[int]) -> None:
    """While a jump steps days not yet recorded: how far it has got (redrawn alone)."""
    if target is None:
        return
    date = start + dt.timedelta(days=target - 1)
    done = min(reached.value, target)
    with solara.Div(classes=["routesim-jump-progress"]):
        solara.ProgressLinear(value=100 * done / target)
        solara.Text(
            f"Fast-forwarding to {date:%d %B %Y}: day {done} of {target}",
            style={"font-size": "13px"},
        )
