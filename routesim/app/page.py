"""The app's page: a Simulate tab (map, controls, live charts) and a Compare tab.

Solara renders `Page` once per browser session, so every session builds its own
`LiveRun`; only the geography and the drawn map bases are shared, read-only.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import solara

from routesim.app import style
from routesim.app.charts import flows_chart, totals_chart
from routesim.app.compare import CompareView
from routesim.app.controls import ALL_ROUTES, SPEEDS, LeverPanels, RunControls
from routesim.app.lessons import LessonsPanel
from routesim.app.live import LiveRun, LiveSettings
from routesim.app.map import map_layers
from routesim.geography import shared_geography
from routesim.observed import load_observed
from routesim.routes import ROUTE_LABELS, ROUTES

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
def MapView(run: LiveRun, route: str | None, tick: int) -> None:
    """The map: the cached base layer under the overlay of what moves."""
    layers = map_layers(shared_geography(), route)
    with run.lock:
        overlay = layers.overlay(run.model)
    with solara.Div(style={"position": "relative", "width": "100%"}, classes=["routesim-map"]):
        solara.HTML(tag="div", unsafe_innerHTML=layers.base_svg)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=overlay,
            style="position:absolute;inset:0",
        )
    solara.HTML(tag="div", unsafe_innerHTML=_map_legend(), style="margin-top:4px")


def _map_legend() -> str:
    def mark(svg: str, text: str) -> str:
        return (
            f'<span style="margin-right:14px;white-space:nowrap"><svg width="14" height="14" '
            f'style="vertical-align:middle">{svg}</svg> {text}</span>'
        )

    return (
        '<div style="font-size:12px;color:#333">'
        + mark(
            '<circle cx="7" cy="7" r="5" fill="#999" stroke="#222"/>',
            "boat at sea (colour: route; size: people)",
        )
        + mark(
            f'<circle cx="7" cy="7" r="5" fill="#999" stroke="{style.DISTRESS}" stroke-width="2"/>',
            "boat in distress",
        )
        + mark(
            f'<circle cx="7" cy="7" r="6" fill="{style.WAITING}" fill-opacity=".4" stroke="{style.WAITING}"/>',
            "people waiting at a hub",
        )
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
def Charts(run: LiveRun, route: str | None, tick: int) -> None:
    """Weekly flows and totals to date, with observed 2023 figures for the baseline."""
    observed = solara.use_memo(load_observed, [])
    daily = run.daily()
    routes = (route,) if route else ROUTES
    shown = observed if run.settings.is_baseline else None
    meta = run.scenario.scenario
    until = meta.start + dt.timedelta(days=run.days_done - 1) if run.days_done else None
    solara.HTML(
        tag="div", unsafe_innerHTML=flows_chart(daily, routes, shown, meta.start, meta.days)
    )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=totals_chart(daily, routes, shown, until),
        style="margin-top:10px",
    )


@solara.component
def SimulateView(settings: solara.Reactive[LiveSettings]) -> None:
    """Map, controls and live charts of one run."""
    resets = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("10 d/s")
    route_label = solara.use_reactive(ALL_ROUTES)
    tick = solara.use_reactive(0)
    run = solara.use_memo(lambda: LiveRun(settings.value), [settings.value, resets.value])

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
    meta = run.scenario.scenario
    with solara.Columns([1, 3], gutters_dense=True):
        with solara.Column(classes=["routesim-controls"]):
            with solara.Card("Lessons", margin=0, classes=["routesim-lessons"]):
                LessonsPanel(settings.value, change)
            with solara.Card("Run", margin=0, style={"margin-top": "8px"}):
                RunControls(
                    settings.value, change, playing, speed, route_label, run.finished, step, reset
                )
            with solara.Card("Levers and assumptions", margin=0, style={"margin-top": "8px"}):
                solara.Text(
                    "Hover for what each one means and where it comes from. A change restarts "
                    "the run from the start.",
                    style={"font-size": "12px", "color": "#555"},
                )
                LeverPanels(settings.value, load_scenario_cached(settings.value.scenario), change)
        with solara.Column():
            status = (
                f"{meta.name} · seed {settings.value.seed} · {settings.value.scale:g} people per agent · "
                f"day {run.days_done} of {meta.days}"
                + (
                    f" · {run.model.date:%d %B %Y}"
                    if run.days_done
                    else f" · starts {meta.start:%d %B %Y}"
                )
                + (
                    f" · {len(settings.value.overrides)} lever change(s)"
                    if settings.value.overrides
                    else ""
                )
                + (" · finished" if run.finished else "")
            )
            solara.Text(status, classes=["routesim-status"], style={"font-weight": "500"})
            with solara.Card(margin=0):
                MapView(run, route, tick.value)
            with solara.Card(margin=0, style={"margin-top": "8px"}):
                Charts(run, route, tick.value)


def load_scenario_cached(name: str):  # noqa: ANN201 - a Scenario
    """The named scenario as shipped, for the sliders' starting values."""
    from routesim.scenario import load_scenario

    return load_scenario(name)


@solara.component
def Page() -> None:
    """The whole app: title bar and the two tabs."""
    settings = solara.use_reactive(LiveSettings())
    solara.Title("routesim")
    solara.Style(
        ".routesim-map-overlay{pointer-events:none}.routesim-map-overlay *{pointer-events:auto}"
        ".routesim-lever .v-input__slot{flex-wrap:wrap;margin-bottom:0}"
        ".routesim-lever .v-input__slot .v-label{width:100%;font-size:13px;white-space:normal}"
        ".routesim-lever .v-input__slot{margin-bottom:0}.v-expansion-panel-content__wrap{padding:0 12px 8px}"
    )
    with solara.AppBar():
        pass
    with solara.Column(style={"padding": "8px 16px"}):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=(
                '<div style="font-size:20px;font-weight:500">routesim <span style="font-weight:400;color:#555;'
                'font-size:15px">— irregular migration routes to Europe: move a lever, watch boats, patrols, '
                "rescues and deaths respond</span></div>"
            ),
        )
        with solara.lab.Tabs():
            with solara.lab.Tab("Simulate", classes=["routesim-tab-simulate"]):
                SimulateView(settings)
            with solara.lab.Tab("Compare", classes=["routesim-tab-compare"]):
                CompareView(settings.value)
