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
import math
import re
import tomllib
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard, Union, get_args, get_origin

import tomli_w
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, Field, ValidationError
from pydantic.fields import FieldInfo

from routesim import resources
from routesim.configs import Name, check_name, check_nesting, read_toml
from routesim.errors import RoutesimError
from routesim.levers import Assumptions, Levers, _Strict
from routesim.parameters import Parameters

#: The calendar a scenario may start in: the warm-up before it and the run after it
#: stay far from the ends of Python's dates.
FIRST_START = dt.date(1950, 1, 1)
LAST_START = dt.date(2100, 12, 31)

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


class ScenarioMeta(_Strict):
    """What a scenario is called and the period it simulates."""

    name: Name = Field(description="names the default output folder, out/<name>")
    description: str = ""
    start: dt.date = Field(dt.date(2023, 1, 1), ge=FIRST_START, le=LAST_START)
    days: int = Field(365, ge=1, le=1096)
    parameters: Name = Field(
        "calibrated-2023",
        description="parameter set (parameters/NAME.toml) that the scenario starts from",
    )


class Scenario(_Strict):
    """A fully resolved scenario: everything a run needs besides the seed."""

    scenario: ScenarioMeta
    levers: Levers = Field(default_factory=Levers)
    assumptions: Assumptions = Field(default_factory=Assumptions)
    parameters: Parameters = Field(default_factory=Parameters)

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
        if not field.is_required()
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
    field = _field_at(tuple(key.split(".")))
    if field is not None and field.annotation is str and not isinstance(value, str):
        # Keep `--set scenario.name=2024` a name rather than turning it into a number.
        return text
    return value


def _validate(
    raw: dict[str, Any], *, source: str, overrides: list[tuple[str, Any, str]]
) -> Scenario:
    for key, value, shown in overrides:
        _set_dotted(raw, key, value, shown)
    problems = [
        (loc, message, _source_of(loc, source, overrides))
        for loc, message in _type_problems(raw, Scenario, ())
    ]
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        seen = {loc for loc, _, _ in problems}
        for error in exc.errors(include_url=False):
            loc = tuple(str(part) for part in error["loc"])
            message = _describe(error, loc)
            loc = loc[:-1] if loc[-1:] == ("[key]",) else loc
            if loc not in seen:
                missing = error["type"] == "missing"
                problems.append((loc, message, _source_of(loc, source, overrides, missing)))
    if not problems:
        return scenario
    # A problem in an override is the one the user just typed: report it first.
    problems.sort(key=lambda problem: problem[2] == source)
    loc, message, shown = problems[0]
    key = ".".join(loc)
    override_key = next((k for k, _, s in overrides if s == shown), None)
    text = f"{shown}: {message}" if key == override_key else f"{shown}: {key}: {message}"
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more)"
    raise ScenarioError(text, source=shown, key=key)


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
    loc: tuple[str, ...],
    source: str,
    overrides: list[tuple[str, Any, str]],
    missing: bool = False,
) -> str:
    """The override that set the value at `loc`, or else the file.

    A value missing next to an override's key is the override's doing when it made a new
    entry, e.g. ``--set parameters.boats.raft.cost=500`` for a boat type not defined.
    """
    for key, _, shown in reversed(overrides):
        parts = tuple(key.split("."))
        if loc[: len(parts)] == parts or parts[: len(loc)] == loc:
            return shown
        if missing and loc[:-1] == parts[:-1]:
            return shown
    return source


def _type_problems(
    value: Any, annotation: Any, loc: tuple[str, ...], field: FieldInfo | None = None
) -> list[tuple[tuple[str, ...], str]]:
    """Values of the wrong kind that pydantic's lax mode would accept.

    Text or true/false for a number, anything but true/false for a flag (1 is not true),
    and anything but a TOML date for a date (``"2023-01-01"`` in quotes is text).
    """
    annotation = _strip_optional(annotation)
    if annotation in (int, float):
        return [(loc, _expected_number(field, value))] if isinstance(value, bool | str) else []
    if annotation is bool:
        return (
            []
            if isinstance(value, bool)
            else [(loc, f"expected true or false, got {_show(value)}")]
        )
    if annotation is dt.date:
        is_date = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return [] if is_date else [(loc, _expected_date(field, value))]
    problems: list[tuple[tuple[str, ...], str]] = []
    if _is_model(annotation) and isinstance(value, dict):
        for key, item in value.items():
            if (inner := annotation.model_fields.get(key)) is not None:
                problems += _type_problems(item, inner.annotation, (*loc, key), inner)
    elif get_origin(annotation) is dict and isinstance(value, dict):
        for key, item in value.items():
            problems += _type_problems(item, get_args(annotation)[1], (*loc, str(key)))
    elif get_origin(annotation) is list and isinstance(value, list):
        for index, item in enumerate(value):
            problems += _type_problems(item, get_args(annotation)[0], (*loc, str(index)))
    return problems


def _describe(error: Mapping[str, Any], loc: tuple[str, ...]) -> str:
    """One pydantic error as 'what was expected, what was given'."""
    kind, given = error["type"], error.get("input")
    field = _field_at(loc)
    if kind == "extra_forbidden":
        return "unknown key" + _suggestion(loc)
    if loc[-1:] == ("[key]",):  # a table whose keys are a fixed set, such as route ids
        return "unknown key" + _key_suggestion(loc[:-1])
    if kind == "missing":
        table = _model_at(loc)
        if table is None:
            return "required, but not given"
        needed = ", ".join(name for name, info in table.model_fields.items() if info.is_required())
        return f"required table missing (it needs at least {needed})"
    if field is not None and _strip_optional(field.annotation) is dt.date:
        return _expected_date(field, given)
    if kind.startswith(("float_", "int_", "greater_than", "less_than", "finite_number")):
        return _expected_number(field, given, error.get("ctx"))
    if kind in ("too_short", "too_long"):
        bound = "at least" if kind == "too_short" else "at most"
        size = (error.get("ctx") or {}).get("min_length" if kind == "too_short" else "max_length")
        return f"expected {bound} {size} items, got {_show(given)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a table, got {_show(given)}"
    if kind.startswith("bool_"):
        return f"expected true or false, got {_show(given)}"
    if kind == "string_type":
        return f"expected text in quotes, got {_show(given)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    message = message.replace("Input should be", "expected").replace("String should", "should")
    return f"{message}, got {_show(given)}"


