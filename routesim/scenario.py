"""Scenarios: a name, a period, and the levers, assumptions and parameters of one run.

A scenario file is TOML and may be partial: whatever it leaves out takes the 2023
baseline default declared in `routesim.levers` and `routesim.parameters`. Files are
read with `tomllib` only, so a config file is data and never runs code.

Overrides (``--set levers.ngo_vessels=10``) are applied to the raw table before
validation, so they are checked exactly like the file. Every problem becomes one
`ScenarioError` line naming the file (or override), the dotted key and what was
expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import tomli_w
from pydantic import Field, ValidationError

from routesim import resources, schema
from routesim.configs import ConfigModel, Name, check_name, check_nesting, read_toml
from routesim.errors import RoutesimError
from routesim.levers import Assumptions, Levers, lever_specs
from routesim.parameters import Parameters

#: The calendar a scenario may start in: the warm-up before it and the run after it
#: stay far from the ends of Python's dates.
FIRST_START = dt.date(1950, 1, 1)
LAST_START = dt.date(2100, 12, 31)
#: Longest scenario period: ten years (the 2015-2023 history is 3,287 days).
MAX_DAYS = 3653
#: Assumptions that act only at the start of a run, so a dated change would do nothing.
AT_START_ONLY = ("assumptions.risk_prior",)

#: A key that edits one dated change, named by its number in date order from 1 (as
#: `routesim scenario` and the history charts number them): ``timeline.N.days_later``
#: moves it, ``timeline.N.happens`` (1 or 0) keeps or drops it, and
#: ``timeline.N.<lever or assumption>`` sets what it gives that lever from its date on.
TIMELINE_KEY = re.compile(r"timeline\.(?P<number>[0-9]+)\.(?P<what>.+)")
#: The edits of a dated change that take whole numbers.
TIMELINE_WHOLE = ("days_later", "happens")

# Control characters in a --set item: a newline would end the TOML value early and
# silently drop the rest.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class ScenarioError(RoutesimError, ValueError):
    """A scenario file or override is invalid; the message is one line for the user.

    Attributes:
        source: The file or ``--set KEY=VALUE`` the problem is in.
        key: The dotted key at fault, or ``None`` for problems with the whole file.
    """

    def __init__(self, message: str, *, source: str = "", key: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.key = key


class ScenarioMeta(ConfigModel):
    """What a scenario is called and the period it simulates."""

    name: Name = Field(description="names the default output folder, out/<name>")
    description: str = ""
    start: dt.date = Field(dt.date(2023, 1, 1), ge=FIRST_START, le=LAST_START)
    days: int = Field(365, ge=1, le=MAX_DAYS)
    parameters: Name = Field(
        "calibrated-2023",
        description="parameter set (parameters/NAME.toml) that the scenario starts from",
    )
    push: Name | None = Field(
        None,
        description=(
            "push table (push/NAME.csv, written by `routesim push`): would-be migrants per "
            "origin and month, in place of parameters.origins.*.people_per_year for its months"
        ),
    )


class TimelineChange(ConfigModel):
    """Levers and assumptions that take new values on a date within the run."""

    date: dt.date = Field(ge=FIRST_START, le=LAST_START)
    label: str = Field("", description="what happened, as figures label it")
    set: dict[str, float] = Field(
        min_length=1, description="dotted lever and assumption keys and their values from then on"
    )


class Phase(NamedTuple):
    """The levers and assumptions in force from a date on."""

    date: dt.date
    label: str
    scenario: Scenario


class Scenario(ConfigModel):
    """A fully resolved scenario: everything a run needs besides the seed."""

    scenario: ScenarioMeta
    levers: Levers = Field(default_factory=Levers)
    assumptions: Assumptions = Field(default_factory=Assumptions)
    parameters: Parameters = Field(default_factory=Parameters)
    timeline: list[TimelineChange] = Field(
        default_factory=list, description="dated changes of levers and assumptions"
    )

    @property
    def end(self) -> dt.date:
        """The last day of the scenario period."""
        return self.scenario.start + dt.timedelta(days=self.scenario.days - 1)

    def phases(self) -> list[Phase]:
        """The scenario in force from each timeline date on, in date order.

        Each change applies on top of the ones before it; a change dated before the
        run (its warm-up included) is in force from the start, one after its end never.
        """
        phases, current = [], self
        for change in sorted(self.timeline, key=lambda c: c.date):
            current = current.with_overrides(change.set)
            phases.append(Phase(change.date, change.label, current))
        return phases

    def to_toml(self) -> str:
        """The fully resolved scenario as TOML, loadable again by `load_scenario`."""
        # TOML has no null: a field left at None is dropped and reloads as its default.
        return tomli_w.dumps(self.model_dump(mode="python", exclude_none=True))

    def with_overrides(self, overrides: Sequence[str] | Mapping[str, Any]) -> Scenario:
        """A copy of this scenario with some values changed, validated like a file.

        Args:
            overrides: Either ``KEY=VALUE`` strings as given to ``--set`` (the value
                read as a TOML value), or a mapping from dotted keys to values, as
                sweeps and the app produce them.

        Returns:
            A new scenario; this one is left unchanged.

        Raises:
            ScenarioError: If a key is unknown or a value is out of its range.
        """
        raw = self.model_dump(mode="python")
        return _validate(raw, source="scenario", overrides=_as_overrides(overrides))


def counterfactual(scenario: Scenario, change: int, to: dt.date | None = None) -> Scenario:
    """The scenario with one dated change switched off (`to` None) or moved to the date `to`.

    What the change sets then never applies, or applies from `to` on top of the changes
    dated before it, as if the timeline had been written so.

    Args:
        scenario: The scenario as recorded.
        change: The change's number in date order from 1 over the whole timeline (the
            numbers `routesim scenario` and the full history's charts show).
        to: The date the change happens instead, within the scenario's period; None
            switches it off.

    Raises:
        ScenarioError: No such change, or `to` outside the period; one line naming them.
    """
    return scenario.with_overrides(counterfactual_overrides(scenario, change, to))


def counterfactual_overrides(
    scenario: Scenario, change: int, to: dt.date | None = None
) -> dict[str, Any]:
    """`counterfactual` as overrides: the whole new timeline.

    Runs that rebuild their scenario from its name, such as comparisons in worker
    processes, take it this way.
    """
    order = sorted(range(len(scenario.timeline)), key=lambda i: scenario.timeline[i].date)
    if not 1 <= change <= len(order):
        raise ScenarioError(
            f"{scenario.scenario.name}: timeline change {change}: no such change "
            f"(expected 1 to {len(order)}, the changes numbered in date order)",
            source=scenario.scenario.name,
            key="timeline",
        )
    index = order[change - 1]
    timeline = [entry.model_dump(mode="python") for entry in scenario.timeline]
    if to is None:
        del timeline[index]
        return {"timeline": timeline}
    start, end = scenario.scenario.start, scenario.end
    if not start <= to <= end:
        # A date outside the run would switch the change off, or put it in force from
        # the start, without saying so.
        raise ScenarioError(
            f"{scenario.scenario.name}: timeline change {change} "
            f"({scenario.timeline[index].label or 'no label'}): expected a date from "
            f"{start} to {end}, got {to}",
            source=scenario.scenario.name,
            key=f"timeline[{index}].date",
        )
    timeline[index]["date"] = to
    return {"timeline": timeline}


def available_scenarios() -> list[str]:
    """Names of the scenarios in ``$ROUTESIM_PATH`` folders and bundled ones, sorted."""
    return resources.names("scenarios", "*.toml")


def load_scenario(source: str | Path = "baseline-2023", overrides: Sequence[str] = ()) -> Scenario:
    """Read, complete and validate a scenario.

    Args:
        source: A scenario name (``scenarios/<name>.toml`` in a ``$ROUTESIM_PATH``
            folder or among the bundled scenarios, in that order) or the path of a
            ``.toml`` file.
        overrides: ``KEY=VALUE`` strings with dotted keys, e.g.
            ``levers.partner_coast_guard.tunisia=2``. VALUE is read as a TOML value
            and taken as plain text when it is not one.

    Returns:
        The scenario, with every value not given set to its 2023 baseline default.

    Raises:
        ScenarioError: If the file is missing or not valid TOML, or a key or value is
            wrong; the message is one line naming the file, the key and what was expected.
    """
    path, name = resources.locate("scenarios", source)
    try:
        raw = read_toml(path, name, _error_in(name))
    except FileNotFoundError:
        known = resources.listing("scenarios", available_scenarios())
        raise ScenarioError(f"{name}: no such scenario file ({known})", source=name) from None
    overrides_ = _as_overrides(overrides)
    base = _merge(
        _defaults(), {"parameters": _parameter_set(*_parameter_set_name(raw, overrides_, name))}
    )
    return _validate(_merge(base, raw), source=name, overrides=overrides_)


def _parameter_set_name(
    raw: Mapping[str, Any], overrides: list[tuple[str, Any, str]], source: str
) -> tuple[str, str]:
    """The parameter set a scenario asks for, and who asked (an override wins over the file).

    A `[scenario]` that is not a table, or a name that is not text, is left for
    validation to report: the default set is read meanwhile.
    """
    default = ScenarioMeta.model_fields["parameters"].default
    meta = raw.get("scenario")
    name = meta.get("parameters", default) if isinstance(meta, Mapping) else default
    for key, value, shown in overrides:
        if key == "scenario.parameters":
            name, source = value, shown
    return (name, source) if isinstance(name, str) else (default, source)


def parameter_set(name: str) -> dict[str, Any]:
    """The `[parameters]` table of parameter set `name`, e.g. to see what a set changes."""
    return _parameter_set(name, name)


def _parameter_set(name: str, source: str) -> dict[str, Any]:
    """The `[parameters]` table of parameter set `name` (`parameters/<name>.toml`), checked alone.

    Calibration writes these files; a scenario starts from one, so that fitted values
    apply to every scenario, not only to the baseline. `source` (the scenario file or
    the override) named the set.
    """
    key = "scenario.parameters"
    where = source if source.startswith("--set") else f"{source}: {key}"
    try:
        check_name(name)
    except ValueError as exc:
        raise ScenarioError(f"{where}: {exc}, got {name!r}", source=source, key=key) from None
    path = resources.find("parameters", f"{name}.toml")
    if path is None:
        known = resources.listing("parameters", resources.names("parameters", "*.toml"))
        raise ScenarioError(f"{where}: no parameter set {name!r} ({known})", source=source, key=key)
    file = resources.shown("parameters", path)
    raw = read_toml(path, file, _error_in(file))
    unknown = sorted(set(raw) - {"parameters", "calibration"})
    if unknown:
        raise ScenarioError(
            f"{file}: {unknown[0]}: unknown table (expected [parameters] and [calibration])",
            source=file,
        )
    table = raw.get("parameters", {})
    _validate(
        _merge(_defaults(), {"scenario": {"name": name}, "parameters": table}),
        source=file,
        overrides=[],
    )
    return table


def _error_in(shown: str) -> Callable[[str], ScenarioError]:
    """Makes the `ScenarioError` of a problem with the whole file `shown`."""
    return lambda message: ScenarioError(message, source=shown)


def _defaults() -> dict[str, Any]:
    """The default of every section with one, as raw tables."""
    return {
        name: field.get_default(call_default_factory=True).model_dump(mode="python")
        for name, field in Scenario.model_fields.items()
        if schema.is_model(field.annotation) and not field.is_required()
    }


def _merge(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """`update` laid over `base`, table by table.

    Merging rather than replacing lets a file change one entry of a table such as
    ``[parameters.boats.dinghy]`` and keep the other boats and the dinghy's other values.
    """
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _as_overrides(overrides: Sequence[str] | Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    """Overrides as (dotted key, value, how to name it in messages)."""
    if isinstance(overrides, Mapping):
        return [(key, value, f"--set {key}={value!r}") for key, value in overrides.items()]
    if isinstance(overrides, str):
        overrides = [overrides]
    parsed = []
    for item in overrides:
        if _CONTROL.search(item):
            raise ScenarioError(
                f"--set {item!r}: expected KEY=VALUE on one line, without control characters",
                source=f"--set {item!r}",
            )
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError(
                f"--set {item}: expected KEY=VALUE, e.g. levers.ngo_vessels=5",
                source=f"--set {item}",
            )
        parsed.append((key, _parse_value(key, text.strip(), f"--set {item}"), f"--set {item}"))
    return parsed


def _parse_value(key: str, text: str, shown: str) -> Any:
    """An override's value: a TOML value, or the text itself for text fields and non-TOML."""
    check_nesting(text, shown, _error_in(shown))
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    field = schema.field_at(Scenario, key.split("."))
    if field is not None and field.annotation is str and not isinstance(value, str):
        # Keep `--set scenario.name=2024` a name rather than turning it into a number.
        return text
    return value


