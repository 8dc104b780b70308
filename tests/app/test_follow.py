"""Following a boat without a browser: the newest boat, its story, its end, its ring on the map."""

from __future__ import annotations

import pytest

from routesim.app.follow import follow_newest
from routesim.app.live import LiveSettings
from routesim.app.map import map_layers
from routesim.app.recording import Recording
from routesim.app.story import LANDINGS, persons, told
from routesim.boats import Episode

#: How a boat's story can end (the last thing `Boat.story` records before it leaves).
ENDINGS = (
    *LANDINGS.values(),
    "taken back",
    "missing)",
    "and registered",
)


@pytest.fixture(scope="module")
def recording() -> Recording:
    return Recording(LiveSettings(scale=100))


def test_the_newest_boat_is_the_last_to_put_to_sea_on_the_route(recording: Recording) -> None:
    frame = recording.frame(3)
    boats = [mark.boat for mark in frame.boats]
    newest = follow_newest(recording, 3, None)
    assert newest is not None and newest.boat.launched_at == max(b.launched_at for b in boats)
    central = follow_newest(recording, 3, "central_med")
    assert central is not None and central.boat.crossing.route == "central_med"
    assert central.boat.launched_at == max(
        b.launched_at for b in boats if b.crossing.route == "central_med"
    )


def test_a_followed_boat_is_told_from_setting_out_to_its_end(recording: Recording) -> None:
    followed = follow_newest(recording, 3, "central_med")
    assert followed is not None
    boat = followed.boat
    first = followed.story(3)
    when, what = first[0]
    assert what.startswith("put to sea from ") and "Central Mediterranean" in what
    assert f"{persons(boat.load)} aboard" in what and f"€{boat.price:,.0f} a person" in what
    assert first[-1][0] == "now"
    end = next((day for day in range(4, 34) if not recording.frame(day).at_sea(boat)), None)
    assert end is not None, "the boat was still at sea after 30 days"
    told = followed.story(end)
    assert told[0] == first[0] and told[-1][0] != "now"
    assert told[-1][1].endswith(ENDINGS), told
    assert len(told) >= 2
    # A session still on day 3 is told the story as it stood then, though the model ran on.
    assert followed.story(3) == first


def test_the_map_rings_the_followed_boat_only(recording: Recording) -> None:
    frame = recording.frame(3)
    layers = map_layers(recording.model.geography, None)
    boat = next(m.boat for m in frame.boats if layers.projection.contains(m.lon, m.lat))
    assert layers.overlay(frame).count('class="followed"') == 0
    assert layers.overlay(frame, boat).count('class="followed"') == 1


@pytest.mark.parametrize(
    ("what", "by", "words"),
    [
        ("stopped", "", "stopped by the partner coast guard; 3 people taken back"),
        ("distress", "", "in distress; no rescuer was alerted"),
        ("distress", "ngo", "in distress; an NGO ship alerted, 2 h away"),
        ("sank", "", "sank: 3 people lost (1 bodies recovered, 2 missing)"),
        ("exposure", "", "3 people died of exposure on the way"),
        ("landed", "unseen", "reached the coast with 3 people aboard: landed unseen"),
        ("picked_up", "partner", "3 people picked up by the partner coast guard and taken back"),
        ("aboard", "merchant", "3 people taken aboard by a merchant ship"),
        ("disembarked", "", "survivors landed at an EU port and registered"),
    ],
)
def test_every_episode_of_a_boat_is_told_in_words(
    recording: Recording, what: str, by: str, words: str
) -> None:
    episode = Episode(0.0, what, people=3, dead=1, by=by, hours=2.0)
    assert told(recording.model, episode) == words
