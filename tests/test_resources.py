"""Bundled data and users' own config folders ($ROUTESIM_PATH)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from routesim.cli import main
from routesim.errors import RoutesimError
from routesim.lessons import available_lessons, load_lesson
from routesim.observed import load_observed
from routesim.resources import PATH_VARIABLE, bundled, search_path
from routesim.scenario import ScenarioError, available_scenarios, load_scenario
from routesim.sweeps.config import available_sweeps, load_sweep


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user folder on $ROUTESIM_PATH, after a second one that does not hold every kind."""
    folder = tmp_path / "mine"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "sweeps").mkdir()
    (tmp_path / "other").mkdir()
    monkeypatch.setenv(PATH_VARIABLE, os.pathsep.join([str(tmp_path / "other"), str(folder)]))
    return folder


def test_every_kind_is_bundled() -> None:
    for kind, pattern in [
        ("scenarios", "*.toml"),
        ("parameters", "*.toml"),
        ("observed", "*.toml"),
        ("sweeps", "*.toml"),
        ("lessons", "*/lesson.toml"),
        ("stylised_facts", "*/fact.toml"),
        ("geodata", "*.geojson"),
        ("push", "*.toml"),
    ]:
        assert list(bundled(kind).glob(pattern)), kind
    assert bundled("scenarios").is_relative_to(Path(__file__).parents[1] / "routesim" / "data")


def test_user_scenarios_are_listed_and_found_before_bundled_ones(mine: Path, capsys) -> None:
    (mine / "scenarios" / "short.toml").write_text('[scenario]\nname = "short"\ndays = 9\n')
    (mine / "scenarios" / "no-ngo-rescue.toml").write_text('[scenario]\nname = "shadow"\n')
    assert {"short", "baseline-2023", "no-ngo-rescue"} <= set(available_scenarios())
    assert available_scenarios().count("no-ngo-rescue") == 1
    assert load_scenario("short").scenario.days == 9
    assert load_scenario("no-ngo-rescue").scenario.name == "shadow"
    assert main(["scenario", "--list"]) == 0
    listed = capsys.readouterr().out
    assert str(mine / "scenarios" / "short.toml") in listed
    assert "routesim/data/scenarios/baseline-2023.toml" in listed


def test_a_bad_user_scenario_is_named_by_its_path(mine: Path) -> None:
    (mine / "scenarios" / "bad.toml").write_text('[scenario]\nname = "bad"\ndays = 0\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario("bad")
    assert str(caught.value).startswith(f"{mine / 'scenarios' / 'bad.toml'}: scenario.days")


def test_user_sweeps_and_parameter_sets(mine: Path, capsys) -> None:
    shutil.copy(bundled("sweeps") / "smoke.toml", mine / "sweeps" / "my-sweep.toml")
    (mine / "parameters").mkdir()
    (mine / "parameters" / "tuned.toml").write_text("[parameters]\nstay_utility = 1.5\n")
    assert {"my-sweep", "smoke"} <= set(available_sweeps())
    assert load_sweep("my-sweep").config_hash == load_sweep("smoke").config_hash
    assert main(["sweep"]) == 0
    assert str(mine / "sweeps" / "my-sweep.toml") in capsys.readouterr().out
    scenario = load_scenario("baseline-2023", ["scenario.parameters=tuned"])
    assert scenario.parameters.stay_utility == 1.5


def test_user_lessons(mine: Path) -> None:
    shutil.copytree(bundled("lessons") / "search-and-rescue", mine / "lessons" / "my-lesson")
    assert {"my-lesson", "search-and-rescue"} <= set(available_lessons())
    assert load_lesson("my-lesson").folder == mine / "lessons" / "my-lesson"


def test_a_missing_user_folder_is_named(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path / "typo"))
    with pytest.raises(
        RoutesimError, match=f"{PATH_VARIABLE}: {tmp_path / 'typo'}: no such folder"
    ):
        search_path("scenarios")
    assert main(["run", "--replicates", "1"]) == 2
    assert f"{tmp_path / 'typo'}: no such folder" in capsys.readouterr().err


def test_not_found_names_where_it_looked(mine: Path) -> None:
    with pytest.raises(ScenarioError, match="no such scenario file") as caught:
        load_scenario("nope")
    assert f"from {mine / 'scenarios'} and the bundled ones" in str(caught.value)
    with pytest.raises(RoutesimError, match="no observed figures for 1999"):
        load_observed(1999)
