"""Property tests: malformed configs and --set values, generated from the schema.

Hypothesis picks a key of the resolved scenario (or a table, or a sweep key) and gives it
a value it must refuse: a wrong type, a number out of its range or not finite, an unknown
key at that level, deep nesting. Every one must stop with one line on stderr and exit
status 2, no traceback, before any simulation and with nothing written. None runs the
model: each command has its work replaced by a failure.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import math
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin
from unittest import mock

import tomli_w
from annotated_types import Ge, Gt, Le, Lt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routesim.cli import main
from routesim.configs import MAX_NESTING, NAME_PATTERN
from routesim.scenario import FIRST_START, LAST_START, MAX_DAYS, Scenario, load_scenario
from routesim.schema import annotation_at, field_at

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Text fields that take any text: no --set value is wrong for them.
FREE_TEXT = {("scenario", "description")}
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
UNKNOWN = "zz_not_a_key"


def _walk(value: Any, loc: tuple[str, ...]):
    """(loc, value) of every table and every leaf of a resolved scenario."""
    yield loc, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*loc, str(key)))


BASELINE = load_scenario().model_dump(mode="python")
NODES = list(_walk(BASELINE, ()))
TABLES = [loc for loc, value in NODES if isinstance(value, dict)]
LEAVES = [loc for loc, value in NODES if not isinstance(value, dict)]


def _bounds(loc: tuple[str, ...]) -> tuple[float | None, float | None]:
    """A number's documented range at `loc` (its field's, or its table's values')."""
    field = field_at(Scenario, loc)
    metadata = list(field.metadata) if field is not None else []
    parent = annotation_at(Scenario, loc[:-1])
    if field is None and get_origin(parent) in (dict, list):
        metadata = list(getattr(get_args(parent)[-1], "__metadata__", ()))
        metadata = [m for item in metadata for m in getattr(item, "metadata", [item])]
    low = next(
        (getattr(m, "ge", getattr(m, "gt", None)) for m in metadata if isinstance(m, Ge | Gt)), None
    )
    high = next(
        (getattr(m, "le", getattr(m, "lt", None)) for m in metadata if isinstance(m, Le | Lt)), None
    )
    return low, high


def bad_value(loc: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Values the schema must refuse at `loc`."""
    annotation = annotation_at(Scenario, loc)
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    table = st.just({"x": 1})
    if annotation in (int, float):
        low, high = _bounds(loc)
        wrong = [NON_FINITE, st.text(max_size=5), st.booleans(), table, st.just([1])]
        if low is not None:
            wrong.append(st.floats(min_value=1e-6, max_value=1e6).map(lambda d: low - d))
        if high is not None:
            wrong.append(st.floats(min_value=1e-6, max_value=1e6).map(lambda d: high + d))
        if annotation is int:
            wrong.append(st.integers(0, 5).map(lambda n: n + 0.5))
        return st.one_of(wrong)
    if annotation is bool:
        return st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=5))
    if annotation is dt.date:
        return st.one_of(
            st.dates(max_value=FIRST_START - dt.timedelta(days=1)),
            st.dates(min_value=LAST_START + dt.timedelta(days=1)),
            st.dates().map(str),
            st.integers(),
        )
    if annotation is str:  # names: anything but a name
        return st.text(max_size=70).filter(lambda t: not re.fullmatch(NAME_PATTERN, t))
    # Lists: of boat names (menus) or of twelve monthly factors (sea state).
    return st.one_of(
        st.just([]),
        st.just(["no_such_boat"]),
        st.lists(st.floats(0, 3), min_size=13, max_size=14),
        st.lists(NON_FINITE, min_size=12, max_size=12),
        st.integers(),
    )


def deep(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def malformed(draw) -> tuple[tuple[str, ...], Any]:
    """A (key, value) pair the scenario schema refuses."""
    kind = draw(st.sampled_from(["value", "unknown key", "deep"]))
    if kind == "unknown key":
        return (*draw(st.sampled_from(TABLES)), UNKNOWN), 1
    loc = draw(st.sampled_from([loc for loc in LEAVES if loc not in FREE_TEXT]))
    if kind == "deep":
        return loc, deep(draw(st.integers(MAX_NESTING + 1, 200)))
    return loc, draw(bad_value(loc))


def _toml_value(value: Any) -> str:
    return tomli_w.dumps({"v": value}).removeprefix("v = ").strip()


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """The command line's status, stdout and stderr, with every kind of work refused."""
    out, err = io.StringIO(), io.StringIO()
    work = mock.Mock(side_effect=AssertionError("validation let it through"))
    with (
        mock.patch("routesim.ensemble.run_ensemble", work),
        mock.patch("routesim.sweeps.runner.run_sweep", work),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def assert_refused(argv: list[str], folder: Path) -> None:
    status, out, err = run_cli(argv)
    assert status == 2, (argv, out, err)
    assert err.count("\n") == 1 and err.startswith("routesim: error: "), err
    assert "Traceback" not in err and out == ""
    assert not (folder / "out").exists(), "written although refused"


@PROPERTIES
@given(malformed())
def test_a_malformed_set_value_is_refused_in_one_line(case):
    loc, value = case
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        argv = ["run", "--set", f"{'.'.join(loc)}={_toml_value(value)}", "--out", str(out)]
        assert_refused(argv, Path(folder))


@PROPERTIES
@given(malformed())
def test_a_malformed_scenario_file_is_refused_in_one_line(case):
    loc, value = case
    raw: dict[str, Any] = {"scenario": {"name": "x"}}
    table = raw
    for part in loc[:-1]:
        table = table.setdefault(part, {})
    table[loc[-1]] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.toml"
        path.write_text(tomli_w.dumps(raw), encoding="utf-8")
        assert_refused(["run", str(path), "--out", str(Path(folder) / "out")], Path(folder))


CONTROL = st.characters(codec="ascii").filter(lambda c: c != "\t" and not c.isprintable())


@PROPERTIES
@given(st.sampled_from(LEAVES), st.text(max_size=20), CONTROL)
def test_a_set_value_with_a_newline_or_control_character_is_refused(loc, text, control):
    with tempfile.TemporaryDirectory() as folder:
        value = text[:1] + control + text[1:]
        argv = ["run", "--set", f"{'.'.join(loc)}={value}", "--out", str(Path(folder) / "out")]
        assert_refused(argv, Path(folder))


SWEEP = {
    "sweep": {"name": "p", "seed": 1, "replicates": 2, "scale": 100.0},
    "base": {"scenario": "baseline-2023", "set": {"scenario.days": 30}},
    "design": {"kind": "grid"},
    "parameters": {
        "levers.ngo_vessels": {"values": [0.0, 5.0]},
        "assumptions.rescue_pull": {"low": 0.0, "high": 1.0, "levels": 2},
    },
    "outcomes": {"metrics": ["departures"], "routes": ["all"]},
}
SWEEP_TABLES = [loc for loc, value in _walk(SWEEP, ()) if isinstance(value, dict)]
SWEEP_LEAVES = [loc for loc, value in _walk(SWEEP, ()) if not isinstance(value, dict)]
#: Wrong at any key of `SWEEP`: not finite, text that is no name, a table, true or false,
#: a list holding NaN, deep nesting.
SWEEP_BAD = [
    NON_FINITE,
    st.just("../x"),
    st.just({"x": 1}),
    st.booleans(),
    st.just([math.nan]),
    st.just(deep(MAX_NESTING + 1)),
]
#: Wrong at one key only: out of its range.
SWEEP_OUT_OF_RANGE = {
    ("sweep", "seed"): [-1, 0.5],
    ("sweep", "replicates"): [0, 1001, 0.5],
    ("sweep", "scale"): [0.5, 0, -1],
    ("base", "set", "scenario.days"): [0, MAX_DAYS + 1, 0.5],
    ("parameters", "levers.ngo_vessels", "values"): [[-1.0], [0.0, 99.0], []],
    ("parameters", "assumptions.rescue_pull", "low"): [-1.0, 1.0],
    ("parameters", "assumptions.rescue_pull", "high"): [2.0, 0.0],
    ("parameters", "assumptions.rescue_pull", "levels"): [1, 0.5, 1001],
    ("outcomes", "metrics"): [["deaths"], [1]],
    ("outcomes", "routes"): [["atlantis"]],
}


@st.composite
def malformed_sweep(draw) -> dict[str, Any]:
    raw = copy.deepcopy(SWEEP)
    if draw(st.booleans()):
        loc, value = (*draw(st.sampled_from(SWEEP_TABLES)), UNKNOWN), 1
    else:
        loc = draw(st.sampled_from(SWEEP_LEAVES))
        ranges = [st.sampled_from(SWEEP_OUT_OF_RANGE[loc])] if loc in SWEEP_OUT_OF_RANGE else []
        value = draw(st.one_of([*SWEEP_BAD, *ranges]))
    table = raw
    for part in loc[:-1]:
        table = table[part]
    table[loc[-1]] = value
    return raw


@PROPERTIES
@given(malformed_sweep())
def test_a_malformed_sweep_file_is_refused_in_one_line(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.toml"
        path.write_text(tomli_w.dumps(raw), encoding="utf-8")
        argv = ["sweep", str(path), "--out", str(Path(folder) / "out"), "--workers", "1"]
        assert_refused(argv, Path(folder))
