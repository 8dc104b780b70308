"""A run recorded day by day and shared by every session that plays the same settings.

A class of twenty loads the same lesson: one model steps that run once, and each
session plays the recording back at its own pace. A session's place in it is just the
day it shows, with its own play and pause. The model records ahead of the sessions in
a background thread; each day keeps what the map and the follow panel show (a
`Frame`), so a session behind the model draws its own day, not the model's. The band
of other seeds, and the charts drawn from a recording, are shared the same way. Other
lever settings or another seed make another recording; a recording is dropped, and its
work stopped, when the last session playing it lets go.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import TypeVar

import pandas as pd

from routesim.app.charts import BandSummary, summarise_band
from routesim.app.frame import Frame
from routesim.app.live import LiveRun, LiveSettings, seed_band
from routesim.app.story import setting_out
from routesim.app.timeaxis import OneOffMark, TimelineEvent, one_off_events, timeline_events
from routesim.boats import Boat
from routesim.model import RouteModel
from routesim.routes import ROUTES
from routesim.scenario import Scenario

#: Days a recording steps at full speed ahead of the furthest day a session has asked for.
LEAD_DAYS = 30
#: Beyond that lead it records on, pausing this many times as long as each day took.
AHEAD_YIELD = 1.0
#: Drawn charts a recording keeps for the sessions playing it (a year has 53 weeks).
CHARTS_KEPT = 64
T = TypeVar("T")
#: Charts are redrawn once a simulated week (daily in the first week, so they fill in).
CHART_DAYS = 7


def chart_day(day: int, days: int) -> int:
    """The day the charts are drawn to: the last whole week shown (each day in the first)."""
    return day if day < CHART_DAYS or day >= days else day - day % CHART_DAYS


def shared_thread(target: Callable[[], None], name: str) -> threading.Thread:
    """Start a daemon thread that serves every session, bound to none of them.

    Solara hands a new thread the session (kernel) context it was created in. A
    recording outlives the session that made it, and a thread started once that
    session had closed failed in Solara's start-up code ("'NoneType' object has no
    attribute 'shell'"), printed to the server log; so the context is dropped.
    """
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.current_context = None  # type: ignore[attr-defined]
    thread.start()
    return thread


class SharedBand:
    """The band of other seeds of one setting, run once for every session that waits for it."""

    def __init__(self, settings: LiveSettings) -> None:
        self.settings = settings
        self._stop = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._result: BandSummary | None = None
        self._error: BaseException | None = None

    def wait(self, cancel: threading.Event) -> BandSummary | None:
        """The band, run now if nobody has asked yet; None if `cancel` is set or it stopped."""
        with self._lock:
            if self._thread is None:
                self._thread = shared_thread(self._run, "routesim-band")
        while not self._done.wait(0.2):
            if cancel.is_set():
                return None
        if self._error is not None:
            raise self._error
        return self._result

    def result(self) -> BandSummary | None:
        """The band if it has finished (None until then, or if it failed or stopped)."""
        return self._result if self._done.is_set() else None

    def stop(self) -> None:
        """Stop the band's worker: nobody plays this setting any more."""
        self._stop.set()

    def _run(self) -> None:
        try:
            daily = seed_band(self.settings, self._stop)
            if daily is not None:
                meta = self.settings.resolve().scenario
                self._result = summarise_band(daily, meta.start, meta.days)
        except Exception as error:  # noqa: BLE001 - handed to every session that waits
            self._error = error
        finally:
            self._done.set()


