"""Lessons: guided teaching demonstrations with a checked observation.

A lesson is a folder ``lessons/<name>/`` (bundled in ``routesim/data/``, or in a
``$ROUTESIM_PATH`` folder) holding

- ``lesson.md``: the text, in the sections of the NetLogo Models Library "Info" tab
  (question, what it is, how it works, what to set, what to watch, what you should
  observe, things to try, extending the model) plus its evidence, its limits and its
  references;
- ``lesson.toml``: the title, the question, the presets (named scenario overrides that
  the app and the handout load) and the ``[check]``: a paired comparison of two presets
  (`routesim.comparison`) with the directions the text promises, which a test runs at
  reduced scale so that a lesson never silently stops showing what it claims.

Loading a preset goes through the same public API as a user script:
``load_scenario(lesson.scenario).with_overrides(lesson.overrides(preset))``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from routesim import resources
from routesim.comparison import Comparison, Expectation, RunSettings, check_comparison
from routesim.configs import ConfigModel, read_config, read_text
from routesim.errors import RoutesimError
from routesim.hindcast import FIRST_YEAR, LAST_YEAR, period
from routesim.levers import lever_specs
from routesim.scenario import Scenario, ScenarioError, counterfactual_overrides, load_scenario

#: The sections every lesson.md has (``## <title>``), in this order.
SECTIONS: tuple[str, ...] = (
    "Question",
    "What it is",
    "How it works",
    "What to set",
    "What to watch",
    "What you should observe",
    "Things to try",
    "Extending the model",
    "Evidence",
    "Limits",
    "References",
)

#: A lesson's default view, when its check names none: the 2023 assumptions as they are.
DEFAULT_VIEWS: dict[str, dict[str, Any]] = {"2023 assumptions": {}}


class WhatIf(ConfigModel):
    """One dated change of the scenario's timeline switched off or moved (a counterfactual)."""

    change: int = Field(ge=1, description="the change's number in date order, from 1")
    to: Literal["off"] | dt.date = Field(description='"off", or the date it happens instead')

    @property
    def date(self) -> dt.date | None:
        """The new date, None when switched off (as `routesim.scenario.counterfactual` takes it)."""
        return None if self.to == "off" else self.to


class Preset(ConfigModel):
    """A named setting of levers and assumptions that the app and the handout load."""

    label: str = Field(min_length=1)
    description: str = ""
    overrides: dict[str, float] = Field(default_factory=dict, alias="set")
    what_if: WhatIf | None = Field(None, description="a dated change switched off or moved")


class LessonCheck(ConfigModel):
    """The checked observation: two presets compared over paired seeds, under some views."""

    claim: str = Field(min_length=1)
    low: str = Field(min_length=1, description="the preset compared from")
    high: str = Field(min_length=1, description="the preset compared to")
    views: dict[str, dict[str, Any]] = Field(default_factory=lambda: dict(DEFAULT_VIEWS))
    expect: list[Expectation] = Field(min_length=1)
    run: RunSettings = Field(default_factory=RunSettings)


class LessonConfig(ConfigModel):
    """The contents of a ``lesson.toml``."""

    title: str = Field(min_length=1)
    question: str = Field(min_length=1)
    scenario: str = "baseline-2023"
    # Lax only to take a TOML array (a list) as the tuple.
    years: tuple[int, int] | None = Field(
        None,
        strict=False,
        description="first and last year run, a window of the history (the app's years)",
    )
    presets: dict[str, Preset] = Field(min_length=2)
    check: LessonCheck


@dataclass(frozen=True)
class Lesson:
    """A loaded lesson: its name, folder, config and text."""

    name: str
    folder: Path
    config: LessonConfig
    text: str

    @property
    def title(self) -> str:
        """The lesson's title."""
        return self.config.title

    @property
    def question(self) -> str:
        """The question the lesson asks."""
        return self.config.question

    @property
    def scenario_name(self) -> str:
        """The scenario the presets change."""
        return self.config.scenario

    @property
    def presets(self) -> dict[str, Preset]:
        """The presets, by name, in file order."""
        return self.config.presets

    def overrides(self, preset: str) -> dict[str, float]:
        """The dotted-key overrides of a preset (`RoutesimError` if there is no such preset)."""
        if preset not in self.presets:
            raise RoutesimError(
                f"lesson {self.name}: no preset {preset!r} "
                f"(expected one of {', '.join(self.presets)})"
            )
        return dict(self.presets[preset].overrides)

    def window(self) -> dict[str, Any]:
        """The overrides that run the lesson's years only (none without years)."""
        return _window(self.config.years)

    def settings(self, preset: str) -> dict[str, Any]:
        """Everything a preset changes as overrides: the years, the levers and a what-if.

        The years come with every preset, so that they also hold when a comparison
        runs its presets over a window of its own.
        """
        levers = self.overrides(preset)  # RoutesimError if there is no such preset
        what_if = self.presets[preset].what_if
        timeline = {}
        if what_if is not None:
            windowed = load_scenario(self.scenario_name).with_overrides(self.window())
            timeline = counterfactual_overrides(windowed, what_if.change, what_if.date)
        return {**self.window(), **levers, **timeline}

    def scenario(self, preset: str) -> Scenario:
        """The lesson's scenario with a preset applied, through the public scenario API."""
        return load_scenario(self.scenario_name).with_overrides(self.settings(preset))

    def set_options(self, preset: str) -> list[str]:
        """A preset's years and levers as ``--set KEY=VALUE`` options for ``routesim run``.

        A what-if has no such option (see `what_if_note`).
        """
        settings = {**self.window(), **self.overrides(preset)}
        return [
            f"--set {key}={value:g}" if isinstance(value, float) else f"--set {key}={value}"
            for key, value in settings.items()
        ]

    def what_if_note(self, preset: str) -> str:
        """What a preset's what-if does, where options cannot express it ("" if none)."""
        what_if = self.presets[preset].what_if
        if what_if is None:
            return ""
        done = "switched off" if what_if.date is None else f"moved to {what_if.date}"
        return (
            f"(what if: timeline change {what_if.change} {done}; "
            "in the app's Compare tab or with routesim.scenario.counterfactual)"
        )

    def comparison(self) -> Comparison:
        """The checked observation as a comparison of the two presets."""
        check = self.config.check
        return Comparison(
            claim=check.claim,
            scenario=self.scenario_name,
            low=self.settings(check.low),
            high=self.settings(check.high),
            views=check.views,
            expect=check.expect,
            run=check.run,
        )

    @property
    def labels(self) -> tuple[str, str]:
        """The labels of the check's low and high presets."""
        check = self.config.check
        return self.presets[check.low].label, self.presets[check.high].label

    @cached_property
    def sections(self) -> dict[str, str]:
        """The text of each ``## `` section of lesson.md, by title."""
        return split_sections(self.text)[1]


