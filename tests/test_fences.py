"""Issue 15's causes, one test each: no traceback, nothing silently accepted, no escape.

Every bad input here must stop with one line on stderr naming the file (or ``--set``),
the key and what was expected, exit status 2, before any simulation and writing nothing.
The sweep folder's causes (damaged part files, the lock) are in ``tests/sweeps``.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from pydantic import ValidationError

from routesim.cli import main
from routesim.cli.options import people_per_agent
from routesim.comparison import RunSettings
from routesim.configs import MAX_CONFIG_BYTES, MAX_NESTING, check_scale, inside, scale_argument
from routesim.ensemble import run_ensemble
from routesim.errors import ModelSetupError, RoutesimError
from routesim.lessons import load_lesson
from routesim.model import RouteModel
from routesim.resources import PATH_VARIABLE, bundled
from routesim.scenario import FIRST_START, LAST_START, MAX_DAYS, ScenarioError, load_scenario
from routesim.sweeps.config import SweepMeta
from routesim.sweeps.workbench import workbench_model

DEEP = "[" * 3000 + "]" * 3000


def fails(capsys, *argv: str) -> str:
    """Run the command line, which must fail with one line and status 2; return the line."""
    with mock.patch("routesim.ensemble.run_ensemble", side_effect=AssertionError("ran")):
        assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    assert captured.out == ""
    return captured.err


def scenario_file(tmp_path: Path, body: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def parameter_dir(tmp_path, monkeypatch) -> Path:
    """A user's parameters/ folder (searched before the bundled sets) to put damaged sets in."""
    folder = tmp_path / "mine" / "parameters"
    folder.mkdir(parents=True)
    monkeypatch.setenv(PATH_VARIABLE, str(folder.parent))
    return folder


# --- tracebacks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('scenario = "x"\n', "s.toml: scenario: expected a table, got 'x'"),
        ("scenario = [1, 2]\n", "s.toml: scenario: expected a table, got [1, 2]"),
        ('parameters = 3\n[scenario]\nname = "x"\n', "s.toml: parameters: expected a table"),
        ('[scenario]\nname = "x"\nparameters = 3\n', "scenario.parameters: expected text"),
    ],
)
def test_a_value_where_a_table_is_expected(capsys, tmp_path, body, message):
    assert message in fails(capsys, "scenario", str(scenario_file(tmp_path, body)))


@pytest.mark.parametrize(
    "body",
    [
        f'[scenario]\nname = "x"\n[levers]\nngo_vessels = {DEEP}\n',
        '[scenario]\nname = "x"\n[levers]\nngo_vessels = ' + "{a = " * 3000 + "1" + "}" * 3000,
        '[scenario]\nname = "x"\n[levers]\n' + ".".join(["a"] * 3000) + " = 1\n",
    ],
    ids=["arrays", "inline-tables", "dotted-keys"],
)
def test_deep_nesting_is_refused_in_a_scenario(capsys, tmp_path, body):
    err = fails(capsys, "scenario", str(scenario_file(tmp_path, body)))
    assert f"s.toml: nested more than {MAX_NESTING} levels deep" in err


def test_deep_nesting_is_refused_in_a_parameter_set_and_in_set(capsys, parameter_dir):
    (parameter_dir / "deep.toml").write_text(f"[parameters]\nstay_utility = {DEEP}\n")
    err = fails(capsys, "scenario", "--set", "scenario.parameters=deep")
    assert f"{parameter_dir / 'deep.toml'}: nested more than" in err
    assert "--set levers.ngo_vessels=[[[" in fails(
        capsys, "scenario", "--set", f"levers.ngo_vessels={DEEP}"
    )


def test_a_huge_config_file_is_refused_unread(capsys, tmp_path):
    path = scenario_file(tmp_path, '[scenario]\nname = "x"\n' + "#" * MAX_CONFIG_BYTES)
    assert "s.toml: larger than" in fails(capsys, "scenario", str(path))


@pytest.mark.parametrize("how", ["folder", "binary"])
def test_a_parameter_set_that_is_a_folder_or_binary(capsys, parameter_dir, tmp_path, how):
    if how == "folder":
        (parameter_dir / "bad.toml").mkdir()
        expected = f"{parameter_dir / 'bad.toml'}: is a folder, not a file"
    else:
        (parameter_dir / "bad.toml").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
        expected = f"{parameter_dir / 'bad.toml'}: not UTF-8 text"
    assert expected in fails(capsys, "scenario", "--set", "scenario.parameters=bad")
    path = scenario_file(tmp_path, '[scenario]\nname = "x"\nparameters = "bad"\n')
    assert expected in fails(capsys, "scenario", str(path))


@pytest.mark.parametrize("command", ["scenario", "sweep"])
@pytest.mark.parametrize("how", ["folder", "binary"])
def test_a_scenario_or_sweep_file_that_is_a_folder_or_binary(capsys, tmp_path, command, how):
    path = tmp_path / "s.toml"
    if how == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"\xff\xfe\x00binary")
    expected = "is a folder, not a file" if how == "folder" else "not UTF-8 text"
    assert f"s.toml: {expected}" in fails(capsys, command, str(path))


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-01", "1949-12-31", "2101-01-01"])
def test_dates_at_the_calendars_edges_are_refused(capsys, start):
    err = fails(capsys, "run", "--set", f"scenario.start={start}")
    assert "from 1950-01-01 to 2100-12-31" in err


def test_the_last_start_with_the_longest_run_and_warm_up_is_accepted():
    scenario = load_scenario(
        "baseline-2023",
        [f"scenario.start={LAST_START}", f"scenario.days={MAX_DAYS}", "parameters.warmup_days=730"],
    )
    assert scenario.scenario.start == LAST_START
    assert load_scenario("baseline-2023", [f"scenario.start={FIRST_START}"])


@pytest.mark.parametrize("people", ["inf", "1e12", "-1", "nan"])
def test_unbounded_populations_are_refused(capsys, people):
    key = "parameters.origins.bamako.people_per_year"
    assert key in fails(capsys, "run", "--set", f"{key}={people}")


@pytest.mark.parametrize("scale", ["1e-300", "0.5", "0", "inf", "nan", "-3"])
def test_a_scale_below_one_person_per_agent_is_refused(capsys, scale):
    for command in (["run"], ["lesson", "western-balkans", "--handout", "x.html"]):
        assert main([*command, "--scale", scale]) == 2
        assert "--scale" in capsys.readouterr().err
    with pytest.raises(ValueError, match="scale"):
        RunSettings(scale=float(scale))


@pytest.mark.parametrize("scale", [1, 1.0, 2.5, 1e6, np.float64(3.0), np.int64(7)])
def test_a_scale_of_at_least_one_is_accepted_everywhere(scale):
    assert check_scale(scale) == scale_argument(scale) == float(scale)
    assert isinstance(scale_argument(scale), float)
    assert people_per_agent(str(scale)) == float(scale)
    if type(scale) in (int, float):  # configs are strict: no numpy numbers
        assert RunSettings(scale=scale).scale == float(scale)
        assert SweepMeta(name="s", scale=scale).scale == float(scale)


@pytest.mark.parametrize("scale", [0.999, 0, -3.0, math.inf, math.nan, True, "3", None])
def test_every_way_in_refuses_a_scale_by_the_one_rule(scale):
    """The command line, configs, models, ensembles and Workbench models: one check."""
    expected = "expected a number of at least 1"
    with pytest.raises(ValueError, match=expected):
        check_scale(scale)
    with pytest.raises(ModelSetupError, match=f"^scale: {expected}, got {re.escape(repr(scale))}$"):
        scale_argument(scale)
    scenario = load_scenario("baseline-2023")
    for run in (
        lambda: RouteModel(scenario, scale=scale),
        lambda: run_ensemble(scenario, replicates=1, scale=scale, workers=1, progress=False),
        lambda: workbench_model(scenario, scale=scale),
    ):
        with pytest.raises(ModelSetupError, match=f"^scale: {expected}"):
            run()
    for config in (lambda: RunSettings(scale=scale), lambda: SweepMeta(name="s", scale=scale)):
        with pytest.raises(ValidationError, match="scale"):
            config()
    if isinstance(scale, float) or type(scale) is int:
        with pytest.raises(argparse.ArgumentTypeError, match=f"^{expected}, got "):
            people_per_agent(str(scale))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[1, 2]", "expected at least 12 items"),
        ("[" + ", ".join(["1"] * 13) + "]", "expected at most 12 items"),
        ("[nan, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]", "expected a finite number, got nan"),
        ("[-1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]", "expected a number at least 0"),
    ],
)
def test_a_sea_state_of_the_wrong_length_or_with_nan(capsys, value, expected):
    assert expected in fails(capsys, "run", "--set", f"parameters.sea_state.aegean={value}")


def test_a_nul_in_a_name_is_refused_before_the_run(capsys, tmp_path):
    path = scenario_file(tmp_path, '[scenario]\nname = "a\\u0000b"\n')
    assert "scenario.name: expected a name" in fails(capsys, "run", str(path))
    assert not (Path("out") / "a").exists()


@pytest.mark.parametrize("what", ["lesson.toml", "lesson.md"])
@pytest.mark.parametrize("how", ["binary", "folder"])
def test_a_lesson_file_that_is_binary_or_a_folder(tmp_path, what, how):
    folder = tmp_path / "lesson"
    shutil.copytree(bundled("lessons") / "search-and-rescue", folder)
    (folder / what).unlink()
    if how == "folder":
        (folder / what).mkdir()
    else:
        (folder / what).write_bytes(b"\xff\xd8\xff\xe0 JFIF")
    with pytest.raises(RoutesimError, match=f"{what}: (is a folder|not UTF-8)") as info:
        load_lesson(folder)
    assert "\n" not in str(info.value)


def test_deep_nesting_is_refused_in_a_lesson(tmp_path):
    folder = tmp_path / "lesson"
    shutil.copytree(bundled("lessons") / "search-and-rescue", folder)
    with (folder / "lesson.toml").open("a") as handle:
        handle.write(f"\n[deep]\nx = {DEEP}\n")
    with pytest.raises(RoutesimError, match="lesson.toml: nested more than"):
        load_lesson(folder)


# --- silently accepted ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("parameters.stay_utility=nan", "expected a finite number, got nan"),
        ("parameters.stay_utility=inf", "expected a finite number, got inf"),
        ("parameters.sea_hazard.aegean=inf", "expected a finite number"),
        ("parameters.risk_weight=inf", "expected a finite number"),
        ("parameters.boats.cayuco.hazard_per_hour=nan", "expected a finite number"),
        ("parameters.route_preference.central_med=-inf", "expected a finite number"),
        ("levers.ngo_vessels=nan", "expected a finite number from 0 to 20, got nan"),
        ("parameters.price.central_med=0", "expected a number above 0, got 0"),
        ("parameters.price.western_med=-100", "expected a number above 0"),
        ("parameters.price_by_departure.TUN=0", "expected a number above 0"),
        ("parameters.sea_hazard.sicilly_channel=1", "did you mean parameters.sea_hazard.sicily"),
        ("parameters.sea_state.atlantic=[1,1,1,1,1,1,1,1,1,1,1,1]", "unknown key"),
        ("scenario.start='2023-01-01'", "expected a date like 2023-01-01 (no quotes)"),
        ("parameters.origins.bamako.visa_free_entry=1", "expected true or false, got 1"),
        ("parameters.origins.bamako.visa_free_entry='true'", "expected true or false"),
        ("parameters.price.central_med='1500'", "expected a number, got '1500'"),
        ("parameters.partner_interception.TUN=1.5", "expected a number at most 1"),
        ("parameters.departure_prevention.tunisia=0.2", "key 'tunisia': expected a country's"),
    ],
)
def test_values_once_silently_accepted_are_refused(capsys, override, expected):
    err = fails(capsys, "run", "--set", override)
    assert f"--set {override}: " in err and expected in err


