"""What if: one dated change of a scenario's timeline switched off or moved, as scenario B.

A class watching the history asks what would have happened without the EU-Turkey
Statement, or with the Italy-Libya MoU a year later. The Compare tab answers with its
usual machinery: A is the scenario as recorded, B the same with that one change off or
moved (`routesim.scenario.counterfactual`), run on the same seeds, side by side.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import solara

from routesim.app.history import DateBox
from routesim.scenario import Scenario, counterfactual

WHAT_IF: Final[str] = "What if… (A with one dated change off or moved)"
OFF: Final[str] = "had not happened"
MOVED: Final[str] = "had happened on another date"


def change_choices(scenario: Scenario) -> dict[str, int]:
    """The changes a what-if can switch off or move, named by date and label: their numbers.

    Changes dated after the run would change nothing in it and are left out; those before
    it are in force from its start, so switching one off still changes the run.
    """
    ordered = sorted(scenario.timeline, key=lambda c: c.date)
    return {
        f"{change.date.day} {change.date:%b %Y}: {change.label or 'no label'}": number
        for number, change in enumerate(ordered, start=1)
        if change.date <= scenario.end
    }


def what_if_name(scenario: Scenario, change: int, to: dt.date | None) -> str:
    """How a what-if is named, e.g. "without the EU-Turkey Statement (20 Mar 2016)"."""
    entry = sorted(scenario.timeline, key=lambda c: c.date)[change - 1]
    what = f"{entry.label or 'change ' + str(change)} ({entry.date.day} {entry.date:%b %Y})"
    return f"without {what}" if to is None else f"with {what} on {to.day} {to:%b %Y}"


def moved_date(text: str) -> dt.date:
    """The date typed for a moved change.

    Raises:
        ValueError: Not a date like 2017-03-20; the message says so.
    """
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a date like 2017-03-20") from None


def what_if(a: tuple[str, Scenario], choice: str, mode: str, date: str) -> tuple[str, Scenario]:
    """Scenario B of a what-if: A with the change picked (`change_choices`) off or moved.

    Raises:
        ValueError: No change picked, or the date is not a date within A's run.
    """
    _, scenario = a
    number = change_choices(scenario).get(choice)
    if number is None:
        raise ValueError("pick one of scenario A's dated changes for the what-if")
    to = moved_date(date) if mode == MOVED else None
    return f"A {what_if_name(scenario, number, to)}", counterfactual(scenario, number, to)


@solara.component
def WhatIfRow(
    scenario: Scenario,
    choice: solara.Reactive[str],
    mode: solara.Reactive[str],
    date: solara.Reactive[str],
) -> None:
    """Which of A's dated changes, and whether it had not happened or happened on a date."""
    choices = list(change_choices(scenario))
    if not choices:
        solara.Warning("Scenario A has no dated changes: pick the history (or its years) as A.")
        return
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Select("What if", values=choices, value=choice, classes=["routesim-whatif-change"])
        solara.Select("…", values=[OFF, MOVED], value=mode, classes=["routesim-whatif-mode"])
        if mode.value == MOVED:
            DateBox("Date", date, "routesim-whatif-date")
