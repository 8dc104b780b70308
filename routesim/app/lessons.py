"""The Lessons panel: pick a lesson, read it beside the simulation, load its presets.

Loading a preset builds the same `LiveSettings` a user gets by moving the sliders: the
lesson's scenario with the preset's overrides, resolved through
``load_scenario(...).with_overrides(...)`` as any script would. The run restarts with it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import solara

from routesim.app.live import LiveSettings
from routesim.handouts import render_markdown
from routesim.lessons import Lesson, load_lessons, split_sections

NO_LESSON = "(choose a lesson)"


def preset_settings(lesson: Lesson, preset: str, current: LiveSettings) -> LiveSettings:
    """The run settings of a lesson's preset, keeping the current seed and scale."""
    name = f"{lesson.title}: {lesson.presets[preset].label}"
    what_if = lesson.presets[preset].what_if
    settings = LiveSettings(
        lesson.scenario_name,
        (),
        current.seed,
        current.scale,
        preset=name,
        years=lesson.config.years,
        what_if=None if what_if is None else (what_if.change, what_if.date),
    )
    for name, value in lesson.overrides(preset).items():
        settings = settings.with_lever(name, value)
    return settings


def lesson_html(lesson: Lesson) -> str:
    """The lesson text as HTML for the panel, with its stored figure if there is one."""
    _, sections = split_sections(lesson.text)
    parts = [f'<p style="font-style:italic">{lesson.question}</p>']
    for title, text in sections.items():
        if title == "Question":
            continue
        parts.append(f"<h4>{title}</h4>{render_markdown(text)}")
        figure = lesson.folder / "figure.png"
        if title == "What you should observe" and figure.exists():
            data = base64.b64encode(figure.read_bytes()).decode("ascii")
            parts.append(
                f'<img src="data:image/png;base64,{data}" style="width:100%" '
                'alt="the checked comparison (experiments/lessons/make_figures.py)">'
            )
    return "".join(parts)


@solara.component
def LessonsPanel(settings: LiveSettings, on_settings: Callable[[LiveSettings], None]) -> None:
    """A lesson picker, a button per preset and the lesson's text."""
    lessons = solara.use_memo(lambda: {lesson.title: lesson for lesson in load_lessons()}, [])
    chosen = solara.use_reactive(NO_LESSON)
    solara.Select(
        "Lesson",
        values=[NO_LESSON, *lessons],
        value=chosen,
        classes=["routesim-lesson"],
    )
    lesson = lessons.get(chosen.value)
    if lesson is None:
        solara.Text(
            "Guided demonstrations: each asks a question, loads its settings and says what "
            "to watch and what you should see.",
            style={"font-size": "12px", "color": "#555"},
        )
        return
    solara.Style(
        ".routesim-lesson-load{height:auto !important;min-height:28px;padding:4px 8px !important}"
        ".routesim-lesson-load .v-btn__content{white-space:normal;text-align:left;flex:1 1 auto}"
    )
    with solara.Column(gap="4px", style={"margin": "4px 0"}):
        for name, preset in lesson.presets.items():
            solara.Button(
                f"Load: {preset.label}",
                on_click=lambda name=name: on_settings(preset_settings(lesson, name, settings)),
                outlined=True,
                small=True,
                classes=["routesim-lesson-load", f"routesim-lesson-load-{name}"],
                style={"text-transform": "none"},
            )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=lesson_html(lesson),
        classes=["routesim-lesson-text"],
        style="max-height:55vh;overflow-y:auto;font-size:13px;line-height:1.45;padding-right:4px",
    )