def split_sections(text: str) -> tuple[str, dict[str, str]]:
    """Markdown split at its ``## `` headings: the text before the first, and each section."""
    parts = re.split(r"^## +(.+?)\s*$", text, flags=re.MULTILINE)
    head, rest = parts[0], parts[1:]
    return head, {title: body.strip() for title, body in zip(rest[::2], rest[1::2], strict=True)}


def available_lessons() -> list[str]:
    """Names of the lessons in ``$ROUTESIM_PATH`` folders and bundled ones, sorted."""
    return resources.names("lessons", "*/lesson.toml")


def load_lesson(source: str | Path) -> Lesson:
    """Read and validate a lesson, by name or folder.

    Raises:
        RoutesimError: One line naming the file, the key and what was expected, if the
            lesson is missing, its TOML or its text is malformed, a preset sets something
            that is not a lever or assumption, or a value is out of range.
    """
    folder = Path(source)
    if not folder.is_dir():
        found = None if "/" in str(source) else resources.find("lessons", str(source))
        if found is None or not found.is_dir():
            known = resources.listing("lessons", available_lessons())
            raise RoutesimError(f"no lesson {str(source)!r} ({known})")
        folder = found
    toml_path = folder / "lesson.toml"
    config = read_config(toml_path, LessonConfig, "lesson file")
    _check_presets(config, toml_path)
    md_path = folder / "lesson.md"
    try:
        text = read_text(md_path, str(md_path))
    except FileNotFoundError:
        raise RoutesimError(f"{md_path}: no such lesson text") from None
    _check_text(config, text, md_path)
    lesson = Lesson(folder.resolve().name, folder, config, text)
    check_comparison(lesson.comparison(), toml_path)
    return lesson


def load_lessons() -> list[Lesson]:
    """Every lesson of `available_lessons`, by name."""
    return [load_lesson(name) for name in available_lessons()]


def _check_presets(config: LessonConfig, path: Path) -> None:
    known = {spec.name: spec for spec in lever_specs()}
    base = load_scenario(config.scenario)
    if config.years is not None:
        first, last = config.years
        if not FIRST_YEAR <= first <= last <= LAST_YEAR:
            raise RoutesimError(
                f"{path}: years: expected a first and last year from {FIRST_YEAR} to "
                f"{LAST_YEAR}, the first not after the last, got {list(config.years)}"
            )
        base = base.with_overrides(_window(config.years))
    for name, preset in config.presets.items():
        for key, value in preset.overrides.items():
            where = f"{path}: presets.{name}.set.{key}"
            spec = known.get(key)
            if spec is None:
                raise RoutesimError(
                    f"{where}: not a lever or assumption (expected a name from `routesim levers`)"
                )
            if not spec.low <= value <= spec.high:
                raise RoutesimError(
                    f"{where}: expected a number from {spec.low:g} to {spec.high:g}, got {value:g}"
                )
        base.with_overrides(preset.overrides)
        if preset.what_if is not None:
            try:
                counterfactual_overrides(base, preset.what_if.change, preset.what_if.date)
            except ScenarioError as exc:
                raise RoutesimError(f"{path}: presets.{name}.what_if: {exc}") from None
    for side in ("low", "high"):
        chosen = getattr(config.check, side)
        if chosen not in config.presets:
            raise RoutesimError(
                f"{path}: check.{side}: no preset {chosen!r} "
                f"(expected one of {', '.join(config.presets)})"
            )


def _window(years: tuple[int, int] | None) -> dict[str, Any]:
    if years is None:
        return {}
    start, days = period(years)
    return {"scenario.start": start, "scenario.days": days}


def _check_text(config: LessonConfig, text: str, path: Path) -> None:
    head, sections = split_sections(text)
    if not head.lstrip().startswith("# "):
        raise RoutesimError(f"{path}: expected the text to start with '# <title>'")
    missing = [title for title in SECTIONS if title not in sections]
    if missing:
        raise RoutesimError(
            f"{path}: section '## {missing[0]}' missing (expected sections: {', '.join(SECTIONS)})"
        )
    empty = [title for title in SECTIONS if not sections[title]]
    if empty:
        raise RoutesimError(f"{path}: section '## {empty[0]}' is empty")
    unnamed = [name for name in config.presets if f"`{name}`" not in sections["What to set"]]
    if unnamed:
        raise RoutesimError(f"{path}: section '## What to set' does not name preset `{unnamed[0]}`")
