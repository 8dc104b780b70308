import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from routesim.cli import main
from routesim.levers import lever_specs


def test_levers_table_lists_every_lever(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["levers"]) == 0
    out = capsys.readouterr().out
    for spec in lever_specs():
        assert spec.name in out
    assert "Contested assumptions" in out
    # Assumptions are listed apart, after every policy lever.
    last_lever = max(out.index(s.name) for s in lever_specs() if s.kind == "lever")
    first_assumption = min(out.index(s.name) for s in lever_specs() if s.kind == "assumption")
    assert out.index("Contested assumptions") < first_assumption
    assert last_lever < out.index("Contested assumptions")


def test_levers_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["levers", "--json"]) == 0
    specs = json.loads(capsys.readouterr().out)
    levers = [spec for spec in specs if spec["kind"] == "lever"]
    assert len(levers) >= 12
    for spec in specs:
        assert {"name", "unit", "default", "low", "high", "passage"} <= spec.keys()
        assert spec["low"] <= spec["default"] <= spec["high"]
    assert any(spec["label"].endswith("Türkiye") for spec in specs)


def test_scenario_prints_resolved_toml(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scenario", "no-ngo-rescue", "--set", "levers.partner_coast_guard.tunisia=2"])
    assert code == 0
    resolved = tomllib.loads(capsys.readouterr().out)
    assert resolved["scenario"]["name"] == "no-ngo-rescue"
    assert resolved["levers"]["ngo_vessels"] == 0
    assert resolved["levers"]["partner_coast_guard"]["tunisia"] == 2
    assert resolved["assumptions"]["rescue_pull"] == 0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["scenario", "no-such-scenario"], "no such scenario file"),
        (["scenario", "--set", "levers.ngo_vessels=50"], "expected a number from 0 to 20, got 50"),
        (["scenario", "--set", "levers.foo=1"], "--set levers.foo=1: unknown key"),
    ],
)
def test_bad_scenario_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("routesim: error: ")
    assert expected in lines[0]


def test_bad_scenario_file_through_the_real_command(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "bad"\n[levers]\nngo_vesels = 5\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "routesim", "scenario", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        f"routesim: error: {path}: levers.ngo_vesels: unknown key "
        "(did you mean levers.ngo_vessels?)\n"
    )


def test_a_reader_that_leaves_ends_the_command_quietly():
    """`routesim levers | head -1`: no BrokenPipeError traceback once head has gone."""
    child = subprocess.Popen(
        [sys.executable, "-m", "routesim", "levers"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()  # gone before the command writes its first line
    errors = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors
