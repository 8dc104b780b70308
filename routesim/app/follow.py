"""Follow one boat: its story from putting to sea to its end, updating as the run plays.

A student picks the newest boat at sea (on the route shown). The panel tells where it
left from and for where, who is aboard, the boat and its load, the smuggler's price, and
then each thing that happened at sea, as `routesim.boats.Boat.story` records it: a
partner coast guard, distress and who was alerted, a rescue, a loss, a landing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import solara

from routesim.app.live import LiveRun
from routesim.boats import Boat, persons
from routesim.model import RouteModel
from routesim.routes import ROUTE_LABELS

#: Origins named in a boat's story; the rest are summed as "elsewhere".
ORIGINS_SHOWN = 3


def newest_boat(model: RouteModel, route: str | None) -> Boat | None:
    """The boat that puts to sea last (on `route`, if given); None if none is at sea."""
    boats = [
        boat
        for boat in model.agents_by_type.get(Boat, [])
        if route is None or boat.crossing.route == route
    ]
    return max(boats, key=lambda boat: boat.launched_at, default=None)


def moment(model: RouteModel, time: float) -> str:
    """A model time as the date and hour it stands for, e.g. ``3 May 2023, 02:00``."""
    when = dt.datetime.combine(model.start, dt.time()) + dt.timedelta(days=time)
    return f"{when:%-d %B %Y, %H:%M}"


def aboard(model: RouteModel, boat: Boat) -> str:
    """Who is aboard, by where they come from: the largest origins first."""
    migrants, names = model.migrants, model.journeys.place_names
    origins: Counter[str] = Counter()
    for origin, people in zip(
        migrants.origin[boat.rows].tolist(), migrants.people[boat.rows].tolist(), strict=True
    ):
        origins[names[model.journeys.place_ids[origin]]] += people
    shown = origins.most_common(ORIGINS_SHOWN)
    rest = sum(origins.values()) - sum(n for _, n in shown)
    parts = [f"{n:,} from {name}" for name, n in shown] + (
        [f"{rest:,} from elsewhere"] if rest else []
    )
    return ", ".join(parts)


def setting_out(model: RouteModel, boat: Boat) -> tuple[str, str]:
    """The first line of a boat's story: from where to where, who, on what, at what price.

    Who is aboard is read from the boat's people now, so it is told before anything
    happens to them: when the boat is picked.
    """
    crossing = boat.crossing
    names = model.journeys.place_names
    return moment(model, boat.launched_at), (
        f"put to sea from {names[crossing.start]} for {names[crossing.end]} "
        f"({ROUTE_LABELS[crossing.route]}): a {boat.boat_type.replace('_', ' ')} with "
        f"{persons(boat.load)} aboard ({aboard(model, boat)}), {boat.load_factor:.2g} times "
        f"its rated capacity; the smuggler charged €{boat.price:,.0f} a person"
    )


def since(model: RouteModel, boat: Boat) -> list[tuple[str, str]]:
    """What has happened to the boat since it set out, as ``(when, what)``, oldest first."""
    told = [(moment(model, time), what) for time, what in boat.story]
    if boat.at_sea:
        told.append(("now", "at sea" if model.time >= boat.launched_at else "about to sail"))
    return told


@dataclass(frozen=True)
class Followed:
    """The boat followed, its first line, and the run it belongs to (a new run has other boats)."""

    run: LiveRun
    boat: Boat
    first: tuple[str, str]

    def story(self) -> list[tuple[str, str]]:
        """The boat's story so far, oldest first."""
        with self.run.lock:
            return [self.first, *since(self.run.model, self.boat)]


@solara.component
def FollowPanel(
    run: LiveRun,
    route: str | None,
    current: Followed | None,
    follow: Callable[[Followed | None], None],
    tick: int,
) -> None:
    """A button to follow the newest boat at sea, and that boat's story so far.

    Args:
        run: The live run to pick a boat from.
        route: The route shown, or None for all.
        current: The boat followed in this run, if any.
        follow: Called with the boat picked (None if no boat is at sea).
        tick: Changes every frame, so the story is redrawn as the run plays.
    """
    missing = solara.use_reactive(False)

    def pick() -> None:
        with run.lock:
            boat = newest_boat(run.model, route)
            picked = Followed(run, boat, setting_out(run.model, boat)) if boat is not None else None
        missing.set(picked is None)
        follow(picked)

    solara.Button(
        "Follow the newest boat",
        on_click=pick,
        classes=["routesim-follow-pick"],
        small=True,
        outlined=True,
    )
    if missing.value and current is None:
        solara.Text(
            "No boat at sea on this route now: step a day and try again.",
            style={"font-size": "13px", "color": "#555", "display": "block"},
        )
    if current is None:
        return
    lines = current.story()
    items = "".join(f"<li><b>{escape(when)}</b> — {escape(what)}</li>" for when, what in lines)
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f'<ol class="routesim-follow" style="padding-left:18px;margin:6px 0">{items}</ol>',
        style="font-size:13px",
    )


__all__ = ["FollowPanel", "Followed", "aboard", "moment", "newest_boat", "setting_out", "since"]
