import datetime as dt
import tomllib
from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field

import routesim.scenario as scenario_module
from routesim.configs import ConfigModel
from routesim.levers import Assumptions, Levers, lever_specs
from routesim.resources import PATH_VARIABLE, bundled
from routesim.scenario import (
    Scenario,
    ScenarioError,
    available_scenarios,
    load_scenario,
)


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(source: str | Path, overrides: tuple[str, ...] = ()) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(source, overrides)
    message = str(info.value)
    assert "\n" not in message
    return message


def dig(raw: dict, dotted: str) -> object:
    for part in dotted.split("."):
        raw = raw[part]
    return raw


# --- loading -------------------------------------------------------------------------


def test_baseline_is_the_default_and_matches_model_defaults() -> None:
    scenario = load_scenario()
    assert scenario.scenario.name == "baseline-2023"
    assert scenario.scenario.start == dt.date(2023, 1, 1)
    assert scenario.scenario.days == 365
    assert scenario.levers == Levers()
    assert scenario.assumptions == Assumptions()


def test_baseline_file_writes_every_lever_out() -> None:
    raw = tomllib.loads((bundled("scenarios") / "baseline-2023.toml").read_text(encoding="utf-8"))
    for spec in lever_specs():
        assert dig(raw, spec.name) == spec.default, spec.name


def test_shipped_scenarios() -> None:
    assert {"baseline-2023", "no-ngo-rescue", "tunisia-mou-doubled"} <= set(available_scenarios())
    for name in available_scenarios():
        assert load_scenario(name).scenario.name == name


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("no-ngo-rescue", {"levers.ngo_vessels": 0}),
        (
            "tunisia-mou-doubled",
            {
                "levers.partner_coast_guard.tunisia": 2,
                "levers.departure_prevention.tunisia": 2,
            },
        ),
    ],
)
def test_examples_differ_from_baseline_only_in_what_they_change(
    name: str, changes: dict[str, float]
) -> None:
    example = load_scenario(name)
    expected = load_scenario().with_overrides(changes)
    assert example.levers == expected.levers
    assert example.assumptions == expected.assumptions
    assert example.parameters == expected.parameters
    assert example.scenario.start == expected.scenario.start
    assert example.scenario.days == expected.scenario.days


def test_partial_file_takes_baseline_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[scenario]\nname = "short"\ndays = 90\n'
        "[levers.partner_coast_guard]\ntunisia = 3\n"
        "[assumptions]\nrescue_pull = 0.5\n",
    )
    scenario = load_scenario(path)
    assert scenario.scenario.days == 90
    assert scenario.scenario.start == dt.date(2023, 1, 1)
    assert scenario.levers.partner_coast_guard.tunisia == 3
    assert scenario.levers.partner_coast_guard.libya == 1
    assert scenario.levers.ngo_vessels == Levers().ngo_vessels
    assert scenario.assumptions.rescue_pull == 0.5
    assert scenario.assumptions.route_switching == Assumptions().route_switching


def test_config_text_is_never_executed(tmp_path: Path) -> None:
    payload = "__import__('os').system('exit 1')"
    path = write(tmp_path, f'[scenario]\nname = "x"\ndescription = "{payload}"\n')
    assert load_scenario(path).scenario.description == payload
    scenario = load_scenario(path, [f"scenario.description={payload}"])
    assert scenario.scenario.description == payload


def test_round_trip_through_toml(tmp_path: Path) -> None:
    scenario = load_scenario(
        "tunisia-mou-doubled", ["levers.ngo_vessels=7", "scenario.start=2024-03-01"]
    )
    path = write(tmp_path, scenario.to_toml(), "resolved.toml")
    assert load_scenario(path) == scenario


# --- overrides -----------------------------------------------------------------------


def test_overrides_are_parsed_as_toml_values() -> None:
    scenario = load_scenario(
        overrides=[
            "levers.ngo_vessels=10",
            "assumptions.rescue_pull=0.5",
            "scenario.days=90",
            "levers.partner_coast_guard.tunisia=2",
            "scenario.start=2023-06-01",
            "scenario.name=2024",  # a text field keeps the text, not the number
        ]
    )
    assert scenario.levers.ngo_vessels == 10
    assert scenario.assumptions.rescue_pull == 0.5
    assert scenario.scenario.days == 90
    assert scenario.levers.partner_coast_guard.tunisia == 2
    assert scenario.scenario.start == dt.date(2023, 6, 1)
    assert scenario.scenario.name == "2024"


