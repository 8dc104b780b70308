"""Time on the app's charts: ticks that suit the run's length, and the run's dated events.

A year's run is labelled by month; the nine years of `history-2015-2023` by year (its
108 month labels overlapped, with no year). A scenario's timeline, the dated policy
changes it replays, is marked on the charts and named in the status line, numbered in
date order so that a chart's marks and the key under it match. The one-off events of
`routesim.events` (Evros, Ceuta, Lampedusa) are no lever change but happen on a date
too: they are marked beside the changes, lettered rather than numbered.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

from routesim.app.live import scenario_value
from routesim.app.svgplot import Mark
from routesim.events import EVENTS
from routesim.levers import lever_specs
from routesim.scenario import Scenario, TimelineChange

#: Spacings of the labelled ticks in months, finest first: the finest that gives at most
#: `MAX_TICKS` labels is used, so labels never crowd a panel whatever the run's length.
TICK_MONTHS: Final[tuple[int, ...]] = (1, 3, 6, 12, 24)
MAX_TICKS: Final[int] = 13
#: One-off events are marked apart from the lever changes: dotted, purple and lettered.
ONE_OFF_COLOUR: Final[str] = "#6a3d9a"


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
        sets: The dotted names of the levers and assumptions it sets.
    """

    number: int
    date: dt.date
    day: int
    label: str
    changes: str
    sets: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """Date and name, e.g. "20 Mar 2016: EU-Turkey Statement"."""
        return _dated(self.date, self.label)


@dataclass(frozen=True)
class OneOffMark:
    """A one-off event of the run (`routesim.events`), as the charts mark it.

    Attributes:
        letter: Its place in date order as a letter, so that its mark is not taken for
            a numbered lever change.
        date: The day it happens.
        label: What happens.
        size: How many people, in its lever's unit.
    """

    letter: str
    date: dt.date
    label: str
    size: str

    @property
    def title(self) -> str:
        """Date and name, e.g. "11 Sep 2023: Lampedusa surge"."""
        return _dated(self.date, self.label)


def _dated(date: dt.date, label: str) -> str:
    return f"{date.day} {date:%b %Y}: {label}"


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
        day = (change.date - start).days
        events.append(TimelineEvent(number, change.date, day, label, changes, tuple(change.set)))
    return events


def one_off_events(scenario: Scenario) -> list[OneOffMark]:
    """The one-off events that happen within the scenario's run, in date order.

    An event happens if its lever, as the timeline leaves it on the event's date, is
    above zero: the 2023 baseline has the Lampedusa surge only, the history all three.
    """
    start, days = scenario.scenario.start, scenario.scenario.days
    units = {spec.name: spec.unit for spec in lever_specs()}
    marks: list[OneOffMark] = []
    for event in sorted(EVENTS, key=lambda e: e.date):
        lever = f"levers.{event.lever}"
        people = value_in_force(scenario, lever, event.date)
        if 0 <= (event.date - start).days < days and people > 0:
            letter = string.ascii_uppercase[len(marks)]
            marks.append(
                OneOffMark(letter, event.date, event.label, f"{people:,.0f} {units[lever]}")
            )
    return marks


def value_in_force(scenario: Scenario, name: str, until: dt.date) -> float:
    """A lever's or assumption's value once the timeline's changes dated up to `until` apply.

    Worked out from the changes that set it, not from `Scenario.phases`, which validates
    a whole scenario per change (0.7 s for the history's timeline).
    """
    setting = sorted(
        (c for c in scenario.timeline if c.date <= until and name in c.set), key=lambda c: c.date
    )
    return float(setting[-1].set[name]) if setting else scenario_value(scenario, name)


def latest_event(events: Sequence[TimelineEvent], done: int) -> TimelineEvent | None:
    """The last event in force once `done` days of the run are complete, if any."""
    return next((e for e in reversed(events) if e.day < done), None)


def _describe(change: TimelineChange) -> str:
    labels = {spec.name: spec.label for spec in lever_specs()}
    return "; ".join(f"{labels.get(key, key)} {value:,.4g}" for key, value in change.set.items())


def event_marks(
    events: Sequence[TimelineEvent], one_offs: Sequence[OneOffMark], start: dt.date
) -> list[Mark]:
    """The marks of lever changes and one-off events on an axis of days from `start`."""
    changes = [
        Mark(float((e.date - start).days), str(e.number), f"{e.title} ({e.changes})")
        for e in events
    ]
    singles = [
        Mark(
            float((o.date - start).days),
            o.letter,
            f"{o.title} ({o.size})",
            colour=ONE_OFF_COLOUR,
            dash="1 2",
            low=True,
        )
        for o in one_offs
    ]
    return changes + singles


def timeline_key(
    events: Sequence[TimelineEvent], one_offs: Sequence[OneOffMark], done: int, whose: str = ""
) -> str:
    """The key of the marks under a chart ("" with none).

    The latest change in force once `done` days are complete is in bold; `whose` names
    the scenario when charts side by side have keys of their own.
    """
    if not events and not one_offs:
        return ""
    latest = latest_event(events, done)
    parts = [f"<span><b>{escape(whose)}</b></span>"] if whose else []
    if events:
        parts.append(
            "<span>Dated policy changes (dashed lines; hover a line for what it sets):</span>"
        )
        parts += [
            f'<span class="routesim-event-key{" latest" * (e is latest)}"><b>{e.number}</b> '
            f"{escape(e.title)}</span>"
            for e in events
        ]
    if one_offs:
        parts.append(
            f'<span class="routesim-one-off-heading" style="display:block;color:{ONE_OFF_COLOUR}">'
            "One-off events (dotted lines, lettered at the foot of each panel):</span>"
        )
        parts += [
            f'<span class="routesim-one-off-key"><b style="color:{ONE_OFF_COLOUR}">'
            f"{o.letter}</b> {escape(o.title)} ({escape(o.size)})</span>"
            for o in one_offs
        ]
    return f'<div class="routesim-legend routesim-timeline-key">{"".join(parts)}</div>'
