"""Following a boat without a browser: the newest boat, its story, its end, its ring on the map."""

from __future__ import annotations

import pytest

from routesim.app.follow import Followed, newest_boat, setting_out
from routesim.app.live import LiveRun, LiveSettings
from routesim.app.map import map_layers
from routesim.boats import LANDINGS, Boat, persons

#: How a boat's story can end (the last thing `Boat.story` records before it leaves).
ENDINGS = (
    *LANDINGS.values(),
    "taken back",
    "missing)",
    "and registered",
)


@pytest.fixture(scope="module")
def run() -> LiveRun:
    live = LiveRun(LiveSettings(scale=100))
    live.advance(3)
    return live


def test_the_newest_boat_is_the_last_to_put_to_sea_on_the_route(run: LiveRun) -> None:
    boats = list(run.model.agents_by_type[Boat])
    newest = newest_boat(run.model, None)
    assert newest is not None and newest.launched_at == max(b.launched_at for b in boats)
    central = newest_boat(run.model, "central_med")
    assert central is not None and central.crossing.route == "central_med"
    assert central.launched_at == max(
        b.launched_at for b in boats if b.crossing.route == "central_med"
    )


def test_a_followed_boat_is_told_from_setting_out_to_its_end(run: LiveRun) -> None:
    boat = newest_boat(run.model, "central_med")
    assert boat is not None
    followed = Followed(run, boat, setting_out(run.model, boat))
    first = followed.story()
    when, what = first[0]
    assert what.startswith("put to sea from ") and "Central Mediterranean" in what
    assert f"{persons(boat.load)} aboard" in what and f"€{boat.price:,.0f} a person" in what
    assert first[-1][0] == "now"
    for _ in range(30):
        if not boat.at_sea:
            break
        run.advance(1)
    assert not boat.at_sea, "the boat was still at sea after 30 days"
    told = followed.story()
    assert told[0] == first[0] and told[-1][0] != "now"
    assert told[-1][1].endswith(ENDINGS), told
    assert len(told) >= 2


def test_the_map_rings_the_followed_boat_only(run: LiveRun) -> None:
    layers = map_layers(run.model.geography, None)
    boat = next(
        b for b in run.model.agents_by_type[Boat] if layers.projection.contains(*b.position())
    )
    assert layers.overlay(run.model).count('class="followed"') == 0
    assert layers.overlay(run.model, boat).count('class="followed"') == 1
