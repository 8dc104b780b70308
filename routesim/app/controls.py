"""Controls: scenario, seed, play/pause/step/reset, speed, and every lever and assumption.

The lever sliders come from `routesim.levers.lever_specs`, grouped by theme, each with
its unit and a tooltip giving its meaning and the passage it comes from; contested
assumptions are grouped apart and marked as such. A slider shows the value in force on
the day shown, which a scenario's timeline may have changed since the start. Changing a
lever restarts the run from the start of the scenario with the new value, as Mesa's
SolaraViz applies model parameters on reset.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal

import solara

from routesim.app.live import LiveSettings, scenario_value
from routesim.app.timeaxis import TimelineEvent, value_in_force
from routesim.lever_fields import THEMES
from routesim.levers import LeverSpec, lever_specs
from routesim.routes import ROUTE_LABELS, ROUTES
from routesim.scenario import Scenario, available_scenarios

#: Playing speeds offered, in simulated days per second.
SPEEDS: dict[str, float] = {"2 d/s": 2.0, "5 d/s": 5.0, "10 d/s": 10.0, "30 d/s": 30.0}
ALL_ROUTES = "All routes"
#: The finest slider step: Vuetify counts a step's decimals in the text JavaScript
#: writes for it, and JavaScript writes numbers below 1e-6 with an exponent ("1e-7").
FINEST_STEP = Decimal("0.000001")


def slider_step(spec: LeverSpec, *values: float) -> float:
    """A slider step that holds the lever's range ends, its default and the `values` shown.

    Vuetify's slider rounds the value it is given to ``min + k * step`` (with as many
    decimals as the step has) and reports the rounded value as if the user had moved
    it: a lever starting at 0.5 days with steps of 1 turned its default of 2 into 3,
    then 4, and on to 30, each a lever change that restarted the run. So the step is
    the first of a preferred step (whole units for counts, about 1% of the range
    otherwise) and its 1-2-5 subdivisions that divides every value the slider shows.
    """
    must_hold = [_decimal(v) for v in (spec.low, spec.high, spec.default, *values)]
    for step in _subdivisions(_preferred_step(spec)):
        if all(v % step == 0 for v in must_hold):
            return float(step)
    # A value with more decimals than any step here: the slider rounds it to 6 decimals.
    return float(FINEST_STEP)


def _preferred_step(spec: LeverSpec) -> Decimal:
    span = spec.high - spec.low
    if float(spec.default).is_integer() and 20 <= span <= 1000:
        return Decimal(1)
    return Decimal(1).scaleb(math.floor(math.log10(span / 100))) if span > 0 else Decimal(1)


def _subdivisions(step: Decimal) -> Iterator[Decimal]:
    """`step`, then its half, fifth, tenth, twentieth... down to `FINEST_STEP`."""
    while step >= FINEST_STEP:
        yield from (s for s in (step, step / 2, step / 5) if s >= FINEST_STEP)
        step /= 10


def _decimal(value: float) -> Decimal:
    # repr is the shortest text that reads back as the same float: 0.19, not 0.1899999...
    return Decimal(repr(float(value)))


def run_values(scenario: Scenario, name: str) -> list[float]:
    """Every value a lever takes in a run: at the start, and as each timeline change sets it.

    A slider's step holds them all from the start, so a step that changes with the value
    shown never meets a value it cannot hold (which it would report as a user's change).
    """
    changed = [float(c.set[name]) for c in scenario.timeline if name in c.set]
    return [scenario_value(scenario, name), *changed]


def tooltip_text(spec: LeverSpec) -> str:
    """What a lever means, its unit, 2023 value and range, and its source."""
    kind = "Contested assumption. " if spec.kind == "assumption" else ""
    return (
        f"{kind}{spec.description} Unit: {spec.unit}. 2023 baseline: {spec.default:g} "
        f"(range {spec.low:g}–{spec.high:g}). Source: {spec.passage}."
    )


def css_name(name: str) -> str:
    """A CSS class for a lever's control (dots are not allowed in class names)."""
    return "lever-" + name.replace(".", "-").replace("_", "-")


def typed_value(value: float, spec: LeverSpec, step: float) -> float:
    """A value typed in a lever's number box, brought within its range and onto its steps.

    Off the slider's steps, the slider would round it and report the rounded value as a
    second change (see `slider_step`), so the box rounds it first.
    """
    within = min(max(value, spec.low), spec.high)
    return round(spec.low + round((within - spec.low) / step) * step, 6)


@solara.component
def LeverSlider(
    spec: LeverSpec,
    value: float,
    step: float,
    changed: bool,
    on_value: Callable[[float], None],
    set_by: TimelineEvent | None = None,
) -> None:
    """One lever: a slider with its unit, a tooltip, and a mark when changed from the scenario.

    `set_by` is the timeline change within the run that set the value shown, if any.
    """
    label = f"{spec.label}{' •' if changed else ''}"
    source = f" (change {set_by.number}, {set_by.date.day} {set_by.date:%b %Y})" if set_by else ""
    with (
        solara.Tooltip(tooltip_text(spec)),
        solara.Div(classes=[css_name(spec.name), "routesim-lever"]),
    ):
        solara.SliderFloat(
            label,
            value=value,
            min=spec.low,
            max=spec.high,
            step=step,
            on_value=on_value,
            thumb_label=False,
        )
        # A number box beside the slider: a click near a slider's end lands a step or
        # two off it (0.02, not 0), and a class told "set it to 0" needs to get 0.
        with solara.Row(style={"align-items": "center", "margin": "-14px 0 6px 0"}):
            solara.InputFloat(
                "",
                value=value,
                on_value=lambda v: on_value(typed_value(v, spec, step)) if v is not None else None,
                dense=True,
                classes=["routesim-lever-number"],
                style={"max-width": "90px"},
            )
            solara.Text(
                f"now {value:,.4g} {spec.unit}{source}",
                style={"font-size": "12px", "color": "#555"},
            )


@solara.component
def LeverPanels(
    settings: LiveSettings,
    run: Scenario,
    events: Sequence[TimelineEvent],
    in_force: solara.Reactive[TimelineEvent | None],
    on_settings: Callable[[LiveSettings], None],
) -> None:
    """Every lever and assumption, in one expandable panel per theme, as on the day shown.

    Args:
        settings: The session's settings (which levers the user changed).
        run: The scenario run (`LiveSettings.resolve`).
        events: Its timeline's changes within the run (`timeline_events`).
        in_force: The latest of `events` in force on the day shown: the panels are redrawn
            when it changes, not every day.
        on_settings: Called with the settings after a user's change of a slider.
    """
    specs = lever_specs()
    changed = dict(settings.overrides)
    steps = solara.use_memo(
        lambda: {s.name: slider_step(s, *run_values(run, s.name)) for s in specs}, [run]
    )
    latest = in_force.value
    # Changes dated before the run are in force from its start (`Scenario.phases`).
    until = latest.date if latest else run.scenario.start - dt.timedelta(days=1)
    for theme, title in THEMES.items():
        group = [s for s in specs if s.theme == theme]
        if not group:
            continue
        n_changed = sum(1 for s in group if s.name in changed)
        summary = f"{title}{f' ({n_changed} changed)' if n_changed else ''}"
        with solara.Details(summary=summary, expand=False):
            if theme == "assumption":
                solara.Text(
                    "Not policy choices: the evidence disagrees on these, so compare results "
                    "under each view.",
                    style={
                        "font-size": "12px",
                        "color": "#8a4b00",
                        "display": "block",
                        "margin-bottom": "6px",
                    },
                )
            for spec in group:
                value = value_in_force(run, spec.name, until)
                set_by = next(
                    (e for e in reversed(events) if e.date <= until and spec.name in e.sets), None
                )

                def set_value(v: float, name: str = spec.name) -> None:
                    on_settings(settings.with_lever(name, float(v)))

                LeverSlider(spec, value, steps[spec.name], spec.name in changed, set_value, set_by)


def without_levers(settings: LiveSettings) -> LiveSettings:
    """The settings with every lever and assumption back at the scenario's value.

    The lesson preset goes too (its changes were lever changes); the scenario, its
    years, the what-if, the seed and the scale stay.
    """
    return replace(settings, overrides=(), preset="")


@solara.component
def RunControls(
    settings: LiveSettings,
    on_settings: Callable[[LiveSettings], None],
    playing: solara.Reactive[bool],
    speed: solara.Reactive[str],
    route: solara.Reactive[str],
    held: bool,
    on_step: Callable[[], None],
    on_reset: Callable[[], None],
) -> None:
    """Scenario picker, seed, route view, play/pause, step, reset, reset levers and speed.

    `held` disables Play and Step: at the end of the run, and while jumping to a date.
    """

    def pick_scenario(name: str) -> None:
        on_settings(LiveSettings(name, (), settings.seed, settings.scale))

    def set_seed(seed: int) -> None:
        on_settings(replace(settings, seed=max(0, int(seed))))

    solara.Select(
        "Scenario",
        values=available_scenarios(),
        value=settings.scenario,
        on_value=pick_scenario,
        classes=["routesim-scenario"],
    )
    with solara.Row(style={"align-items": "center"}):
        solara.InputInt("Seed", value=settings.seed, on_value=set_seed, classes=["routesim-seed"])
        solara.Select(
            "Route",
            values=[ALL_ROUTES, *[ROUTE_LABELS[r] for r in ROUTES]],
            value=route,
            classes=["routesim-route"],
        )
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        solara.Button(
            "Pause" if playing.value else "Play",
            icon_name="mdi-pause" if playing.value else "mdi-play",
            color="primary",
            on_click=lambda: playing.set(not playing.value),
            disabled=held,
            classes=["routesim-play"],
        )
        solara.Button(
            "Step",
            icon_name="mdi-skip-next",
            on_click=on_step,
            disabled=playing.value or held,
            outlined=True,
            classes=["routesim-step"],
        )
        solara.Button(
            "Reset",
            icon_name="mdi-restore",
            on_click=on_reset,
            outlined=True,
            classes=["routesim-reset"],
        )
        # Reset rewinds the run only: a class that has moved sliders needs a way back
        # to the scenario as shipped without picking it again.
        solara.Button(
            "Reset all levers",
            icon_name="mdi-tune-variant",
            on_click=lambda: on_settings(without_levers(settings)),
            disabled=not settings.overrides,
            outlined=True,
            classes=["routesim-reset-levers"],
        )
    solara.ToggleButtonsSingle(
        value=speed, values=list(SPEEDS), dense=True, classes=["routesim-speed"]
    )
    solara.Text("Speed, in simulated days per second", style={"font-size": "12px", "color": "#555"})