def test_nan_and_string_dates_in_a_file_are_refused(capsys, tmp_path):
    path = scenario_file(
        tmp_path, '[scenario]\nname = "x"\nstart = "2023-01-01"\n[parameters]\nstay_utility = nan\n'
    )
    assert "s.toml: " in fails(capsys, "run", str(path))
    with pytest.raises(ScenarioError, match="stay_utility=nan: expected a finite number"):
        load_scenario("baseline-2023").with_overrides({"parameters.stay_utility": float("nan")})


def test_lesson_presets_take_numbers_not_true_or_false(tmp_path):
    folder = tmp_path / "lesson"
    shutil.copytree(bundled("lessons") / "search-and-rescue", folder)
    path = folder / "lesson.toml"
    text = path.read_text()
    assert '"levers.ngo_vessels" = 0,' in text
    path.write_text(text.replace('"levers.ngo_vessels" = 0,', '"levers.ngo_vessels" = false,', 1))
    expected = r"set.\"levers.ngo_vessels\": expected a number, got false"
    with pytest.raises(RoutesimError, match=expected):
        load_lesson(folder)


@pytest.mark.parametrize("value", ["5\nlevers.ngo_vessels=0", "5\r", "a\x00b", "5\x1b[2J"])
def test_set_with_a_newline_or_control_character_is_refused(capsys, value):
    err = fails(capsys, "run", "--set", f"levers.ngo_vessels={value}")
    assert "expected KEY=VALUE on one line" in err


# --- names are names ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["/somewhere/else", "../../x", ".", "..", "a/b", "", "-x", "a b"])
def test_a_scenario_name_that_is_a_path_is_refused(capsys, tmp_path, name):
    err = fails(capsys, "run", "--set", f"scenario.name={name}", "--out", str(tmp_path / "o"))
    assert "expected a name of up to 64 letters" in err
    assert not (tmp_path / "o").exists()


def test_a_parameter_set_name_cannot_climb_out(capsys, tmp_path):
    err = fails(capsys, "scenario", "--set", "scenario.parameters=../../pyproject")
    assert err.startswith("routesim: error: --set scenario.parameters=../../pyproject: expected")
    path = scenario_file(tmp_path, '[scenario]\nname = "x"\nparameters = "../../pyproject"\n')
    assert "s.toml: scenario.parameters: expected a name" in fails(capsys, "scenario", str(path))


def test_calibrate_refuses_a_parameter_set_name_that_is_a_path(capsys):
    for option in ("--parameter-set", "--from"):
        assert main(["calibrate", option, "../x"]) == 2
        assert "expected a name" in capsys.readouterr().err


def test_an_output_path_must_stay_in_its_folder(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    assert inside(tmp_path / "out", "x") == tmp_path / "out" / "x"
    for name in ("../x", "link"):
        with pytest.raises(RoutesimError, match="outside"):
            inside(tmp_path / "out", name)


# --- errors before work ---------------------------------------------------------------


def test_run_checks_its_output_folder_before_the_run(capsys, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert "cannot write to" in fails(capsys, "run", "--out", str(blocked / "o"))


@pytest.mark.parametrize(
    "argv",
    [["calibrate", "--out"], ["bench", "--json"], ["lesson", "western-balkans", "--handout"]],
)
def test_long_commands_check_where_they_write_before_starting(capsys, tmp_path, argv):
    (tmp_path / "file").write_text("not a folder")
    target = tmp_path / "file" / ("x.html" if "--handout" in argv else "x")
    with (
        mock.patch("routesim.calibration.calibrate", side_effect=AssertionError("ran")),
        mock.patch("routesim.bench.suite.run_suite", side_effect=AssertionError("ran")),
        mock.patch("routesim.handouts.run_comparison", side_effect=AssertionError("ran")),
    ):
        assert "cannot write to" in fails(capsys, *argv, str(target))
