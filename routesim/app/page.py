"""The app's page: a Simulate tab (map, controls, live charts) and a Compare tab.

Solara renders `Page` once per browser session, so every session builds its own
`LiveRun`; only the geography and the drawn map bases are shared, read-only.
"""

from __future__ import annotations

import threading
import time

import solara

from routesim.app import style
from routesim.app.charts import BandSummary, Reference, flows_chart, summarise_band, totals_chart
from routesim.app.compare import CompareView
from routesim.app.controls import ALL_ROUTES, SPEEDS, LeverPanels, RunControls
from routesim.app.follow import Followed, FollowPanel
from routesim.app.lessons import LessonsPanel
from routesim.app.live import LiveRun, LiveSettings, seed_band
from routesim.app.map import map_layers
from routesim.boats import Boat
from routesim.geography import shared_geography
from routesim.observed import load_observed, observed_year
from routesim.routes import ROUTE_COLOURS, ROUTE_LABELS, ROUTES

#: Longest a frame should take while playing; faster speeds step several days a frame.
FRAME_SECONDS = 0.1
_ROUTE_OF_LABEL = {label: route for route, label in ROUTE_LABELS.items()}


def play(
    run: LiveRun,
    playing: solara.Reactive[bool],
    speed: solara.Reactive[str],
    tick: solara.Reactive[int],
    cancel: threading.Event,
) -> None:
    """Step the run while playing, at the chosen speed, redrawing after each frame."""
    while playing.value and not cancel.is_set():
        started = time.perf_counter()
        days_per_second = SPEEDS[speed.value]
        days = max(1, round(days_per_second * FRAME_SECONDS))
        run.advance(days)
        tick.set(tick.value + 1)
        if run.finished:
            playing.set(False)
            return
        pause = days / days_per_second - (time.perf_counter() - started)
        if pause > 0:
            cancel.wait(pause)


@solara.component
def MapView(run: LiveRun, route: str | None, followed: Boat | None, tick: int) -> None:
    """The map: the cached base layer under the overlay of what moves."""
    layers = map_layers(shared_geography(), route)
    with run.lock:
        overlay = layers.overlay(run.model, followed)
    with solara.Div(classes=["routesim-map-row"]):
        with solara.Div(style={"position": "relative"}, classes=["routesim-map"]):
            solara.HTML(tag="div", unsafe_innerHTML=layers.base_svg)
            solara.HTML(tag="div", unsafe_innerHTML=overlay, style="position:absolute;inset:0")
            solara.HTML(tag="div", unsafe_innerHTML=_route_key(route))
        solara.HTML(tag="div", unsafe_innerHTML=_map_legend(), classes=["routesim-map-legend"])


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


@solara.component
def Charts(run: LiveRun, route: str | None, band: BandSummary | None, tick: int) -> None:
    """Flows and totals to date, with the band of other seeds and observed 2023 figures."""
    observed = solara.use_memo(load_observed, [])
    daily = run.daily()
    routes = (route,) if route else ROUTES
    meta = run.scenario.scenario
    reference = (
        Reference(observed, faint=not run.settings.is_baseline)
        if observed_year(meta.start, meta.days) == 2023
        else None
    )
    done = run.days_done
    solara.HTML(
        tag="div",
        unsafe_innerHTML=flows_chart(daily, routes, reference, meta.start, meta.days, done, band),
    )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=totals_chart(daily, routes, reference, meta.start, done, band),
        style="margin-top:10px",
    )


def band_summary(settings: LiveSettings, cancel: threading.Event) -> BandSummary | None:
    """The band of other seeds for these settings, summarised for the charts; None if cancelled."""
    daily = seed_band(settings, cancel)
    if daily is None:
        return None
    meta = settings.resolve().scenario
    return summarise_band(daily, meta.start, meta.days)


def status_lines(run: LiveRun) -> tuple[str, str]:
    """The status line (scenario, seed, scale, day and date) and what differs from it."""
    settings = run.settings
    meta = run.scenario.scenario
    when = f"{run.model.date:%d %B %Y}" if run.days_done else f"starts {meta.start:%d %B %Y}"
    status = (
        f"{meta.name} · seed {settings.seed} · {settings.scale:g} people per agent · "
        f"day {run.days_done} of {meta.days} · {when}" + (" · finished" if run.finished else "")
    )
    changes = settings.describe_changes()
    parts = [f"Lesson preset: {settings.preset}"] if settings.preset else []
    if changes:
        parts.append(
            f"{len(changes)} lever change{'s' * (len(changes) != 1)}: " + "; ".join(changes)
        )
    return status, " · ".join(parts)


@solara.component
def SimulateView(settings: solara.Reactive[LiveSettings]) -> None:
    """Map, controls and live charts of one run."""
    resets = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("10 d/s")
    route_label = solara.use_reactive(ALL_ROUTES)
    tick = solara.use_reactive(0)
    followed: solara.Reactive[Followed | None] = solara.use_reactive(None)
    run = solara.use_memo(lambda: LiveRun(settings.value), [settings.value, resets.value])
    # The band does not depend on resets: the same settings give the same other seeds.
    band = solara.use_thread(
        lambda cancel: band_summary(settings.value, cancel),
        dependencies=[settings.value],
        intrusive_cancel=False,
    )

    solara.use_thread(
        lambda cancel: play(run, playing, speed, tick, cancel),
        dependencies=[playing.value, run],
        intrusive_cancel=False,
    )

    def change(new: LiveSettings) -> None:
        playing.set(False)
        settings.set(new)

    def step() -> None:
        run.advance(1)
        tick.set(tick.value + 1)

    def reset() -> None:
        playing.set(False)
        resets.set(resets.value + 1)

    route = _ROUTE_OF_LABEL.get(route_label.value)
    # A lever change or a reset makes a new run, with other boats: forget the old one's.
    following = followed.value if followed.value is not None and followed.value.run is run else None
    with solara.Columns([1, 3], gutters_dense=True):
        with solara.Column(classes=["routesim-controls"]):
            with solara.Card("Lessons", margin=0, classes=["routesim-lessons"]):
                LessonsPanel(settings.value, change)
            with solara.Card("Run", margin=0, style={"margin-top": "8px"}):
                RunControls(
                    settings.value, change, playing, speed, route_label, run.finished, step, reset
                )
            with solara.Card("Follow a boat", margin=0, style={"margin-top": "8px"}):
                FollowPanel(run, route, following, followed.set, tick.value)
            with solara.Card("Levers and assumptions", margin=0, style={"margin-top": "8px"}):
                solara.Text(
                    "Hover for what each one means and where it comes from. A change restarts "
                    "the run from the start.",
                    style={"font-size": "12px", "color": "#555"},
                )
                LeverPanels(settings.value, load_scenario_cached(settings.value.scenario), change)
        with solara.Column():
            status, changes = status_lines(run)
            solara.Text(status, classes=["routesim-status"], style={"font-weight": "500"})
            if changes:
                solara.Text(changes, classes=["routesim-changes"], style={"font-size": "13px"})
            if band.state == solara.ResultState.ERROR:
                solara.Warning(f"The band of other seeds failed: {band.error}")
            with solara.Card(margin=0):
                MapView(run, route, following.boat if following else None, tick.value)
            with solara.Card(margin=0, style={"margin-top": "8px"}):
                finished = band.state == solara.ResultState.FINISHED
                Charts(run, route, band.value if finished else None, tick.value)


def load_scenario_cached(name: str):  # noqa: ANN201 - a Scenario
    """The named scenario as shipped, for the sliders' starting values."""
    from routesim.scenario import load_scenario

    return load_scenario(name)


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
