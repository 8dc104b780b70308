"""The app's page: a Simulate tab (map, controls, live charts) and a Compare tab.

Solara renders `Page` once per browser session. Sessions with the same settings play
one shared `Recording` of the run, each at its own day; the geography, the drawn map
bases and what is drawn from a recording are shared read-only. The day a session shows
is a reactive read only by the parts that change with it (status, map, follow panel,
charts), so a frame redraws those and not the controls.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from html import escape

import solara

from routesim.app import style
from routesim.app.charts import (
    BandSummary,
    countries_chart,
    flows_chart,
    panel_tops,
    totals_chart,
)
from routesim.app.compare import CompareView
from routesim.app.controls import ALL_ROUTES, SPEEDS, LeverPanels, RunControls
from routesim.app.follow import Followed, FollowPanel
from routesim.app.history import JumpProgress, JumpToDate, YearsPicker, fast_forward
from routesim.app.lessons import LessonsPanel
from routesim.app.live import LiveSettings
from routesim.app.map import map_layers
from routesim.app.recording import Recording, Recordings, chart_day
from routesim.app.reference import reference_for
from routesim.app.timeaxis import TimelineEvent, latest_event
from routesim.app.whatif import what_if_name
from routesim.app.words import glossary_html
from routesim.boats import Boat
from routesim.geography import shared_geography
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES
from routesim.scenario import load_scenario

#: Longest a frame should take while playing; faster speeds step several days a frame.
#: Each frame costs the server a redraw and a send per session, whatever the days in it.
FRAME_SECONDS = 0.3
#: The runs this server's sessions play, one per setting (like the map bases, per process).
RECORDINGS = Recordings()
_ROUTE_OF_LABEL = {label: route for route, label in ROUTE_LABELS.items()}


def play(
    recording: Recording,
    day: solara.Reactive[int],
    show: Callable[[int], None],
    playing: solara.Reactive[bool],
    speed: solara.Reactive[str],
    cancel: threading.Event,
) -> None:
    """Move the day shown on while playing, at the chosen speed, one frame at a time.

    Args:
        recording: The run played.
        day: The day shown now.
        show: Shows another day.
        playing: Set while playing; cleared here at the end of the run.
        speed: The speed button's label.
        cancel: Set when the session closes or the run changes.
    """
    while playing.value and not cancel.is_set():
        started = time.perf_counter()
        days_per_second = SPEEDS[speed.value]
        days = max(1, round(days_per_second * FRAME_SECONDS))
        shown = day.value
        target = min(shown + days, recording.days)
        recording.frame(target)
        if day.value != shown:  # a reset or lever change while this frame was made
            return
        show(target)
        if target >= recording.days:
            playing.set(False)
            return
        pause = days / days_per_second - (time.perf_counter() - started)
        if pause > 0:
            cancel.wait(pause)


@solara.component
def MapView(
    recording: Recording, day: solara.Reactive[int], route: str | None, followed: Boat | None
) -> None:
    """The map: the cached base layer under the overlay of what moves on the day shown."""
    layers = map_layers(shared_geography(), route)
    with solara.Div(classes=["routesim-map-row"]):
        with solara.Div(style={"position": "relative"}, classes=["routesim-map"]):
            solara.HTML(tag="div", unsafe_innerHTML=layers.base_svg)
            Overlay(recording, day, route, followed)
            solara.HTML(tag="div", unsafe_innerHTML=_route_key(route))
        solara.HTML(tag="div", unsafe_innerHTML=_map_legend(), classes=["routesim-map-legend"])


@solara.component
def Overlay(
    recording: Recording, day: solara.Reactive[int], route: str | None, followed: Boat | None
) -> None:
    """What moves on the map, redrawn every frame (the rest of the map is not)."""
    overlay = map_layers(shared_geography(), route).overlay(recording.frame(day.value), followed)
    solara.HTML(tag="div", unsafe_innerHTML=overlay, style="position:absolute;inset:0")


def _route_key(route: str | None) -> str:
    rows = "".join(
        f'<div><span style="display:inline-block;width:16px;height:4px;background:'
        f'{ROUTE_COLOURS[r]};vertical-align:middle;margin-right:5px"></span>{ROUTE_LABELS[r]}</div>'
        for r in ((route,) if route else ROUTES)
    )
    return f'<div class="routesim-route-key">{rows}</div>'


def _map_legend() -> str:
    def mark(svg: str, text: str) -> str:
        return (
            f'<span style="display:block;margin:2px 0"><svg width="14" height="14" '
            f'style="vertical-align:middle">{svg}</svg> {text}</span>'
        )

    return (
        '<div class="routesim-map-marks">'
        + mark(
            '<circle cx="7" cy="7" r="5" fill="#999" stroke="#222"/>',
            "boat at sea (colour: route; size: people)",
        )
        + mark(style.distress_mark(7, 7, 3), "boat in distress (red ring and cross)")
        + mark(style.crowd_mark(7, 7, 5), "people waiting at a hub (square; size: people)")
        + mark(
            f'<path d="M7,1L13,7L7,13L1,7Z" fill="{style.RESCUE_STATE}"/>',
            "state rescue vessel (filled: on a rescue)",
        )
        + mark(
            f'<path d="M7,1L13,7L7,13L1,7Z" fill="#fff" stroke="{style.RESCUE_NGO}" stroke-width="1.5"/>',
            "NGO rescue vessel",
        )
        + mark(f'<path d="M7,1L13,12L1,12Z" fill="{style.GUARD_EU}"/>', "EU patrol")
        + mark(
            f'<path d="M7,1L13,12L1,12Z" fill="{style.GUARD_PARTNER}"/>',
            "partner patrol (size: today's effort)",
        )
        + "</div>"
    )


def draw_charts(
    recording: Recording,
    route: str | None,
    day: int,
    band: BandSummary | None,
    y_floors: Mapping[str, float] | None = None,
) -> tuple[str, str]:
    """The flows and totals charts of the first `day` days, with band and observed figures.

    `y_floors` holds the flows panels' axes at least as high as a kept run's.
    """
    daily = recording.daily(day)
    routes = (route,) if route else ROUTES
    meta = recording.scenario.scenario
    reference = reference_for(recording.settings, meta.start, meta.days)
    caption = export_caption(recording.settings, meta.name, meta.start, day)
    flows = flows_chart(
        daily,
        routes,
        reference,
        meta.start,
        meta.days,
        day,
        band,
        recording.events,
        recording.one_offs,
        y_floors,
        caption,
    )
    totals = totals_chart(daily, routes, reference, meta.start, day, band, caption)
    countries = countries_chart(
        recording.countries_to_date(day), recording.departure_countries(route), caption
    )
    return flows, totals + countries


@solara.component
def Charts(
    recording: Recording,
    drawn_to: solara.Reactive[int],
    route: str | None,
    band: BandSummary | None,
    kept: solara.Reactive[dict[str, float] | None],
) -> None:
    """Flows and totals to date, with the band of other seeds and observed figures.

    `drawn_to` is the day the charts are drawn to (`chart_day`), read here: the charts
    are redrawn when it changes, not every frame. `kept` holds the axes' tops of a run
    the user chose to keep, so that the next presets are drawn on its scale.
    """
    drawn = drawn_to.value

    def keep(on: bool) -> None:
        daily = recording.daily(drawn)
        meta = recording.scenario.scenario
        routes = (route,) if route else ROUTES
        kept.set(panel_tops(daily, routes, meta.start, meta.days, drawn) if on else None)

    floors = kept.value
    flows, totals = recording.charts(
        ("charts", route, drawn, band is not None, tuple(sorted((floors or {}).items()))),
        lambda: draw_charts(recording, route, drawn, band, floors),
    )
    solara.HTML(tag="div", unsafe_innerHTML=flows)
    # Under the flows, not over them: above, it pushed their first row below the fold.
    # Each preset's axes fit its own run: without this, 20k in one beside 6,000 in the
    # next looks like a small change.
    solara.Switch(
        label="Keep these axes for the next runs (compare presets on one scale)",
        value=kept.value is not None,
        on_value=keep,
        classes=["routesim-keep-axes"],
    )
    solara.HTML(tag="div", unsafe_innerHTML=totals, style="margin-top:10px")
    solara.HTML(tag="div", unsafe_innerHTML=glossary_html())


def status_line(recording: Recording, settings: LiveSettings, day: int) -> str:
    """The status line: scenario, seed, scale, day and date, and the latest dated change.

    Worded short (dates as "20 Sep 2016", as in the changes' titles) to fit one line.
    """
    meta = recording.scenario.scenario
    date = recording.frame(day).date if day else meta.start
    when = f"{'' if day else 'starts '}{date.day} {date:%b %Y}"
    event = latest_event(recording.events, day)
    return (
        f"{meta.name} · seed {settings.seed} · {settings.scale:g} people/agent · "
        f"day {day} of {meta.days} · {when}"
        + (" · finished" if day >= recording.days else "")
        + (f" · latest change {event.number}, {event.title}" if event else "")
    )


def export_caption(settings: LiveSettings, name: str, start: dt.date, day: int) -> list[str]:
    """What an exported chart is of: scenario, seed, scale and dates, then its lever changes."""
    end = start + dt.timedelta(days=max(day - 1, 0))
    span = f"{start:%d %b %Y} to {end:%d %b %Y}" if day else f"before {start:%d %b %Y}"
    lines = [f"routesim · {name} · seed {settings.seed} · {settings.scale:g} people/agent · {span}"]
    if settings.what_if:
        recorded = load_scenario(settings.scenario)
        lines.append(f"What if: {what_if_name(recorded, *settings.what_if)}")
    changes = settings.describe_changes()
    return lines + ([f"Levers changed: {c}" for c in changes] or ["Levers: as in the scenario"])


def changes_line(settings: LiveSettings) -> str:
    """What differs from the scenario as shipped: the lesson preset and each lever change."""
    changes = settings.describe_changes()
    parts = [f"Lesson preset: {settings.preset}"] if settings.preset else []
    if settings.years:
        parts.append("Years {}-{} of the history".format(*settings.years))
    if settings.what_if:
        recorded = load_scenario(settings.scenario)
        parts.append(f"What if: {what_if_name(recorded, *settings.what_if)}")
    if changes:
        parts.append(
            f"{len(changes)} lever change{'s' * (len(changes) != 1)}: " + "; ".join(changes)
        )
    return " · ".join(parts)


@solara.component
def StatusLine(recording: Recording, settings: LiveSettings, day: solara.Reactive[int]) -> None:
    """The status line, redrawn each frame, and the settings' changes under it."""
    changes = solara.use_memo(lambda: changes_line(settings), [settings])
    status = status_line(recording, settings, day.value)
    # One line whatever the width (`style.SHEET`): a long change name is cut short on
    # screen, and stays whole on hover and in the key under the charts.
    solara.HTML(
        tag="div",
        unsafe_innerHTML=escape(status),
        classes=["routesim-status"],
        attributes={"title": status},
    )
    if changes:
        solara.Text(changes, classes=["routesim-changes"], style={"font-size": "13px"})


@solara.component
def SimulateView(settings: solara.Reactive[LiveSettings]) -> None:
    """Map, controls and live charts of one run."""
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("10 d/s")
    route_label = solara.use_reactive(ALL_ROUTES)
    day = solara.use_reactive(0)
    charts_day = solara.use_reactive(0)
    finished = solara.use_reactive(False)
    followed: solara.Reactive[Followed | None] = solara.use_reactive(None)
    jump_to: solara.Reactive[int | None] = solara.use_reactive(None)
    jump_reached = solara.use_reactive(0)
    kept_axes: solara.Reactive[dict[str, float] | None] = solara.use_reactive(None)
    # The latest dated change in force on the day shown, for the sliders: they are
    # redrawn when it changes, not every day.
    in_force: solara.Reactive[TimelineEvent | None] = solara.use_reactive(None)
    recording = solara.use_memo(lambda: RECORDINGS.hold(settings.value), [settings.value])
    solara.use_effect(lambda: lambda: RECORDINGS.release(recording), [recording])
    band = solara.use_thread(
        lambda cancel: recording.band.wait(cancel),
        dependencies=[recording],
        intrusive_cancel=False,
    )

    def show(target: int) -> None:
        day.set(target)
        charts_day.set(chart_day(target, recording.days))
        finished.set(target >= recording.days)
        in_force.set(latest_event(recording.events, target))

    def play_on(cancel: threading.Event) -> None:
        play(recording, day, show, playing, speed, cancel)

    solara.use_thread(play_on, dependencies=[playing.value, recording], intrusive_cancel=False)

    def jump_on(cancel: threading.Event) -> None:
        target = jump_to.value
        if target is not None and fast_forward(recording, target, jump_reached.set, cancel):
            show(target)
            jump_to.set(None)

    solara.use_thread(jump_on, dependencies=[jump_to.value, recording], intrusive_cancel=False)

    def jump(target: int) -> None:
        playing.set(False)
        followed.set(None)  # its story is told up to the day shown: a jump starts anew
        jump_reached.set(recording.recorded)
        jump_to.set(target)

    def restart() -> None:
        playing.set(False)
        jump_to.set(None)
        show(0)
        followed.set(None)

    def change(new: LiveSettings) -> None:
        restart()
        settings.set(new)

    def step() -> None:
        target = min(day.value + 1, recording.days)
        recording.frame(target)
        show(target)

    route = _ROUTE_OF_LABEL.get(route_label.value)
    following = (
        followed.value
        if followed.value is not None and followed.value.recording is recording
        else None
    )
    # Across the page rather than over the map: the status line is the longest line there
    # is, and kept to one line (`style.SHEET`).
    StatusLine(recording, settings.value, day)
    with solara.Columns([1, 3], gutters_dense=True):
        with solara.Column(classes=["routesim-controls"]):
            # Run above Lessons: a picked lesson's text is long, and pushed Play below
            # the fold (to y = 1,104 at 1024x768).
            with solara.Card("Run", margin=0):
                RunControls(
                    settings.value,
                    change,
                    playing,
                    speed,
                    route_label,
                    finished.value or jump_to.value is not None,
                    step,
                    restart,
                )
                meta = recording.scenario.scenario
                YearsPicker(settings.value, change)
                JumpToDate(meta.start, meta.days, jump)
            with solara.Card(
                "Lessons", margin=0, classes=["routesim-lessons"], style={"margin-top": "8px"}
            ):
                LessonsPanel(settings.value, change)
            with solara.Card("Follow a boat", margin=0, style={"margin-top": "8px"}):
                FollowPanel(recording, day, route, following, followed.set)
            with solara.Card("Levers and assumptions", margin=0, style={"margin-top": "8px"}):
                solara.Text(
                    "Hover for what each one means and where it comes from. A change restarts "
                    "the run from the start.",
                    style={"font-size": "12px", "color": "#555"},
                )
                LeverPanels(settings.value, recording.scenario, recording.events, in_force, change)
        with solara.Column():
            JumpProgress(recording.scenario.scenario.start, jump_to.value, jump_reached)
            if band.state == solara.ResultState.ERROR:
                solara.Warning(f"The band of other seeds failed: {band.error}")
            with solara.Card(margin=0):
                MapView(recording, day, route, following.boat if following else None)
            with solara.Card(margin=0, style={"margin-top": "8px"}):
                # Read from the recording, not the thread: for a render after the settings
                # change, the thread still holds the band of the settings before, whose
                # periods (weeks or months) need not be this run's.
                Charts(recording, charts_day, route, recording.band.result(), kept_axes)


@solara.component
def Page() -> None:
    """The whole app: title bar and the two tabs."""
    settings = solara.use_reactive(LiveSettings())
    projector = solara.use_reactive(False)
    solara.Title("routesim")
    solara.Style(style.SHEET + (style.PROJECTOR if projector.value else ""))
    with solara.AppBar():
        pass
    classes = ["routesim-root", *(["routesim-projector"] if projector.value else [])]
    with solara.Column(style={"padding": "4px 16px"}, classes=classes):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.HTML(
                tag="div",
                unsafe_innerHTML=(
                    '<div style="font-size:20px;font-weight:500">routesim <span style="font-weight:'
                    '400;color:#555;font-size:15px">— irregular migration routes to Europe: move a '
                    "lever, watch boats, patrols, rescues and deaths respond</span></div>"
                ),
            )
            solara.Switch(
                label="Projector mode", value=projector, classes=["routesim-projector-toggle"]
            )
        with solara.lab.Tabs():
            with solara.lab.Tab("Simulate", classes=["routesim-tab-simulate"]):
                SimulateView(settings)
            with solara.lab.Tab("Compare", classes=["routesim-tab-compare"]):
                CompareView(settings.value)
