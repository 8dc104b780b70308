"""Dated one-off events: crowds that appear once, on the day they happened.

Each event is a day of the record (POLICY-TIMELINE.md) and a lever, its number of
people (0 turns it off). It happens on its date if the run covers that day (warm-up
included), with the size the levers in force that day give it, and never again: a
run over several years has each event once at most.

- Evros, 28 February 2020: Türkiye declares it will no longer stop people leaving,
  and about 13,000 gather at the Greek land border.
- Ceuta, 17-18 May 2021: about 10,000 people enter in two days while Moroccan guards
  stand back.
- Lampedusa, 11-13 September 2023: almost 10,000 arrivals in 72 hours, as networks at
  Sfax and Zuwara launch everything they have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from routesim.journeys import Crossing

if TYPE_CHECKING:
    from mesa.agentset import AgentSet

    from routesim.world import World


def _evros(crossing: Crossing) -> bool:
    """The Eastern Mediterranean land crossings from Türkiye."""
    return not crossing.sea and crossing.route == "eastern_med" and crossing.country == "TUR"


def _ceuta(crossing: Crossing) -> bool:
    """The land crossings into Ceuta (from Fnideq in the geodata)."""
    return not crossing.sea and crossing.end == "ceuta"


def _sfax_and_zuwara(crossing: Crossing) -> bool:
    """The Central Mediterranean sea crossings from Tunisia and Libya."""
    return crossing.route == "central_med" and crossing.sea and crossing.country in ("TUN", "LBY")


@dataclass(frozen=True)
class OneOffEvent:
    """A crowd that gathers once, on its date, at the hubs of some crossings.

    Attributes:
        lever: The `Levers` field giving its size in people (0: the event is off).
        date: The day the crowd appears.
        label: What happened, as figures name it.
        crossings: Which crossings' hubs the crowd gathers at.
        surge_days: Days from then that the networks at those hubs launch every boat
            they can (0: the crowd waits for ordinary departures).
    """

    lever: str
    date: dt.date
    label: str
    crossings: Callable[[Crossing], bool]
    surge_days: int = 0


#: The events of the record, in date order; each line of POLICY-TIMELINE.md named.
EVENTS: tuple[OneOffEvent, ...] = (
    # 2020: "Türkiye declares (28 Feb) it will no longer stop people leaving for Europe".
    OneOffEvent("instrumentalisation", dt.date(2020, 2, 28), "Crowd at the Evros border", _evros),
    # 2021: "Ceuta (17-18 May): about 10,000 people enter in two days".
    OneOffEvent("ceuta_entry", dt.date(2021, 5, 17), "Mass entry into Ceuta", _ceuta),
    # 2023: "Lampedusa: almost 10,000 arrivals in 72 hours (11-13 Sep)".
    OneOffEvent(
        "lampedusa_surge",
        dt.date(2023, 9, 11),
        "Lampedusa surge",
        _sfax_and_zuwara,
        surge_days=3,
    ),
)


class OneOffEvents:
    """The dated events of a run, checked every morning."""

    def __init__(
        self, model: World, smugglers: AgentSet, events: Sequence[OneOffEvent] = EVENTS
    ) -> None:
        self.model = model
        self.smugglers = smugglers
        self.events = tuple(events)

    def happen(self) -> None:
        """Let today's events happen, if today is their date and their lever is on."""
        today = self.model.date
        for event in self.events:
            if event.date == today:
                self._gather(event)

    def _gather(self, event: OneOffEvent) -> None:
        """Put the event's crowd at its hubs; start the networks' surge there, if any."""
        model = self.model
        people = float(getattr(model.levers, event.lever))
        if people <= 0:
            return
        crossings = [c for c in model.journeys.crossings if event.crossings(c)]
        model.migration.crowd(crossings, people)
        if event.surge_days == 0:
            return
        hubs = {c.start for c in crossings}
        for smuggler in self.smugglers:
            if smuggler.hub in hubs:
                smuggler.surge_until = model.day + event.surge_days