def _validate(
    raw: dict[str, Any], *, source: str, overrides: list[tuple[str, Any, str]]
) -> Scenario:
    edits = [item for item in overrides if TIMELINE_KEY.fullmatch(item[0])]
    for key, value, shown in overrides:
        if not TIMELINE_KEY.fullmatch(key):
            _set_dotted(raw, key, value, shown)
    edited = _edit_timeline(raw, edits) if edits else {}
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        found = [
            (problem, _source_of(problem.loc, source, overrides, problem.missing))
            for problem in schema.problems(exc, Scenario)
        ]
    else:
        _check_push(scenario, _source_of(("scenario", "push"), source, overrides))
        _check_timeline(scenario, source, edited)
        return scenario
    # A problem in an override is the one the user just typed: report it first.
    found.sort(key=lambda item: item[1] == source)
    problem, shown = found[0]
    override_key = next((k for k, _, s in overrides if s == shown), None)
    text = (
        f"{shown}: {problem.message}"
        if problem.key == override_key
        else f"{shown}: {problem.key}: {problem.message}"
    )
    if len(found) > 1:
        text += f" (and {len(found) - 1} more)"
    raise ScenarioError(text, source=shown, key=problem.key)


def _check_push(scenario: Scenario, source: str) -> None:
    """A scenario's push table must exist (its rows are checked when a run reads it)."""
    name = scenario.scenario.push
    if name is not None and resources.find("push", f"{name}.csv") is None:
        known = resources.listing("push", resources.names("push", "*.csv"))
        where = source if source.startswith("--set") else f"{source}: scenario.push"
        raise ScenarioError(
            f"{where}: no push table {name!r} ({known})", source=source, key="scenario.push"
        )


def _check_timeline(
    scenario: Scenario, source: str, edited: Mapping[tuple[int, str], str] | None = None
) -> None:
    """Each dated change names levers or assumptions, and leaves them within their ranges.

    Changes apply on top of each other in date order, so each is checked on the
    scenario as the changes before it left it. A value set by a ``timeline.N.*``
    override is named by that override (`edited`, by position and key).
    """
    edited = edited or {}
    current = scenario.model_copy(update={"timeline": []})
    order = sorted(range(len(scenario.timeline)), key=lambda i: scenario.timeline[i].date)
    for i in order:
        overrides = []
        for key, value in scenario.timeline[i].set.items():
            loc = f"timeline[{i}].set.{schema.toml_key([key])}"
            shown = edited.get((i, key), f"{source}: {loc}")
            if (problem := _not_datable(key)) is not None:
                raise ScenarioError(f"{shown}: {problem}", source=source, key=loc)
            overrides.append((key, value, shown))
        current = _validate(current.model_dump(mode="python"), source=source, overrides=overrides)


def _edit_timeline(
    raw: dict[str, Any], edits: list[tuple[str, Any, str]]
) -> dict[tuple[int, str], str]:
    """Apply ``timeline.N.*`` overrides to the raw timeline (see `TIMELINE_KEY`).

    Changes are numbered in the timeline's date order before any edit, so that moving
    one does not renumber the others; those whose ``happens`` is 0 are dropped last.

    Returns:
        The override that set each lever value, by (position in the new timeline, key),
        for messages about the value.
    """
    timeline = raw.get("timeline", [])
    if not isinstance(timeline, list) or not all(isinstance(c, dict) for c in timeline):
        return {}  # not a list of tables: validation reports it
    setters: dict[tuple[int, str], str] = {}
    order = sorted(range(len(timeline)), key=lambda i: str(timeline[i].get("date")))
    dropped = set()
    for key, value, shown in edits:
        match = TIMELINE_KEY.fullmatch(key)
        assert match is not None
        number, what = int(match["number"]), match["what"]
        if not 1 <= number <= len(order):
            raise ScenarioError(
                f"{shown}: no dated change {number} (expected 1 to {len(order)}, the changes "
                "numbered in date order as `routesim scenario` lists them)",
                source=shown,
                key=key,
            )
        change = timeline[order[number - 1]]
        if what in TIMELINE_WHOLE:
            whole = _whole_number(value, shown, key)
            if what == "happens" and whole not in (0, 1):
                raise ScenarioError(
                    f"{shown}: expected 1 or 0, got {value!r}", source=shown, key=key
                )
            if what == "happens" and whole == 0:
                dropped.add(order[number - 1])
            elif what == "days_later" and (moved := _moved(raw, change, whole, shown, key)):
                change["date"] = moved
        elif (problem := _not_datable(what)) is not None:
            raise ScenarioError(
                f"{shown}: {what}: {problem}; a dated change takes days_later, happens, "
                "or a lever or assumption",
                source=shown,
                key=key,
            )
        else:
            change["set"] = {**change.get("set", {}), what: value}
            setters[(order[number - 1], what)] = shown
    kept = [i for i in range(len(timeline)) if i not in dropped]
    raw["timeline"] = [timeline[i] for i in kept]
    return {(kept.index(i), what): shown for (i, what), shown in setters.items() if i in kept}