def test_with_overrides_copies_and_validates() -> None:
    baseline = load_scenario()
    changed = baseline.with_overrides({"levers.ngo_vessels": 0, "assumptions.rescue_pull": 1})
    assert changed.levers.ngo_vessels == 0
    assert changed.assumptions.rescue_pull == 1
    assert baseline.levers.ngo_vessels == Levers().ngo_vessels
    assert baseline.with_overrides(["levers.ngo_vessels=4"]).levers.ngo_vessels == 4
    with pytest.raises(ScenarioError, match=r"expected a number from 0 to 20, got 70"):
        baseline.with_overrides({"levers.ngo_vessels": 70})


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "levers.ngo_vessels=50",
            "--set levers.ngo_vessels=50: expected a number from 0 to 20, got 50",
        ),
        (
            "levers.ngo_vessels=many",
            "--set levers.ngo_vessels=many: expected a number from 0 to 20, got 'many'",
        ),
        (
            "scenario.days=0",
            "--set scenario.days=0: expected a whole number from 1 to 3653, got 0",
        ),
        (
            "levers.ngo_vesels=1",
            "--set levers.ngo_vesels=1: unknown key (did you mean levers.ngo_vessels?)",
        ),
        ("levers.foo=1", "--set levers.foo=1: unknown key"),
        (
            "levers.partner_coast_guard.tunisa=2",
            "--set levers.partner_coast_guard.tunisa=2: unknown key "
            "(did you mean levers.partner_coast_guard.tunisia?)",
        ),
        (
            "levers.partner_coast_guard={tunisia=9}",
            "--set levers.partner_coast_guard={tunisia=9}: levers.partner_coast_guard.tunisia: "
            "expected a number from 0 to 4, got 9",
        ),
        ("levers.ngo_vessels", "--set levers.ngo_vessels: expected KEY=VALUE"),
    ],
)
def test_bad_override_names_the_override(override: str, expected: str) -> None:
    assert error_of("baseline-2023", (override,)).startswith(expected)


# --- errors in files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "[levers]\nngo_vessels = 50\n",
            "levers.ngo_vessels: expected a number from 0 to 20, got 50",
        ),
        (
            "[levers]\nngo_vesels = 5\n",
            "levers.ngo_vesels: unknown key (did you mean levers.ngo_vessels?)",
        ),
        (
            '[levers]\nngo_vessels = "many"\n',
            "levers.ngo_vessels: expected a number from 0 to 20, got 'many'",
        ),
        # Lax validation would read these as 10 and 1: a config file must say numbers.
        ('[levers]\nngo_vessels = "10"\n', "levers.ngo_vessels: expected a number"),
        ("[levers]\nngo_vessels = true\n", "levers.ngo_vessels: expected a number"),
        (
            "[levers]\ntunisia = 2\n",
            "levers.tunisia: unknown key (did you mean levers.partner_coast_guard.tunisia "
            "or levers.departure_prevention.tunisia or levers.smuggling_partnership.tunisia?)",
        ),
        (
            "[levers.partner_coast_guard]\ntunisia = 4.5\n",
            "levers.partner_coast_guard.tunisia: expected a number from 0 to 4, got 4.5",
        ),
        ("[levers]\npartner_coast_guard = 2\n", "levers.partner_coast_guard: expected a table"),
        (
            "[assumptions]\nrisk_prior = 0\n",
            "assumptions.risk_prior: expected a number from 0.1 to 5",
        ),
        ("[scenario]\ndays = 90.5\n", "scenario.days: expected a whole number from 1 to 3653"),
        ('[scenario]\nstart = "soon"\n', "scenario.start: expected a date like 2023-01-01"),
    ],
)
def test_file_error_is_one_line_with_file_key_and_expectation(
    tmp_path: Path, body: str, expected: str
) -> None:
    if "[scenario]" in body:
        body = body.replace("[scenario]\n", '[scenario]\nname = "x"\n')
    else:
        body = '[scenario]\nname = "x"\n' + body
    path = write(tmp_path, body)
    assert error_of(path).startswith(f"{path}: {expected}")


def test_several_problems_report_the_first_and_count_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, '[scenario]\nname = "x"\n[levers]\nngo_vessels = 50\nfoo = 1\n')
    assert error_of(path).endswith("(and 1 more)")


def test_missing_scenario_table(tmp_path: Path) -> None:
    path = write(tmp_path, "[levers]\nngo_vessels = 5\n")
    assert error_of(path) == f"{path}: scenario: required table missing (it needs at least name)"