class Recording:
    """One run of one setting, kept day by day, recorded ahead of the sessions playing it.

    `record_ahead` steps the model on in a background thread, so that the sessions
    mostly read days already recorded; a session asking for a day not yet recorded
    steps the model to it at once.

    Attributes:
        settings: What the run is built from (without a lesson preset's name).
        band: The band of other seeds of these settings.
        events: The scenario's dated changes within the run, in date order.
        one_offs: The one-off events within the run, in date order.
    """

    def __init__(self, settings: LiveSettings) -> None:
        self.settings = settings
        self.band = SharedBand(settings)
        self._run = LiveRun(settings)
        self.events: list[TimelineEvent] = timeline_events(self._run.scenario)
        self.one_offs: list[OneOffMark] = one_off_events(self._run.scenario)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._furthest = 0
        self._frames = [Frame.of(self._run)]
        self._first_lines: dict[Boat, tuple[str, str]] = {}
        self._remember_first_lines(self._frames[0])
        self._daily = (-1, self._run.daily())
        # The ledger keeps run totals by country, not days: a copy on each day the charts
        # can be drawn to lets a session behind the model show its own day's. Only those
        # days: a copy takes a few milliseconds, a fifth of a day's step.
        self._countries = {0: self._run.country_totals()}
        self._charts: OrderedDict[Hashable, object] = OrderedDict()

    @property
    def scenario(self) -> Scenario:
        """The resolved scenario."""
        return self._run.scenario

    @property
    def days(self) -> int:
        """Days in the scenario period."""
        return self._run.model.days

    @property
    def recorded(self) -> int:
        """The last day recorded so far."""
        return len(self._frames) - 1

    @property
    def model(self) -> RouteModel:
        """The model, for what does not change as it runs (names, its day zero): read only."""
        return self._run.model

    def frame(self, day: int) -> Frame:
        """The frame at the end of `day` (at most the last day), stepping the model to it."""
        day = min(max(day, 0), self.days)
        self._furthest = max(self._furthest, day)
        while len(self._frames) <= day:
            self._record_day()
        return self._frames[day]

    def record_ahead(self) -> None:
        """Record the rest of the run in a background thread, until `stop`.

        It runs at full speed up to `LEAD_DAYS` ahead of the furthest day asked for, and
        yields most of the time beyond that, so that a run recorded while a class opens
        its pages is ready when they press play, without holding their pages up.
        """
        shared_thread(self._record_ahead, "routesim-record")

    def stop(self) -> None:
        """Stop recording ahead, and the band: nobody plays this run any more."""
        self._stop.set()
        self.band.stop()

    def daily(self, day: int) -> pd.DataFrame:
        """The daily outcome table of the first `day` days, the same however far it has run."""
        # What happens overnight is counted on the day before: that day's row is
        # complete only once the model has stepped the next.
        self.frame(day + 1)
        with self._lock:
            recorded, table = self._daily
            if recorded != len(self._frames):
                table = self._run.daily()
                self._daily = (len(self._frames), table)
        return table[table["day"] < day]

    def countries_to_date(self, day: int) -> pd.DataFrame:
        """Totals by departure country at the end of the day the charts of `day` are drawn to.

        See `chart_day` and `OutcomeLedger.country_totals`.
        """
        drawn = chart_day(min(max(day, 0), self.days), self.days)
        self.frame(drawn)
        return self._countries[drawn]

    def departure_countries(self, route: str | None) -> list[tuple[str, str]]:
        """ISO3 and name of each country a crossing (on `route`, if given) leaves from."""
        model = self._run.model
        names = model.geography.countries["name"]
        codes = {c.country for c in model.journeys.crossings if route in (None, c.route)}
        return sorted(((code, str(names.get(code, code))) for code in codes), key=lambda c: c[1])

    def first_line(self, boat: Boat) -> tuple[str, str]:
        """How a boat's story starts: told when it was the newest boat on a route view."""
        with self._lock:
            return self._first_lines[boat]

    def charts(self, key: Hashable, draw: Callable[[], T]) -> T:
        """Charts `draw` makes, drawn once for every session that shows the same `key`."""
        with self._lock:
            if key in self._charts:
                self._charts.move_to_end(key)
                return self._charts[key]  # type: ignore[return-value]
        made = draw()
        with self._lock:
            self._charts[key] = made
            while len(self._charts) > CHARTS_KEPT:
                self._charts.popitem(last=False)
        return made

    def _record_ahead(self) -> None:
        while len(self._frames) <= self.days and not self._stop.is_set():
            self._record_day()
            if len(self._frames) > self._furthest + LEAD_DAYS:
                # Far enough ahead: go on, but leave most of the interpreter to the
                # sessions drawing their frames (the model step holds it while it runs).
                self._stop.wait(AHEAD_YIELD * self._run.step_seconds)

    def _record_day(self) -> None:
        # Frames are only appended, under the lock, so reading a recorded day needs none.
        with self._lock:
            if len(self._frames) > self.days:
                return
            self._run.advance(1)
            frame = Frame.of(self._run)
            self._remember_first_lines(frame)
            self._frames.append(frame)
            day = len(self._frames) - 1
            if chart_day(day, self.days) == day:
                self._countries[day] = self._run.country_totals()

    def _remember_first_lines(self, frame: Frame) -> None:
        # Who is aboard is read from the boat's people as they are when it can be picked.
        for route in (None, *ROUTES):
            boat = frame.newest(route)
            if boat is not None and boat not in self._first_lines:
                self._first_lines[boat] = setting_out(self._run.model, boat)


class Recordings:
    """The recordings sessions play, one per setting, each kept while a session holds it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[LiveSettings, tuple[Recording, int]] = {}

    def hold(self, settings: LiveSettings) -> Recording:
        """The recording of `settings`, made if nobody plays them; `release` it when done."""
        key = replace(settings, preset="")
        with self._lock:
            recording, holders = self._held.get(key, (None, 0))
            if recording is None:
                # Made under the lock: two sessions opening at once share one warm-up.
                recording = Recording(key)
                recording.record_ahead()
            self._held[key] = (recording, holders + 1)
        return recording

    def release(self, recording: Recording) -> None:
        """Let go of a recording; the last session to let go drops it and stops its work."""
        with self._lock:
            held, holders = self._held[recording.settings]
            if holders > 1:
                self._held[recording.settings] = (held, holders - 1)
                return
            del self._held[recording.settings]
        recording.stop()

    def __len__(self) -> int:
        return len(self._held)


__all__ = ["Recording", "Recordings", "SharedBand"]