def _whole_number(value: Any, shown: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ScenarioError(
            f"{shown}: expected a whole number, got {value!r}", source=shown, key=key
        )
    return int(value)


def _moved(
    raw: dict[str, Any], change: dict[str, Any], days: int, shown: str, key: str
) -> dt.date | None:
    """A change's date moved by `days`, which must stay within the run.

    A date outside the run would switch the change off, or put it in force from the
    start, without saying so.
    """
    meta = raw.get("scenario", {})
    start, length = meta.get("start"), meta.get("days")
    date = change.get("date")
    if (
        not isinstance(date, dt.date)
        or not isinstance(start, dt.date)
        or not isinstance(length, int)
    ):
        return date if isinstance(date, dt.date) else None  # left for validation to report
    moved = date + dt.timedelta(days=days)
    end = start + dt.timedelta(days=length - 1)
    if not start <= moved <= end:
        label = change.get("label") or "no label"
        raise ScenarioError(
            f"{shown}: moves the change of {date} ({label}) to {moved}, outside the run "
            f"({start} to {end})",
            source=shown,
            key=key,
        )
    return moved


def _not_datable(name: str) -> str | None:
    """Why a dated change cannot set `name`, or None if it can."""
    if name in AT_START_ONLY:
        return "acts at the start of a run only, so it cannot change on a date"
    known = _lever_names()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]}?" if close else "see `routesim levers`"
        return f"not a lever or assumption ({hint})"
    return None


@cache
def _lever_names() -> list[str]:
    # Asked for every key of every dated change each time a scenario is validated, and a
    # history's phases validate it once per change: the walk of the lever models is not.
    return sorted(spec.name for spec in lever_specs())


def _set_dotted(raw: dict[str, Any], key: str, value: Any, shown: str) -> None:
    parts = key.split(".")
    table = raw
    for depth, part in enumerate(parts[:-1]):
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            prefix = ".".join(parts[: depth + 1])
            raise ScenarioError(f"{shown}: {prefix} is a value, not a table", source=shown, key=key)
    table[parts[-1]] = value


def _source_of(
    loc: schema.Loc,
    source: str,
    overrides: list[tuple[str, Any, str]],
    missing: bool = False,
) -> str:
    """The override that set the value at `loc`, or else the file.

    A value missing next to an override's key is the override's doing when it made a new
    entry, e.g. ``--set parameters.boats.raft.cost=500`` for a boat type not defined.
    """
    loc = tuple(str(part) for part in loc)
    for key, _, shown in reversed(overrides):
        parts = tuple(key.split("."))
        if loc[: len(parts)] == parts or parts[: len(loc)] == loc:
            return shown
        if missing and loc[:-1] == parts[:-1]:
            return shown
    return source
