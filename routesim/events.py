"""One-off events of the 2023 baseline: crowds that appear on a given day.

On 11 September 2023 thousands reached Lampedusa within days, as networks at Sfax
and Zuwara launched everything they had; on 1 March a neighbouring state moved
people to the Evros land border. Each is a lever (its number of people; 0 turns it
off) and happens on its date of every year a run covers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mesa.agentset import AgentSet

    from routesim.world import World

SURGE_DATE = (9, 11)
INSTRUMENTALISATION_DATE = (3, 1)
#: Days the networks of the surge's hubs launch every boat they can.
SURGE_DAYS = 3


class OneOffEvents:
    """The dated events of a run, checked every morning."""

    def __init__(self, model: World, smugglers: AgentSet) -> None:
        self.model = model
        self.smugglers = smugglers

    def happen(self) -> None:
        """Let today's events happen, if today is their day."""
        model = self.model
        today = (model.date.month, model.date.day)
        if today == SURGE_DATE and model.levers.lampedusa_surge > 0:
            self._surge()
        if today == INSTRUMENTALISATION_DATE and model.levers.instrumentalisation > 0:
            self._instrumentalise()

    def _surge(self) -> None:
        """The September 2023 surge: crowds at Sfax and Zuwara, every boat launched."""
        model = self.model
        hubs = [
            c
            for c in model.journeys.crossings
            if c.route == "central_med" and c.sea and c.country in ("TUN", "LBY")
        ]
        model.migration.crowd(hubs, model.levers.lampedusa_surge)
        for smuggler in self.smugglers:
            if any(smuggler.hub == c.start for c in hubs):
                smuggler.surge_until = model.day + SURGE_DAYS

    def _instrumentalise(self) -> None:
        """People moved by a neighbouring state to the Evros land border."""
        model = self.model
        evros = [
            c
            for c in model.journeys.crossings
            if not c.sea and c.route == "eastern_med" and c.country == "TUR"
        ]
        model.migration.crowd(evros, model.levers.instrumentalisation)
