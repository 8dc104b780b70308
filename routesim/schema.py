"""What a config key expects, and validation errors said in those words.

The one error formatter for every config model (`routesim.configs.ConfigModel`):
scenarios, parameter sets, sweeps, lessons, stylised facts, observed figures and the
GeoJSON geodata layers (`routesim.geodata`) all turn pydantic's errors into `Problem`s,
each a key in TOML's own spelling (``a.b``, ``expect[0].direction``,
``parameters."levers.ngo_vessels".low``) and a message saying what was expected and what
was given: ``expected a whole number from 0 to 50, got '3'``.
Messages are worked out from the schema itself (types, bounds, the keys of a table), so
they stay true when a field changes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeGuard, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

#: A location in a config: table keys (text) and list positions (whole numbers).
Loc = tuple[str | int, ...]

#: Errors of a union told apart by a tag key (``Field(discriminator=...)``).
_UNION_TAG_ERRORS = ("union_tag_invalid", "union_tag_not_found")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config.

    Attributes:
        loc: Where it is.
        message: What was expected there and what was given.
        missing: Whether a required key was not given at all.
    """

    loc: Loc
    message: str
    missing: bool = False

    @property
    def key(self) -> str:
        """The location as a TOML key."""
        return toml_key(self.loc)


def problems(exc: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """Every error of a validation of `root`, in pydantic's order."""
    found = []
    for error in exc.errors(include_url=False):
        loc = _without_union_tags(tuple(error["loc"]), root)
        if error["type"] in _UNION_TAG_ERRORS:
            # The union's tag is a key of its own (a GeoJSON geometry's ``type``).
            loc = (*loc, str(error["ctx"]["discriminator"]).strip("'"))
        message = _describe(error, loc, root)
        if loc[-1:] == ("[key]",):  # a key outside a table's fixed set, such as route ids
            loc = loc[:-1]
        missing = error["type"] in ("missing", "union_tag_not_found")
        found.append(Problem(loc, message, missing=missing))
    return found


def first_problem(
    exc: ValidationError, root: type[BaseModel], key: Callable[[Loc], str] | None = None
) -> str:
    """``key: what was expected``, for the first error, and how many more there are.

    `key` spells the location (as a TOML key by default); where it is empty, the whole
    input is wrong and the message stands alone.
    """
    found = problems(exc, root)
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    where = (key or toml_key)(found[0].loc)
    return f"{where + ': ' if where else ''}{found[0].message}{more}"


def toml_key(loc: Sequence[str | int]) -> str:
    """A location as a TOML key: positions in brackets, keys with dots in quotes."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{part}]"]
        elif "." in part:
            parts.append(f'"{part}"')
        else:
            parts.append(part)
    return ".".join(parts)


def annotation_at(root: type[BaseModel], loc: Sequence[str | int]) -> Any:
    """The type expected at `loc` of `root` (``()`` is `root` itself), or None if no key is there.

    ``X | None`` and ``Annotated[X, ...]`` come back as ``X``.
    """
    annotation: Any = root
    for part in loc:
        annotation = strip_optional(annotation)
        if is_model(annotation):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None
            annotation = field.annotation
        elif get_origin(annotation) in (dict, list, tuple):
            # A table's values, or a list's items (``tuple[X, ...]`` included).
            args = get_args(annotation)
            annotation = args[1] if get_origin(annotation) is dict else args[0]
        else:
            return None
    return strip_optional(annotation)


def field_at(root: type[BaseModel], loc: Sequence[str | int]) -> FieldInfo | None:
    """The model field declared at `loc`, if `loc` names one (not a table entry)."""
    parent = model_at(root, loc[:-1]) if loc else None
    return parent.model_fields.get(str(loc[-1])) if parent is not None else None


def model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class whose fields live at `loc`, if a model is expected there."""
    annotation = annotation_at(root, loc)
    return annotation if is_model(annotation) else None


def strip_optional(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` as ``X``; other annotations unchanged.

    Bounds on a table's values (``dict[str, PositivePrice]``) come with pydantic's
    errors (see `_expected_number`), so only the type is needed here.
    """
    if get_origin(annotation) is Annotated:
        return strip_optional(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return strip_optional(args[0])
    return annotation


def _without_union_tags(loc: Loc, root: type[BaseModel]) -> Loc:
    """`loc` without the member types pydantic adds inside a union (``int``, ``list[float]``).

    They name no key: ``values`` rather than ``values.list[float]``.
    """
    kept: list[str | int] = []
    for part in loc:
        annotation = annotation_at(root, kept)
        if get_origin(annotation) in (Union, types.UnionType) and isinstance(part, str):
            members = {_tag(arg) for arg in get_args(annotation)}
            if part in members:
                continue
        kept.append(part)
    return tuple(kept)


def _tag(annotation: Any) -> str:
    if isinstance(annotation, type) and get_origin(annotation) is None:
        return annotation.__name__
    return str(annotation)


def _describe(error: Mapping[str, Any], loc: Loc, root: type[BaseModel]) -> str:
    """One pydantic error as 'what was expected, what was given'."""
    kind, given = error["type"], error.get("input")
    field = field_at(root, loc)
    if kind == "extra_forbidden":
        return "unknown key" + _suggestion(loc, root)
    if loc[-1:] == ("[key]",):
        return "unknown key" + _key_suggestion(loc[:-1], root)
    if kind == "union_tag_invalid":
        context = error["ctx"]
        return f"expected one of {context['expected_tags']}, got {_show(context['tag'])}"
    if kind in ("missing", "union_tag_not_found"):
        table = model_at(root, loc)
        if table is None:
            return "required, but not given"
        needed = ", ".join(name for name, info in table.model_fields.items() if info.is_required())
        return f"required table missing (it needs at least {needed})"
    if field is not None and strip_optional(field.annotation) is dt.date:
        return _expected_date(field, given)
    if kind.startswith(("float_", "int_", "greater_than", "less_than", "finite_number")):
        return _expected_number(field, given, error.get("ctx"))
    if kind in ("too_short", "too_long"):
        bound = "at least" if kind == "too_short" else "at most"
        size = (error.get("ctx") or {}).get("min_length" if kind == "too_short" else "max_length")
        return f"expected {bound} {size} item{'' if size == 1 else 's'}, got {_show(given)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a table, got {_show(given)}"
    if kind.startswith("bool_"):
        return f"expected true or false, got {_show(given)}"
    if kind == "string_type":
        return f"expected text in quotes, got {_show(given)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list in [brackets], got {_show(given)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    message = message.replace("Input should be", "expected").replace("String should", "should")
    return f"{message}, got {_show(given)}"


def _expected_number(
    field: FieldInfo | None, given: Any, context: Mapping[str, Any] | None = None
) -> str:
    whole = field is not None and strip_optional(field.annotation) is int
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
    if value is None:  # JSON's null (a GeoJSON layer's); TOML has none
        return "null"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, str) else _number(value)


def _suggestion(loc: Loc, root: type[BaseModel]) -> str:
    """' (did you mean X?)' for an unknown key, or '' when nothing is close."""
    name = str(loc[-1])
    parent = model_at(root, loc[:-1])
    if parent is not None:
        siblings = list(parent.model_fields)
        close = [sibling for sibling in siblings if sibling.startswith(name)][:1]
        close = close or difflib.get_close_matches(name, siblings, n=1)
        if close:
            return f" (did you mean {toml_key((*loc[:-1], close[0]))}?)"
    ancestors = {toml_key(loc[:depth]) for depth in range(1, len(loc))}
    known = [key for key in _dotted_keys(root, ()) if key not in ancestors]
    # A key put in the wrong table, e.g. levers.tunisia for levers.partner_coast_guard.tunisia.
    same_name = [key for key in known if key.rsplit(".", 1)[-1] == name]
    close = same_name or difflib.get_close_matches(toml_key(loc), known, n=1)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def _key_suggestion(loc: Loc, root: type[BaseModel]) -> str:
    """' (did you mean X?)' for a key outside a table's fixed set of keys."""
    table = annotation_at(root, loc[:-1])
    if get_origin(table) is not dict or get_origin(get_args(table)[0]) is not Literal:
        return ""
    choices = [str(choice) for choice in get_args(get_args(table)[0])]
    close = difflib.get_close_matches(str(loc[-1]), choices, n=1)
    if close:
        return f" (did you mean {toml_key((*loc[:-1], close[0]))}?)"
    return f" (expected one of {', '.join(choices)})"


def _dotted_keys(model: type[BaseModel], prefix: tuple[str, ...]) -> Iterator[str]:
    for name, field in model.model_fields.items():
        yield ".".join((*prefix, name))
        annotation = strip_optional(field.annotation)
        if is_model(annotation):
            yield from _dotted_keys(annotation, (*prefix, name))


def is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    """Whether `annotation` is a model class (a config table)."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
