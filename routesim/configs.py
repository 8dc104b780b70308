"""Config files: bounded reading, the one config base model, names, scales and output paths.

Every config file (scenario, parameter set, sweep, lesson, fact, observed figures) is
read through `read_toml`, so that each fails the same way, as one line naming the file:
a folder, a binary or unreadable file, a file over `MAX_CONFIG_BYTES` or nested deeper
than `MAX_NESTING` is refused before TOML parsing (deep nesting would otherwise exhaust
the parser's recursion). Every config model derives from `ConfigModel`: unknown keys are
errors and NaN or infinity is never a number. Names (of scenarios, sweeps and parameter
sets) match `NAME_PATTERN`, so that a name can never be a path; `inside` resolves an
output path and checks that it stays in its folder, and `writable_folder` checks an
output folder before the work whose results go there. A scale (people per agent row) is
checked by `check_scale`, wherever it comes from: a config, the command line or an
argument.

Validation errors read the same in every config (`routesim.schema`); scenarios add which
file or ``--set`` override a value came from, and observed figures, stylised facts and
lessons are read with `read_config` here.
"""

from __future__ import annotations

import math
import numbers
import re
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from routesim import schema
from routesim.errors import ModelSetupError, RoutesimError

#: Largest config file read: the biggest shipped one is a few kB.
MAX_CONFIG_BYTES = 1_000_000
#: Deepest nesting of arrays and tables allowed in a config (the schema needs at most five).
MAX_NESTING = 16
#: What a scenario, sweep or parameter-set name may be: it names a file or a folder, so
#: it is one path component that is never "." or "..", and printable ASCII.
NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
NAME_RULE = "a name of up to 64 letters, digits, '-', '_' or '.', starting with a letter or digit"

# What can hold a bracket that is not nesting (strings, comments), then the brackets.
_TOML_TOKENS = re.compile(
    r'"""(?:\\.|[^\\])*?"""|\'\'\'.*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*|[][{}]',
    re.DOTALL,
)


class ConfigModel(BaseModel):
    """Base of every config table: unknown keys and values of the wrong kind are errors.

    Strict: ``"3"`` is text, not a number; ``1`` is not true; ``"2023-01-01"`` in quotes
    is text, not a date; ``5.0`` is not a whole number. Numbers are finite. Frozen: a
    changed config is a new one (``model_copy(update=...)``, `Scenario.with_overrides`),
    so that what a run recorded is what it ran. Fields with an alias (a TOML key that is
    a Python keyword, such as ``assert``) take either name.
    """

    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False, strict=True, frozen=True, populate_by_name=True
    )


def check_name(text: str) -> str:
    """`text` if it is a valid name (`NAME_PATTERN`); raises ValueError otherwise."""
    if not re.fullmatch(NAME_PATTERN, text):
        raise ValueError(f"expected {NAME_RULE}")
    return text


#: A config field holding a name (see `NAME_PATTERN`).
Name = Annotated[str, AfterValidator(check_name)]

#: What a scale (people per agent row) may be. A row stands for at least one person:
#: below 1 a model would hold more rows than people (a scale of 1e-300 asks for more
#: memory than there is).
SCALE_RULE = "a number of at least 1"


def check_scale(scale: float) -> float:
    """`scale` as a float if it is a finite number of at least 1; raises ValueError otherwise.

    The one check of a scale, whichever way it comes: a config field (`Scale`),
    ``--scale`` on the command line, or an argument (`scale_argument`).
    """
    is_number = isinstance(scale, numbers.Real) and not isinstance(scale, bool)
    if not (is_number and 1 <= scale < math.inf):
        raise ValueError(f"expected {SCALE_RULE}")
    return float(scale)


#: A config field holding a scale (see `check_scale`).
Scale = Annotated[float, AfterValidator(check_scale)]


def scale_argument(scale: float) -> float:
    """A scale given to a function (a model, an ensemble, a Workbench model), checked.

    Raises:
        ModelSetupError: It is not a scale (see `check_scale`); the message names it and
            the value given.
    """
    try:
        return check_scale(scale)
    except ValueError as exc:
        raise ModelSetupError(f"scale: {exc}, got {scale!r}") from None


#: Makes the exception to raise from a one-line message (e.g. a `RoutesimError` subclass).
ErrorFactory = Callable[[str], Exception]


def read_toml(path: Path, shown: str, error: ErrorFactory = RoutesimError) -> dict[str, Any]:
    """Read a config file as TOML, refusing what is not a small, shallow text file.

    Args:
        path: The file.
        shown: How to name it in messages.
        error: Makes the exception raised from a one-line message.

    Returns:
        The parsed table.

    Raises:
        FileNotFoundError: There is no such file (callers say what was expected).
        Exception: From `error`, for anything else that stops the file being read.
    """
    return parse_toml(read_text(path, shown, error), shown, error)


def parse_toml(text: str, shown: str, error: ErrorFactory = RoutesimError) -> dict[str, Any]:
    """Parse TOML text after checking its nesting depth (`MAX_NESTING`), before and after."""
    check_nesting(text, shown, error)
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{shown}: invalid TOML: {exc}") from None
    # Dotted keys (a.b.c = 1) nest without brackets.
    if _depth(table) > MAX_NESTING:
        raise error(_too_deep(shown))
    return table


def check_nesting(text: str, shown: str, error: ErrorFactory = RoutesimError) -> None:
    """Refuse TOML text whose arrays and inline tables nest deeper than `MAX_NESTING`."""
    depth = 0
    for token in _TOML_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                raise error(_too_deep(shown))
        elif bracket in ("]", "}"):
            depth = max(depth - 1, 0)


def read_config[M: BaseModel](path: Path, model: type[M], what: str) -> M:
    """Read `path` as TOML and validate it as `model` (`what` names it if it is missing)."""
    try:
        raw = read_toml(path, str(path))
    except FileNotFoundError:
        raise RoutesimError(f"{path}: no such {what}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise RoutesimError(f"{path}: {schema.first_problem(exc, model)}") from None


def read_text(path: Path, shown: str, error: ErrorFactory = RoutesimError) -> str:
    """A config or lesson text file, refused if it is a folder, unreadable, big or binary.

    Raises:
        FileNotFoundError: There is no such file.
        Exception: From `error`, with a one-line message, for any other problem.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise error(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise error(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise error(f"{shown}: larger than {MAX_CONFIG_BYTES:,} bytes (not a config file?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{shown}: not UTF-8 text (a binary file?)") from None


def inside(folder: Path, *parts: str) -> Path:
    """``folder / parts...``, checked to resolve to a path inside `folder`.

    Names are checked against `NAME_PATTERN` already; this is the last guard before a
    write, against links and anything a name check would miss.

    Raises:
        RoutesimError: The path would leave `folder`.
    """
    path = folder.joinpath(*parts)
    if not path.resolve().is_relative_to(folder.resolve()):
        raise RoutesimError(f"{path}: outside {folder} (expected {NAME_RULE})")
    return path


def writable_folder(folder: Path) -> Path:
    """`folder`, created if missing and checked writable, before any work is spent on it.

    Raises:
        RoutesimError: It cannot be created (e.g. a file of that name), or written to.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise RoutesimError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    return folder


def _too_deep(shown: str) -> str:
    return f"{shown}: nested more than {MAX_NESTING} levels deep (not a config file?)"


def _depth(value: Any) -> int:
    """How deep tables and arrays nest in `value`, without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest
