"""Rescue services: who answers a distress call, when they get there, where they land people.

The state responsible for the search-and-rescue region where a boat is in distress
coordinates the response, after a coordination delay. The first responder to
arrive wins: a free state or NGO vessel (each a Mesa agent with a station, a
speed and a time when it is busy until), a merchant ship that happens to be near,
or, in a partner country's region, its coast guard, which takes people back.
A vessel that rescues is busy while it carries survivors to a port: with few
vessels, the next call may find none free. That is why SAR capacity matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa

from routesim.migrants import State
from routesim.routes import AREA_OF_ROUTE, SAR_AREAS

if TYPE_CHECKING:
    from routesim.boats import Boat
    from routesim.world import World

HOURS = 24.0
EARTH_RADIUS_KM = 6371.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


class RescueVessel(mesa.Agent):
    """A state or NGO vessel on station, answering distress calls in its sea area."""

    def __init__(
        self,
        model: World,
        kind: str,
        area: str,
        station: tuple[float, float],
        speed_kmh: float,
    ) -> None:
        super().__init__(model)
        self.kind = kind
        self.area = area
        self.station = station
        self.speed_kmh = speed_kmh
        self.busy_until = 0.0

    def eta(self, position: tuple[float, float], delay_hours: float) -> float:
        """Model time at which the vessel could reach `position`, if tasked now."""
        start = max(self.model.time, self.busy_until)
        hours = delay_hours + distance_km(self.station, position) / self.speed_kmh
        return start + hours / HOURS


@dataclass(eq=False)
class Response:
    """A responder on its way to a boat in distress."""

    coordination: RescueCoordination
    boat: Boat
    actor: str  # "state", "ngo", "merchant" or "partner"
    arrival: float
    vessel: RescueVessel | None
    port: str | None
    port_hours: float

    def rescue(self) -> None:
        """Take the survivors aboard, then land them at a port."""
        model = self.coordination.model
        boat = self.boat
        self.coordination.pending.discard(self)
        route = boat.crossing.route
        people = boat.people
        if self.actor == "partner":
            boat.record("picked_up", people=people, by=self.actor)
            model.count(route, "rescues_partner", people)
            model.migration.partner_stop(boat.rows, before_launch=False)
            boat.remove()
            return
        boat.record("aboard", people=people, by=self.actor)
        model.count(route, "rescues", people)
        model.count(route, f"rescues_{self.actor}", people)
        model.migrants.move(boat.rows, State.RESCUED, model.day)
        landing = model.time + self.port_hours / HOURS
        if self.vessel is not None:
            self.vessel.busy_until = landing + self.coordination.turnaround(self.actor) / HOURS
        self.coordination.pending.add(self)
        model.schedule_event(self.disembark, at=landing)

    def disembark(self) -> None:
        """Survivors reach a port of safety in the EU: registered as arrivals."""
        model = self.coordination.model
        self.coordination.pending.discard(self)
        self.boat.record("disembarked", people=self.boat.people, port=self.port or "")
        model.migration.land_detected(self.boat.rows)
        self.boat.remove()


class RescueCoordination:
    """The rescue coordination centres of all SAR regions, and the vessels they task."""

    def __init__(self, model: World) -> None:
        self.model = model
        # Mesa's event list holds only weak references to what it will call, so a
        # scheduled response (nothing else refers to it) would be garbage-collected and
        # its rescue silently never happen: this set keeps each alive until it is done.
        self.pending: set[Response] = set()
        geo = model.geography
        self.vessels: dict[str, list[RescueVessel]] = {area: [] for area in SAR_AREAS}
        self._ports = self._eu_ports()
        self._stations = {area: self._stations_of(area) for area in SAR_AREAS}
        self._sar_state = dict(geo.sar_regions["state"])
        self.station_vessels()

    def station_vessels(self) -> None:
        """Bring the vessels on station to the numbers the levers set now.

        Vessels leave from the last stationed; one on its way to a boat still gets there.
        """
        levers, parameters = self.model.levers, self.model.parameters
        for area in SAR_AREAS:
            wanted = getattr(levers.sar_state_vessels, area)
            self._fit_fleet(area, "state", wanted, parameters.rescue_vessel_speed_kmh)
        self._fit_fleet("central_med", "ngo", levers.ngo_vessels, parameters.ngo_vessel_speed_kmh)
        self._capacity = {area: self._relative_capacity(area) for area in SAR_AREAS}

    def _fit_fleet(self, area: str, kind: str, wanted: float, speed_kmh: float) -> None:
        fleet = [vessel for vessel in self.vessels[area] if vessel.kind == kind]
        for i in range(len(fleet), int(round(wanted))):
            station = self._ngo_station(i) if kind == "ngo" else self._state_station(area, i)
            self.vessels[area].append(RescueVessel(self.model, kind, area, station, speed_kmh))
        for vessel in fleet[int(round(wanted)) :]:
            self.vessels[area].remove(vessel)
            vessel.remove()

    def capacity(self, area: str) -> float:
        """Vessels on station in an area, as a multiple of the 2023 baseline there."""
        return self._capacity[area]

    def _relative_capacity(self, area: str) -> float:
        reference = self.model.parameters.rescue_reference_vessels[area]
        return len(self.vessels[area]) / reference

    def respond(self, boat: Boat) -> Response | None:
        """Task the responder that can reach a boat in distress first, if any."""
        model = self.model
        crossing = boat.crossing
        position = model.geography.position(crossing.leg, boat.fraction)
        region = model.geography.sar_region_at(crossing.leg, boat.fraction)
        state = self._sar_state.get(region, "")
        partner_region = bool(state) and state not in model.eu_members
        delay = model.levers.sar_coordination_delay
        area = AREA_OF_ROUTE[crossing.route]
        options: list[Response] = []
        port, port_km = self._nearest_port(crossing.route, position)
        for vessel in self.vessels[area]:
            arrival = vessel.eta(position, delay)
            hours = port_km / vessel.speed_kmh
            options.append(Response(self, boat, vessel.kind, arrival, vessel, port, hours))
        if model.rng.random() < model.parameters.merchant_rescue[crossing.route]:
            arrival = model.time + (delay + model.rng.exponential(8.0)) / HOURS
            options.append(Response(self, boat, "merchant", arrival, None, port, port_km / 20.0))
        if partner_region and model.guards.answer_distress(state):
            arrival = (
                model.time
                + (model.parameters.partner_rescue_delay_hours + model.rng.exponential(4.0)) / HOURS
            )
            options.append(Response(self, boat, "partner", arrival, None, None, 0.0))
        if not options:
            return None
        best = min(options, key=lambda r: r.arrival)
        if best.vessel is not None:
            best.vessel.busy_until = max(best.vessel.busy_until, best.arrival)
        self.pending.add(best)
        return best

    def encounter(self, boat: Boat, when: float) -> Response | None:
        """Whether an NGO ship on patrol meets a boat at sea, and takes everyone aboard.

        NGO ships patrol international waters off Libya and rescue boats they find,
        distress call or not; each free ship has a chance of meeting a given boat on its crossing.
        """
        model = self.model
        if boat.crossing.route != "central_med":
            return None
        free = [v for v in self.vessels["central_med"] if v.kind == "ngo" and v.busy_until <= when]
        if not free or model.rng.random() >= 1 - (1 - model.parameters.ngo_encounter) ** len(free):
            return None
        vessel = free[int(model.rng.integers(len(free)))]
        position = model.geography.position(boat.crossing.leg, boat.fraction)
        port, port_km = self._nearest_port(boat.crossing.route, position)
        vessel.busy_until = when
        response = Response(self, boat, "ngo", when, vessel, port, port_km / vessel.speed_kmh)
        self.pending.add(response)
        return response

    def turnaround(self, actor: str) -> float:
        """Hours a vessel needs after landing people before it is back on station."""
        # NGO ships are often assigned distant ports and held there.
        return self.model.levers.ngo_port_days * HOURS if actor == "ngo" else 12.0

    def _eu_ports(self) -> dict[str, list[tuple[str, tuple[float, float]]]]:
        places = self.model.geography.places
        ports: dict[str, list[tuple[str, tuple[float, float]]]] = {}
        for pid, place in places.iterrows():
            if "disembarkation_port" in place["roles"] and place["in_eu"]:
                for route in place["routes"]:
                    ports.setdefault(route, []).append((pid, (place.geometry.x, place.geometry.y)))
        return ports

    def _nearest_port(self, route: str, position: tuple[float, float]) -> tuple[str | None, float]:
        candidates = self._ports.get(route, [])
        if not candidates:
            return None, 200.0
        pid, point = min(candidates, key=lambda c: distance_km(c[1], position))
        return pid, distance_km(point, position)

    def _state_station(self, area: str, i: int) -> tuple[float, float]:
        stations = self._stations[area]
        return stations[i % len(stations)]

    def _stations_of(self, area: str) -> list[tuple[float, float]]:
        routes = [route for route, a in AREA_OF_ROUTE.items() if a == area]
        stations = [point for route in routes for _, point in self._ports.get(route, [])]
        return stations or [(0.0, 0.0)]

    def _ngo_station(self, i: int) -> tuple[float, float]:
        # NGO ships patrol international waters off western Libya.
        central = [c for c in self.model.journeys.crossings if c.route == "central_med" and c.sea]
        libyan = [c for c in central if c.country == "LBY"] or central
        if not libyan:
            return (13.0, 34.0)
        crossing = libyan[i % len(libyan)]
        return self.model.geography.position(crossing.leg, 0.3)
