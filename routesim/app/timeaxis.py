"""Time on the app's charts: ticks that suit the run's length, and the run's dated changes.

A year's run is labelled by month; the nine years of `history-2015-2023` by year (its
108 month labels overlapped, with no year). A scenario's timeline, the dated policy
changes it replays, is marked on the charts and named in the status line, numbered in
date order so that a chart's marks and the key under it match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from routesim.levers import lever_specs
from routesim.scenario import Scenario, TimelineChange

#: Spacings of the labelled ticks in months, finest first: the finest that gives at most
#: `MAX_TICKS` labels is used, so labels never crowd a panel whatever the run's length.
TICK_MONTHS: Final[tuple[int, ...]] = (1, 3, 6, 12, 24)
MAX_TICKS: Final[int] = 13


def month_firsts(start: dt.date, days: int) -> list[dt.date]:
    """The first day of each calendar month from `start` on, within the run's `days`."""
    firsts = []
    first = dt.date(start.year, start.month, 1)
    while (first - start).days < days:
        if first >= start:
            firsts.append(first)
        first = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return firsts


def time_ticks(start: dt.date, days: int) -> list[tuple[float, str]]:
    """Labelled ticks for a run's time axis, as (day offset from `start`, label).

    Months for a short run ("Jan", "Feb", ...), a January labelled with its year once the
    run spans more than one calendar year; quarters, half-years, years or every other
    year as the run gets longer, ticks at whole years labelled with the year only.
    """
    firsts = month_firsts(start, days)
    for months in TICK_MONTHS:
        chosen = [d for d in firsts if (d.year * 12 + d.month - 1) % months == 0]
        if len(chosen) <= MAX_TICKS:
            break
    end = start + dt.timedelta(days=days - 1)
    years_shown = months >= 12 or end.year > start.year
    return [
        (float((d - start).days), str(d.year) if years_shown and d.month == 1 else f"{d:%b}")
        for d in chosen
    ]


@dataclass(frozen=True)
class TimelineEvent:
    """One dated change of a scenario's timeline, as the charts and status line name it.

    Attributes:
        number: Its place in date order, from 1: the label of its mark on the charts.
        date: The day it comes into force.
        day: That day as an offset from the start of the run.
        label: What happened, as the scenario names it.
        changes: The levers it sets, with their new values.
    """

    number: int
    date: dt.date
    day: int
    label: str
    changes: str

    @property
    def title(self) -> str:
        """Date and name, e.g. "20 Mar 2016: EU-Turkey Statement"."""
        return f"{self.date.day} {self.date:%b %Y}: {self.label}"


def timeline_events(scenario: Scenario) -> list[TimelineEvent]:
    """The scenario's dated changes within its run, in date order.

    Changes dated before the run are in force from its start and are not events of it;
    a change with no label is named by the levers it sets.
    """
    start, days = scenario.scenario.start, scenario.scenario.days
    within = [c for c in scenario.timeline if 0 <= (c.date - start).days < days]
    events = []
    for number, change in enumerate(sorted(within, key=lambda c: c.date), start=1):
        changes = _describe(change)
        label = change.label or changes
        events.append(
            TimelineEvent(number, change.date, (change.date - start).days, label, changes)
        )
    return events


def latest_event(events: Sequence[TimelineEvent], done: int) -> TimelineEvent | None:
    """The last event in force once `done` days of the run are complete, if any."""
    return next((e for e in reversed(events) if e.day < done), None)


def _describe(change: TimelineChange) -> str:
    labels = {spec.name: spec.label for spec in lever_specs()}
    return "; ".join(f"{labels.get(key, key)} {value:,.4g}" for key, value in change.set.items())