def test_toml_syntax_error_gives_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[scenario]\nname = "x"\n[levers\n')
    message = error_of(path)
    assert message.startswith(f"{path}: invalid TOML: ")
    assert "line 3" in message


def test_unknown_scenario_lists_available_ones() -> None:
    message = error_of("no-such-scenario")
    assert message.startswith("scenarios/no-such-scenario.toml: no such scenario file")
    assert "baseline-2023" in message


def test_missing_path(tmp_path: Path) -> None:
    assert error_of(tmp_path / "absent.toml").startswith(f"{tmp_path / 'absent.toml'}: no such")


def test_scenario_error_is_a_routesim_error_and_a_value_error() -> None:
    from routesim.errors import RoutesimError

    assert issubclass(ScenarioError, RoutesimError)
    assert issubclass(ScenarioError, ValueError)


# --- parameters: any nested models, including dict-valued ones -------------------------


class _Hazard(ConfigModel):
    base: float = Field(0.01, ge=0, le=1)
    peak: float = Field(ge=0, le=1)


class _Params(ConfigModel):
    hazard: dict[str, _Hazard] = Field(
        default_factory=lambda: {"central_med": _Hazard(peak=0.5), "aegean": _Hazard(peak=0.2)}
    )
    price: dict[Literal["central_med", "atlantic"], float] = Field(
        default_factory=lambda: {"central_med": 2500, "atlantic": 1000}
    )


class _ScenarioWithParameters(Scenario):
    parameters: _Params = Field(default_factory=_Params)


@pytest.fixture
def with_parameters(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(scenario_module, "Scenario", _ScenarioWithParameters)
    # The stand-in parameters start from an empty parameter set, not the calibrated one.
    sets = tmp_path / "mine" / "parameters"
    sets.mkdir(parents=True)
    (sets / "calibrated-2023.toml").write_text("[parameters]\n")
    monkeypatch.setenv(PATH_VARIABLE, str(sets.parent))


@pytest.mark.usefixtures("with_parameters")
def test_dict_valued_parameters(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[scenario]\nname = "x"\n[parameters.hazard.atlantic]\nbase = 0.05\npeak = 0.3\n'
    )
    scenario = load_scenario(path, ["parameters.hazard.central_med.base=0.2"])
    assert scenario.parameters.hazard["atlantic"].base == 0.05
    assert scenario.parameters.hazard["central_med"].base == 0.2
    resolved = write(tmp_path, scenario.to_toml(), "resolved.toml")
    assert load_scenario(resolved) == scenario


@pytest.mark.usefixtures("with_parameters")
def test_partial_table_entries_keep_their_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[scenario]\nname = "x"\n[parameters.hazard.central_med]\nbase = 0.2\n')
    scenario = load_scenario(path, ["parameters.price.atlantic=1200"])
    assert scenario.parameters.hazard["central_med"] == _Hazard(base=0.2, peak=0.5)
    assert scenario.parameters.hazard["aegean"] == _Hazard(peak=0.2)
    assert scenario.parameters.price == {"central_med": 2500, "atlantic": 1200}


@pytest.mark.usefixtures("with_parameters")
@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "parameters.price.atlantik=1",
            "--set parameters.price.atlantik=1: unknown key "
            "(did you mean parameters.price.atlantic?)",
        ),
        (
            "parameters.price.xyz=1",
            "--set parameters.price.xyz=1: unknown key (expected one of central_med, atlantic)",
        ),
        (
            "parameters.price.atlantic=[1]",
            "--set parameters.price.atlantic=[1]: expected a number, got [1]",
        ),
        (
            "parameters.hazard.atlantic.base=0.1",
            "--set parameters.hazard.atlantic.base=0.1: parameters.hazard.atlantic.peak: "
            "required, but not given",
        ),
    ],
)
def test_parameter_override_errors(override: str, expected: str) -> None:
    assert error_of("baseline-2023", (override,)) == expected


@pytest.mark.usefixtures("with_parameters")
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("base = 2", "parameters.hazard.aegean.base: expected a number from 0 to 1, got 2"),
        ('base = "x"', "parameters.hazard.aegean.base: expected a number from 0 to 1, got 'x'"),
        (
            "bsae = 0.1",
            "parameters.hazard.aegean.bsae: unknown key "
            "(did you mean parameters.hazard.aegean.base?)",
        ),
    ],
)
def test_dict_valued_parameter_errors(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, f'[scenario]\nname = "x"\n[parameters.hazard.aegean]\n{body}\n')
    assert error_of(path) == f"{path}: {expected}"
