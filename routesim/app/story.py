"""A boat's story in words: where it left from, who is aboard, what has happened since.

`routesim.boats.Boat.story` records what happens to a boat as ``(model time, what)``;
these functions tell it as the follow panel shows it, up to the day a session is on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from routesim.boats import Boat, persons
from routesim.model import RouteModel
from routesim.routes import ROUTE_LABELS

if TYPE_CHECKING:
    from routesim.app.recording import Frame

#: Origins named in a boat's story; the rest are summed as "elsewhere".
ORIGINS_SHOWN = 3


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
    happens to them: when the boat can be picked.
    """
    crossing = boat.crossing
    names = model.journeys.place_names
    return moment(model, boat.launched_at), (
        f"put to sea from {names[crossing.start]} for {names[crossing.end]} "
        f"({ROUTE_LABELS[crossing.route]}): a {boat.boat_type.replace('_', ' ')} with "
        f"{persons(boat.load)} aboard ({aboard(model, boat)}), {boat.load_factor:.2g} times "
        f"its rated capacity; the smuggler charged €{boat.price:,.0f} a person"
    )


def since(model: RouteModel, boat: Boat, frame: Frame) -> list[tuple[str, str]]:
    """What had happened to the boat by the end of `frame`'s day, as ``(when, what)``."""
    # The model may have run ahead of the day shown: later entries are not told yet.
    told = [(moment(model, time), what) for time, what in list(boat.story) if time <= frame.time]
    if frame.at_sea(boat):
        told.append(("now", "at sea" if frame.time >= boat.launched_at else "about to sail"))
    return told


__all__ = ["aboard", "moment", "setting_out", "since"]