def _expected_number(
    field: FieldInfo | None, given: Any, context: Mapping[str, Any] | None = None
) -> str:
    whole = field is not None and _strip_optional(field.annotation) is int
    kind = "a whole number" if whole else "a number"
    if isinstance(given, float) and not math.isfinite(given):
        kind = f"a finite {kind.removeprefix('a ')}"
    constraints = list(field.metadata) if field is not None else []
    # A bound on a table's values (e.g. prices above 0) is not on the table's field.
    bound = {"ge": Ge, "gt": Gt, "le": Le, "lt": Lt}
    constraints += [bound[k](v) for k, v in (context or {}).items() if k in bound]
    return f"expected {kind}{_range(constraints)}, got {_show(given)}"


def _expected_date(field: FieldInfo | None, given: Any) -> str:
    bounds = _range(list(field.metadata)) if field is not None else ""
    return f"expected a date like 2023-01-01 (no quotes){bounds}, got {_show(given)}"


def _range(constraints: list[Any]) -> str:
    low, above = _last(constraints, Ge), _last(constraints, Gt)
    high, below = _last(constraints, Le), _last(constraints, Lt)
    if low is not None and high is not None:
        return f" from {_number(low.ge)} to {_number(high.le)}"
    parts = []
    if low is not None:
        parts.append(f"at least {_number(low.ge)}")
    if above is not None:
        parts.append(f"above {_number(above.gt)}")
    if high is not None:
        parts.append(f"at most {_number(high.le)}")
    if below is not None:
        parts.append(f"below {_number(below.lt)}")
    return " " + " and ".join(parts) if parts else ""


def _last[B: (Ge, Gt, Le, Lt)](constraints: list[Any], kind: type[B]) -> B | None:
    """The last constraint of exactly this kind (a later bound overrides an earlier one)."""
    found: list[B] = [m for m in constraints if type(m) is kind]
    return found[-1] if found else None


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, str) else _number(value)


def _suggestion(loc: tuple[str, ...]) -> str:
    """' (did you mean X?)' for an unknown key, or '' when nothing is close."""
    parent = _model_at(loc[:-1])
    if parent is not None:
        siblings = list(parent.model_fields)
        close = [name for name in siblings if name.startswith(loc[-1])][:1]
        close = close or difflib.get_close_matches(loc[-1], siblings, n=1)
        if close:
            return f" (did you mean {'.'.join((*loc[:-1], close[0]))}?)"
    ancestors = {".".join(loc[:depth]) for depth in range(1, len(loc))}
    known = [key for key in _dotted_keys(Scenario, ()) if key not in ancestors]
    # A key put in the wrong table, e.g. levers.tunisia for levers.partner_coast_guard.tunisia.
    same_name = [key for key in known if key.rsplit(".", 1)[-1] == loc[-1]]
    close = same_name or difflib.get_close_matches(".".join(loc), known, n=1)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def _key_suggestion(loc: tuple[str, ...]) -> str:
    """' (did you mean X?)' for a key outside a table's fixed set of keys."""
    table = _annotation_at(loc[:-1])
    if get_origin(table) is not dict or get_origin(get_args(table)[0]) is not Literal:
        return ""
    choices = [str(choice) for choice in get_args(get_args(table)[0])]
    close = difflib.get_close_matches(loc[-1], choices, n=1)
    if close:
        return f" (did you mean {'.'.join((*loc[:-1], close[0]))}?)"
    return f" (expected one of {', '.join(choices)})"


def _dotted_keys(model: type[BaseModel], prefix: tuple[str, ...]) -> Iterator[str]:
    for name, field in model.model_fields.items():
        yield ".".join((*prefix, name))
        annotation = _strip_optional(field.annotation)
        if _is_model(annotation):
            yield from _dotted_keys(annotation, (*prefix, name))


def _annotation_at(loc: tuple[str, ...]) -> Any:
    """The type expected at `loc` (``()`` is the scenario itself), or None if no key is there."""
    annotation: Any = Scenario
    for part in loc:
        annotation = _strip_optional(annotation)
        if _is_model(annotation):
            field = annotation.model_fields.get(part)
            if field is None:
                return None
            annotation = field.annotation
        elif get_origin(annotation) in (dict, list):
            annotation = get_args(annotation)[-1]
        else:
            return None
    return _strip_optional(annotation)


def _model_at(loc: tuple[str, ...]) -> type[BaseModel] | None:
    """The model class whose fields live at `loc`, if a model is expected there."""
    annotation = _annotation_at(loc)
    return annotation if _is_model(annotation) else None


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _field_at(loc: tuple[str, ...]) -> FieldInfo | None:
    parent = _model_at(loc[:-1]) if loc else None
    return parent.model_fields.get(loc[-1]) if parent is not None else None


def _strip_optional(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` as ``X``; other annotations unchanged.

    Bounds on a table's values (``dict[str, PositivePrice]``) come with pydantic's
    errors (see `_expected_number`), so only the type is needed here.
    """
    if get_origin(annotation) is Annotated:
        return _strip_optional(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation
