"""The command line's argument handling: every command listed, every option explained, a
run option meaning the same in every command that offers it, and a bad value refused with
one error line that names its option. No simulation runs: each command's engine is
replaced by a recorder that stops the command when it is reached."""

import argparse
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from routesim.cli import build_parser, main
from routesim.cli.options import RUN_OPTIONS

#: Every command, in the order `routesim --help` lists them.
COMMANDS = [
    "map",
    "levers",
    "scenario",
    "run",
    "bench",
    "calibrate",
    "hindcast",
    "sweep",
    "sweep-report",
    "sweep-discover",
    "push",
    "app",
    "lesson",
]

#: The arguments a command needs before its options (a name, a folder, required options).
NEEDS = {
    "lesson": ["western-balkans", "--handout", "handout.html"],
    "sweep": ["smoke"],
    "sweep-report": ["sweep-folder"],
    "sweep-discover": ["sweep-folder", "--outcome", "detections.central_med", "--above", "1"],
}

#: The run options each command offers.
OFFERED = {
    "run": ["replicates", "seed", "scale", "workers", "out"],
    "hindcast": ["replicates", "seed", "scale", "workers", "out"],
    "calibrate": ["replicates", "seed", "scale", "workers", "out"],
    "lesson": ["replicates", "scale", "workers"],
    "sweep": ["seed", "workers", "out"],
    "bench": ["seed", "workers"],
    "sweep-report": ["out"],
    "sweep-discover": ["out"],
}

#: A value of each run option other than any command's default, and what it must mean.
GIVEN = {
    "replicates": ("3", 3),
    "seed": ("7", 7),
    "scale": ("2.5", 2.5),
    "workers": ("2", 2),
    "out": ("elsewhere", Path("elsewhere")),
}


class EngineCalledError(Exception):
    """Raised by a recorded engine: the command got as far as its work."""


def _commands() -> argparse._SubParsersAction:
    (commands,) = (
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    return commands


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    return dict(_commands().choices)


# --- what each engine was given, by run option -------------------------------------------
# Each reader takes the engine's call and the first folder the command checked writable
# before it (its output folder, where the engine is not given it).

RUN_SIZES = ("replicates", "seed", "scale", "workers")


def _ensemble_call(call: mock._Call, folder: Path | None) -> dict[str, Any]:
    return {name: call.kwargs[name] for name in RUN_SIZES} | {"out": folder}


def _settings_call(call: mock._Call, folder: Path | None) -> dict[str, Any]:
    settings = call.args[2]
    return {name: getattr(settings, name) for name in RUN_SIZES} | {"out": folder}


def _handout_call(call: mock._Call, folder: Path | None) -> dict[str, Any]:
    lesson, path, run, workers, progress = call.args
    return {"replicates": run.replicates, "scale": run.scale, "workers": workers}


def _sweep_call(call: mock._Call, folder: Path | None) -> dict[str, Any]:
    sweep, out, backend = call.args
    assert out == folder
    return {"seed": sweep.config.sweep.seed, "workers": backend.workers, "out": out}


def _bench_call(call: mock._Call, folder: Path | None) -> dict[str, Any]:
    settings = call.args[0]
    return {"seed": settings.seed, "workers": settings.workers}


def _report_call(call: mock._Call, folder: Path | None) -> dict[str, Any]:
    return {"out": call.args[1]}


def _discover_call(call: mock._Call, folder: Path | None) -> dict[str, Any]:
    return {"out": call.kwargs["out"]}


#: The engine each command hands its work to, and how to read the run options off its call.
ENGINES = {
    "run": ("routesim.ensemble.run_ensemble", _ensemble_call),
    "hindcast": ("routesim.hindcast.run_hindcast", _ensemble_call),
    "calibrate": ("routesim.calibration.calibrate", _settings_call),
    "lesson": ("routesim.handouts.write_handout", _handout_call),
    "sweep": ("routesim.sweeps.runner.run_sweep", _sweep_call),
    "bench": ("routesim.bench.suite.run_suite", _bench_call),
    "sweep-report": ("routesim.sweeps.report.write_report", _report_call),
    "sweep-discover": ("routesim.sweeps.discovery.discover", _discover_call),
}


@pytest.fixture
def engines() -> Iterator[dict[str, mock.MagicMock]]:
    """Every engine replaced by a recorder that raises `EngineCalledError`; no folder is made.

    The recorders by command, and under "writable_folder" the check of output folders.
    """
    with ExitStack() as stack:
        checked = mock.patch("routesim.configs.writable_folder", side_effect=lambda folder: folder)
        recorders = {
            command: stack.enter_context(mock.patch(target, side_effect=EngineCalledError))
            for command, (target, _) in ENGINES.items()
        }
        yield recorders | {"writable_folder": stack.enter_context(checked)}


def _error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run a command line that argparse must refuse; return its one error line."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert errors == [lines[-1]], captured.err  # the usage, then one error line
    assert all(line.startswith(("usage: ", " ")) for line in lines[:-1]), captured.err
    return lines[-1]


# --- the help ---------------------------------------------------------------------------


def test_help_lists_every_command_with_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    section = out[out.index("commands:") : out.index("Scenarios, sweeps")]
    # A command's name is indented by four spaces; its help follows, on its line or the next.
    listed = [
        line.split()[0]
        for line in section.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert listed == COMMANDS
    assert list(_subparsers()) == COMMANDS
    helps = {action.dest: action.help for action in _commands()._choices_actions}
    words = " ".join(section.split())
    for command in COMMANDS:
        assert helps.get(command), f"{command} has no help line"
        assert f" {command} {' '.join(helps[command].split())}" in words


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_says_what_it_is(command: str) -> None:
    parser = _subparsers()[command]
    unexplained = [action.dest for action in parser._actions if not action.help]
    assert unexplained == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_run_option_is_declared_alike_in_every_command(command: str) -> None:
    parser = _subparsers()[command]
    offered = {
        action.dest: action
        for action in parser._actions
        if action.dest in RUN_OPTIONS and action.metavar != "FILE"  # --out FILE: one file
    }
    assert list(offered) == OFFERED.get(command, [])
    for name, action in offered.items():
        option = RUN_OPTIONS[name]
        assert action.option_strings == [f"--{name}"]
        assert (action.type, action.metavar) == (option.type, option.metavar)
        assert action.help.startswith(f"{option.help} (default: ")


# --- what a run option means ------------------------------------------------------------


@pytest.mark.parametrize("command", list(OFFERED))
def test_a_run_option_reaches_the_engine_with_the_same_meaning(
    engines: dict[str, mock.MagicMock], command: str
) -> None:
    options = OFFERED[command]
    argv = [command, *NEEDS.get(command, [])]
    for name in options:
        argv += [f"--{name}", GIVEN[name][0]]
    with pytest.raises(EngineCalledError):
        main(argv)
    recorder = engines[command]
    recorder.assert_called_once()
    checked = engines["writable_folder"].call_args_list
    folder = checked[0].args[0] if checked else None
    read = ENGINES[command][1]
    assert read(recorder.call_args, folder) == {name: GIVEN[name][1] for name in options}


BAD_VALUES = {
    "replicates": [
        ("0", "expected a whole number of at least 1, got 0"),
        ("2.5", "expected a whole number, got '2.5'"),
    ],
    "seed": [
        ("-1", "expected a non-negative whole number, got -1"),
        ("x", "expected a whole number, got 'x'"),
    ],
    "scale": [
        ("0.5", "expected a number of at least 1, got 0.5"),
        ("0", "expected a number of at least 1, got 0"),
        ("nan", "expected a number of at least 1, got nan"),
        ("inf", "expected a number of at least 1, got inf"),
        ("ten", "expected a number, got 'ten'"),
    ],
    "workers": [
        ("0", "expected a whole number of at least 1, got 0"),
        ("-2", "expected a non-negative whole number, got -2"),
    ],
}


@pytest.mark.parametrize(
    ("command", "name", "value", "message"),
    [
        (command, name, value, message)
        for command, names in OFFERED.items()
        for name in names
        for value, message in BAD_VALUES.get(name, [])
    ],
)
def test_a_bad_run_option_is_one_error_line_naming_it(
    capsys: pytest.CaptureFixture[str],
    engines: dict[str, mock.MagicMock],
    command: str,
    name: str,
    value: str,
    message: str,
) -> None:
    argv = [command, *NEEDS.get(command, []), f"--{name}", value]
    line = _error_line(capsys, argv)
    assert line == f"routesim {command}: error: argument --{name}: {message}"
    assert not any(recorder.called for recorder in engines.values())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bench", "--scales", "10", "0.5"], "--scales: expected a number of at least 1, got 0.5"),
        (["bench", "--sweep-scale", "0"], "--sweep-scale: expected a number of at least 1, got 0"),
        (["bench", "--repeats", "0"], "--repeats: expected a whole number of at least 1, got 0"),
        (["calibrate", "--step", "0"], "--step: expected a positive number, got 0"),
        (["calibrate", "--iterations", "x"], "--iterations: expected a whole number, got 'x'"),
        (["calibrate", "--profile", "risk_weight"], "--profile: 'risk_weight': expected NAME=V1"),
        (["calibrate", "--from", "../x"], "--from: expected a name of up to 64 letters"),
        (["push", "t.csv", "--years", "2023-2019"], "--years: expected FIRST <= LAST, got 2023"),
        (["push", "t.csv", "--years", "last"], "--years: expected YEAR or FIRST-LAST, got 'last'"),
        (["app", "--port", "0"], "--port: expected a whole number of at least 1, got 0"),
        (
            ["sweep-discover", *NEEDS["sweep-discover"], "--min-coverage", "1.5"],
            "--min-coverage: expected a share of at most 1, got 1.5",
        ),
        (
            ["sweep-discover", *NEEDS["sweep-discover"], "--boxes", "0"],
            "--boxes: expected a whole number of at least 1, got 0",
        ),
    ],
)
def test_a_bad_value_of_another_option_is_one_error_line_naming_it(
    capsys: pytest.CaptureFixture[str],
    engines: dict[str, mock.MagicMock],
    argv: list[str],
    message: str,
) -> None:
    line = _error_line(capsys, argv)
    assert line.startswith(f"routesim {argv[0]}: error: argument {message}")


