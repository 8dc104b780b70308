"""A boat's story in words: where it left from, who is aboard, what has happened since.

`routesim.boats.Boat.story` records what happens to a boat (`routesim.boats.Episode`:
what, when, to how many); these functions tell it as the follow panel shows it, up to
the day a session is on. The words are here, not in the model.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from routesim.boats import Boat, Episode
from routesim.model import RouteModel
from routesim.routes import ROUTE_LABELS

if TYPE_CHECKING:
    from routesim.app.frame import Frame

#: Origins named in a boat's story; the rest are summed as "elsewhere".
ORIGINS_SHOWN = 3
#: How a landing on the EU coast ends, by `Episode.by`.
LANDINGS = {
    "intercepted": "intercepted by an EU patrol",
    "seen": "seen landing, and registered",
    "unseen": "landed unseen",
}
#: Who answers a boat in distress, in words, by `Episode.by`.
RESPONDERS = {
    "state": "a state rescue vessel",
    "ngo": "an NGO ship",
    "merchant": "a merchant ship",
    "partner": "the partner coast guard",
}


def persons(n: int) -> str:
    """A head count in words: "1 person", "2,031 people"."""
    return "1 person" if n == 1 else f"{n:,} people"


def told(model: RouteModel, episode: Episode) -> str:
    """What happened to a boat, in words."""
    people, by = persons(episode.people), RESPONDERS.get(episode.by, "")
    match episode.what:
        case "stopped":
            return f"stopped by the partner coast guard; {people} taken back"
        case "distress" if by:
            return f"in distress; {by} alerted, {episode.hours:.0f} h away"
        case "distress":
            return "in distress; no rescuer was alerted"
        case "sank":
            missing = episode.people - episode.dead
            return f"sank: {people} lost ({episode.dead:,} bodies recovered, {missing:,} missing)"
        case "exposure":
            return f"{people} died of exposure on the way"
        case "landed":
            return f"reached the coast with {people} aboard: {LANDINGS[episode.by]}"
        case "picked_up":
            return f"{people} picked up by {by} and taken back"
        case "aboard":
            return f"{people} taken aboard by {by}"
        case "disembarked":
            port = model.journeys.place_names.get(episode.port, "an EU port")
            return f"survivors landed at {port} and registered"
    raise ValueError(f"a boat's story has no words for {episode.what!r}")


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
    lines = [
        (moment(model, episode.time), told(model, episode))
        for episode in list(boat.story)
        if episode.time <= frame.time
    ]
    if frame.at_sea(boat):
        lines.append(("now", "at sea" if frame.time >= boat.launched_at else "about to sail"))
    return lines


__all__ = ["LANDINGS", "RESPONDERS", "aboard", "moment", "persons", "setting_out", "since", "told"]
