"""Journeys: the crossings into the EU and how far each is from every place.

A crossing is a leg that crosses an external EU border: a sea leg from a departure
point to a landing point, or a land leg over a border section. People choose a
crossing, travel overland (or fly) to its start, wait there and try. Because many
crossings can be reached from one origin, pressure on one displaces people to
others, which is the point of the whole-of-route approach.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from routesim.geography import Geography
from routesim.routes import ROUTES


@dataclass(frozen=True)
class Crossing:
    """One way into the EU: a crossing leg and what lies along it."""

    index: int
    leg: str
    start: str
    end: str
    route: str
    sea: bool
    country: str
    length_km: float
    sea_area: str
    patrol_areas: tuple[str, ...]


class Journeys:
    """The crossings, and the overland distance from each place to each crossing."""

    def __init__(self, geography: Geography) -> None:
        self.geography = geography
        places = geography.places
        self.place_ids: list[str] = list(places.index)
        self.place_index = {pid: i for i, pid in enumerate(self.place_ids)}
        self.place_names: dict[str, str] = dict(places["name"])
        legs = geography.legs[geography.legs["crossing"]]
        self.crossings: list[Crossing] = [
            Crossing(
                index=i,
                leg=leg_id,
                start=leg["from"],
                end=leg["to"],
                route=leg["route"],
                sea=leg["mode"] == "sea",
                country=places.at[leg["from"], "country"],
                length_km=float(leg["length_km"]),
                sea_area=leg["sea_area"] or "",
                patrol_areas=tuple(geography.leg_patrol_areas.get(leg_id, ())),
            )
            for i, (leg_id, leg) in enumerate(legs.iterrows())
        ]
        self.route = np.array([ROUTES.index(c.route) for c in self.crossings], dtype=np.int8)
        self.start = np.array([self.place_index[c.start] for c in self.crossings], dtype=np.int16)
        self.end = np.array([self.place_index[c.end] for c in self.crossings], dtype=np.int16)
        #: Departure countries (ISO3), and each crossing's index among them.
        self.countries: list[str] = sorted({c.country for c in self.crossings})
        self.country = np.array(
            [self.countries.index(c.country) for c in self.crossings], dtype=np.int16
        )
        #: Whether each crossing lands on the Greek islands from Türkiye (the EU-Turkey
        #: Statement's returns); Crete and Cyprus are reached from Libya and Lebanon.
        self.to_greek_islands = np.array(
            [c.sea and c.route == "eastern_med" and c.country == "TUR" for c in self.crossings]
        )
        self.distance_km, self.flights = self._distances()

    def _distances(self) -> tuple[np.ndarray, np.ndarray]:
        """Overland km and flights from every place to every crossing's start.

        Travel to a crossing never uses another crossing: reaching the EU is the
        crossing itself. Flights cost a day but no overland km.
        """
        graph = nx.DiGraph()
        graph.add_nodes_from(self.place_ids)
        for u, v, data in self.geography.network.edges(data=True):
            if data.get("crossing"):
                continue
            km = 0.0 if data["mode"] == "air" else float(data["length_km"])
            flight = 1 if data["mode"] == "air" else 0
            # Prefer the shorter of parallel legs; a flight counts as 1,000 km of effort.
            weight = km + 1000.0 * flight
            if not graph.has_edge(u, v) or graph[u][v]["weight"] > weight:
                graph.add_edge(u, v, weight=weight, km=km, flight=flight)
        n_places, n_crossings = len(self.place_ids), len(self.crossings)
        distance = np.full((n_places, n_crossings), np.inf)
        flights = np.zeros((n_places, n_crossings), dtype=np.int8)
        starts = {c.start for c in self.crossings}
        for start in starts:
            # Distances *to* a start: search the reversed graph from it.
            lengths, paths = nx.single_source_dijkstra(graph.reverse(copy=False), start)
            columns = [c.index for c in self.crossings if c.start == start]
            for source, path in paths.items():
                km = sum(
                    graph[a][b]["km"] for a, b in zip(path[::-1][:-1], path[::-1][1:], strict=True)
                )
                n_flights = sum(
                    graph[a][b]["flight"]
                    for a, b in zip(path[::-1][:-1], path[::-1][1:], strict=True)
                )
                row = self.place_index[source]
                distance[row, columns] = km
                flights[row, columns] = n_flights
        return distance, flights