# --- the scenario, its overrides and the geodata -----------------------------------------


def _run_given(engines: dict[str, mock.MagicMock], *argv: str) -> mock._Call:
    """The call `routesim run ARGV` makes to its engine."""
    with pytest.raises(EngineCalledError):
        main(["run", *argv])
    return engines["run"].call_args


def test_run_takes_the_baseline_scenario_and_its_folder_by_default(
    engines: dict[str, mock.MagicMock],
) -> None:
    call = _run_given(engines)
    (scenario,) = call.args
    assert scenario.scenario.name == "baseline-2023"
    assert call.kwargs["geodata"] is None, "the bundled layers"
    engines["writable_folder"].assert_called_once_with(Path("out") / "baseline-2023")


def test_every_set_override_reaches_the_engines_scenario(
    engines: dict[str, mock.MagicMock],
) -> None:
    call = _run_given(
        engines, "no-ngo-rescue", "--set", "levers.sea_pushbacks=2", "--set", "levers.ngo_vessels=3"
    )
    (scenario,) = call.args
    assert scenario.scenario.name == "no-ngo-rescue"
    assert (scenario.levers.sea_pushbacks, scenario.levers.ngo_vessels) == (2.0, 3.0)


def test_the_geodata_folder_reaches_the_engine_as_a_path(
    engines: dict[str, mock.MagicMock],
) -> None:
    assert _run_given(engines, "--geodata", "layers").kwargs["geodata"] == Path("layers")


def test_a_bad_override_is_one_error_line_before_any_run(
    capsys: pytest.CaptureFixture[str], engines: dict[str, mock.MagicMock]
) -> None:
    assert main(["run", "--set", "levers.foo=1"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("routesim: error: ")
    assert "levers.foo" in lines[0]
    assert not any(recorder.called for recorder in engines.values())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["simulate"], "argument COMMAND: invalid choice: 'simulate'"),
    ],
)
def test_a_missing_or_unknown_command_is_one_error_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert _error_line(capsys, argv).startswith(f"routesim: error: {message}")
