"""What the map and the follow panel show at the end of one day, as plain data.

A recording keeps one `Frame` per day, so a session behind the model draws its own day;
the map (`routesim.app.map`) and a boat's story (`routesim.app.story`) read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from routesim.app.live import LiveRun
from routesim.boats import Boat


@dataclass(frozen=True)
class BoatMark:
    """A boat at sea at the end of a day: where it is, how many aboard, whether in distress."""

    boat: Boat
    lon: float
    lat: float
    people: int
    distress: bool

    @classmethod
    def of(cls, boat: Boat) -> BoatMark:
        """The mark of a boat as it is now."""
        lon, lat = boat.position()
        return cls(boat, lon, lat, boat.people, boat.adrift)


@dataclass(frozen=True)
class PatrolMark:
    """A guard unit's patrol area, force and effort that day."""

    area: str
    force: str
    effort: float


@dataclass(frozen=True)
class VesselMark:
    """A rescue vessel's station, kind and whether it is out on a rescue."""

    area: str
    kind: str
    station: tuple[float, float]
    busy: bool


@dataclass(frozen=True)
class Frame:
    """What the map and the follow panel show at the end of one day, as plain data.

    Attributes:
        day: Days of the scenario period done (0: the warm-up has just ended).
        time: The model time at the end of that day.
        date: The date of that day (the start date before the first day).
        waiting: People waiting at each hub, by place id.
        patrols: Each guard unit.
        vessels: Each rescue vessel.
        boats: Each boat at sea, or about to sail tonight.
    """

    day: int
    time: float
    date: dt.date
    waiting: dict[str, float]
    patrols: tuple[PatrolMark, ...]
    vessels: tuple[VesselMark, ...]
    boats: tuple[BoatMark, ...]

    @classmethod
    def of(cls, run: LiveRun) -> Frame:
        """The frame of a live run's model as it is now."""
        model = run.model
        return cls(
            day=run.days_done,
            time=float(model.time),
            date=model.date if run.days_done else run.scenario.scenario.start,
            waiting=model.waiting_by_place(),
            patrols=tuple(PatrolMark(u.area, u.force, float(u.effort)) for u in model.guards),
            vessels=tuple(
                VesselMark(area, v.kind, v.station, v.busy_until > model.time)
                for area, vessels in model.rescue.vessels.items()
                for v in vessels
            ),
            boats=tuple(BoatMark.of(b) for b in model.fleet.at_sea.values()),
        )

    def newest(self, route: str | None) -> Boat | None:
        """The boat that puts to sea last (on `route`, if given); None if none is at sea."""
        boats = [m.boat for m in self.boats if route is None or m.boat.crossing.route == route]
        return max(boats, key=lambda boat: boat.launched_at, default=None)

    def at_sea(self, boat: Boat) -> bool:
        """Whether `boat` is at sea (or about to sail) at the end of this day."""
        return any(mark.boat is boat for mark in self.boats)
