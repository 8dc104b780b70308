"""Recordings: sessions with the same settings share one run, each at its own day."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from routesim.app.frame import BoatMark, Frame
from routesim.app.live import LiveRun, LiveSettings
from routesim.app.recording import (
    AHEAD_YIELD,
    LEAD_DAYS,
    Recording,
    Recordings,
    SharedBand,
)

SETTINGS = LiveSettings(scale=400)


@pytest.fixture(scope="module")
def recording() -> Recording:
    return Recording(SETTINGS)


def test_a_recording_holds_the_run_the_settings_make(recording: Recording) -> None:
    run = LiveRun(SETTINGS)
    run.advance(12)
    frame, now = recording.frame(12), Frame.of(run)
    assert frame.day == 12 and frame.date == run.model.date
    assert (frame.waiting, frame.patrols, frame.vessels) == (now.waiting, now.patrols, now.vessels)
    assert frame.boats and [_plain(m) for m in frame.boats] == [_plain(m) for m in now.boats]


def _plain(mark: BoatMark) -> tuple:
    return (mark.boat.launched_at, mark.lon, mark.lat, mark.people, mark.distress)


def test_the_days_shown_do_not_depend_on_how_far_the_run_has_gone(recording: Recording) -> None:
    fresh = Recording(SETTINGS)
    first = fresh.daily(12)
    recording.frame(60)  # another session played far ahead
    pd.testing.assert_frame_equal(first, recording.daily(12))
    # ... and the days are those of one run stepped on: overnight counts included.
    run = LiveRun(SETTINGS)
    run.advance(13)
    daily = run.daily()
    pd.testing.assert_frame_equal(
        first.reset_index(drop=True), daily[daily["day"] < 12].reset_index(drop=True)
    )


def test_a_day_behind_the_model_shows_that_day(recording: Recording) -> None:
    early = recording.frame(4)
    recording.frame(20)  # another session plays on
    assert recording.frame(4) is early
    assert recording.daily(4)["day"].max() == 3
    assert len(recording.daily(20)) > len(recording.daily(4))


def test_a_frame_past_the_end_is_the_last_day() -> None:
    short = Recording(LiveSettings(scale=400))
    assert short.frame(-5).day == 0
    assert short.frame(10_000).day == short.days


def test_sessions_with_the_same_settings_share_one_recording() -> None:
    recordings = Recordings()
    first = recordings.hold(SETTINGS)
    # A lesson preset only names where the settings came from: the run is the same.
    second = recordings.hold(LiveSettings(scale=400, preset="A lesson"))
    other = recordings.hold(LiveSettings(scale=400, seed=2))
    assert second is first and other is not first and len(recordings) == 2
    recordings.release(first)
    assert recordings.hold(SETTINGS) is first
    recordings.release(first)
    recordings.release(second)
    assert len(recordings) == 1
    again = recordings.hold(SETTINGS)
    assert again is not first
    recordings.release(again)
    recordings.release(other)
    assert len(recordings) == 0


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_recording_records_ahead_slower_beyond_its_lead_until_stopped() -> None:
    recording = Recording(SETTINGS)
    pauses = _PauseLog(recording)
    recording._stop = pauses
    recording.record_ahead()
    _wait_for(lambda: recording.recorded >= LEAD_DAYS + 10)
    recording.stop()
    stopped = recording.recorded
    assert LEAD_DAYS + 10 <= stopped < recording.days
    # Within the lead the days run back to back; beyond it each day is followed by a pause
    # as long as its step (AHEAD_YIELD). Counted, not timed, so a busy machine cannot fail it.
    days = [day for day, _ in pauses.asked]
    assert days[0] == LEAD_DAYS and len(days) >= 10
    assert days == list(range(days[0], days[0] + len(days)))
    assert all(seconds > 0 for _, seconds in pauses.asked) and AHEAD_YIELD > 0
    time.sleep(0.5)
    assert recording.recorded <= stopped + 1  # the day being stepped when it was stopped
    assert recording.frame(stopped + 5).day == stopped + 5  # a session still steps it


class _PauseLog(threading.Event):
    """A recording's stop signal that notes each pause between days: after which day, how long."""

    def __init__(self, recording: Recording) -> None:
        super().__init__()
        self.recording = recording
        self.asked: list[tuple[int, float]] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.asked.append((self.recording.recorded, timeout if timeout is not None else 0.0))
        return super().wait(timeout)


def test_the_last_session_to_let_go_stops_the_band() -> None:
    recordings = Recordings()
    recording = recordings.hold(SETTINGS)
    waiting = threading.Event()
    answers: list[object] = []

    def wait() -> None:
        waiting.set()
        answers.append(recording.band.wait(threading.Event()))

    waiter = threading.Thread(target=wait)
    waiter.start()
    waiting.wait(10)
    recordings.release(recording)
    waiter.join(60)
    assert not waiter.is_alive(), "the band did not stop when its last session let go"
    assert answers == [None]


def test_a_waiting_session_can_give_up_on_the_band() -> None:
    band = SharedBand(SETTINGS)
    cancel = threading.Event()
    cancel.set()
    assert band.wait(cancel) is None
    band.stop()


def test_a_band_is_read_only_once_it_has_finished() -> None:
    # The page reads the band from its recording: until the band is done there is none,
    # never the band of the settings shown before.
    band = SharedBand(SETTINGS)
    assert band.result() is None
    summary = band.wait(threading.Event())
    assert summary is not None and band.result() is summary
    band.stop()


def test_departures_by_country_add_up_to_all_departures_to_the_same_day(
    recording: Recording,
) -> None:
    day = 21  # a day the charts are drawn to (a whole week)
    by_country = recording.countries_to_date(day)
    daily = recording.daily(day)
    assert daily["departures"].sum() > 0
    assert by_country["departures"].sum() == pytest.approx(daily["departures"].sum())
    central = dict(recording.departure_countries("central_med"))
    assert {"TUN": "Tunisia", "LBY": "Libya"}.items() <= central.items()
    # Türkiye is on two routes: a country's totals are over all its routes.
    assert "TUR" in central and "TUR" in dict(recording.departure_countries("eastern_med"))
    assert "MAR" not in central
