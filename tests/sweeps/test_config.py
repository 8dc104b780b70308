"""Sweep config files: validation, one-line errors naming file and key, the config hash."""

from __future__ import annotations

import pytest

from routesim.cli import main
from routesim.levers import lever_specs
from routesim.sweeps.config import SweepError, available_sweeps, load_sweep

VALID = """
[sweep]
name = "t"
seed = 1
replicates = 2

[design]
kind = "{kind}"
{samples}

[parameters."levers.ngo_vessels"]
{ngo}

[parameters."parameters.networks_per_hub"]
low = 1
high = 4
{levels}
"""


def config(kind="grid", samples="", ngo="values = [0, 5]", levels="levels = 4", extra=""):
    return VALID.format(kind=kind, samples=samples, ngo=ngo, levels=levels) + extra


def test_shipped_sweeps_load_and_have_at_least_three():
    names = available_sweeps()
    assert len(names) >= 3
    for name in names:
        sweep = load_sweep(name)
        assert sweep.runs(), name
        assert set(sweep.plot) <= set(sweep.outcomes.columns())


def test_a_grid_crosses_values_and_levels(write_config):
    sweep = load_sweep(write_config(config()))
    assert [p.name for p in sweep.parameters] == [
        "levers.ngo_vessels",
        "parameters.networks_per_hub",
    ]
    networks = sweep.parameters[1]
    assert networks.integer  # an int field of the scenario
    assert networks.grid_values() == [1.0, 2.0, 3.0, 4.0]
    runs = sweep.runs()
    assert len(runs) == 2 * 4 * 2
    assert {type(run.values["parameters.networks_per_hub"]) for run in runs} == {int}


def test_a_lever_range_defaults_to_its_documented_bounds(write_config):
    sweep = load_sweep(write_config(config(ngo="levels = 3")))
    spec = next(s for s in lever_specs() if s.name == "levers.ngo_vessels")
    ngo = sweep.parameters[0]
    assert (ngo.low, ngo.high) == (spec.low, spec.high)
    # The lever's target is kept by default.
    assert spec.targets in sweep.outcomes.columns()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            config().replace("seed = 1", "seeed = 1"),
            "sweep.seeed: unknown key (did you mean sweep.seed?)",
        ),
        (
            config().replace("replicates = 2", 'replicates = "2"'),
            "sweep.replicates: expected a whole number from 1 to 1000, got '2'",
        ),
        (
            config(ngo="values = [0, 40]"),
            'parameters."levers.ngo_vessels".high: expected a number from 0 to 20, got 40',
        ),
        (
            config(ngo="lvels = 3"),
            'parameters."levers.ngo_vessels".lvels: unknown key'
            ' (did you mean parameters."levers.ngo_vessels".levels?)',
        ),
        (
            config().replace("levers.ngo_vessels", "levers.ngo_vesels"),
            "unknown key (did you mean levers.ngo_vessels?)",
        ),
        (
            config(levels=""),
            'parameters."parameters.networks_per_hub".levels: a grid over a range needs levels',
        ),
        (
            config(kind="sobol", samples="samples = 8", levels=""),
            'parameters."levers.ngo_vessels".values: a sobol design samples a range',
        ),
        (
            config(kind="sobol", samples="samples = 6", ngo="low = 0", levels=""),
            "design.samples: a sobol design needs a power of 2, got 6",
        ),
        (
            config(kind="latin_hypercube", ngo="low = 0", levels=""),
            "design.samples: required for a latin_hypercube design",
        ),
        (
            config(kind="factorial"),
            "design.kind: expected 'grid', 'latin_hypercube', 'sobol' or 'morris'",
        ),
        (
            config(kind="sobol", samples="samples = 8\nlevels = 4", ngo="low = 0", levels=""),
            "design.levels: only a morris design has grid levels",
        ),
        (
            config(extra='[outcomes]\nmetrics = ["deaths"]\n'),
            "outcomes.metrics[0]: unknown metric 'deaths'",
        ),
        (
            config(extra='[outcomes]\ntargets = ["death_rate.aegean"]\n'),
            "outcomes.targets[0]: 'death_rate.aegean': expected death_rate.<",
        ),
        (
            config(extra='[outcomes]\nplot = ["dead.all"]\n'),
            "outcomes.plot[0]: 'dead.all' is not a kept outcome",
        ),
        (
            config(extra='[base]\nset = { "levers.ngo_vessels" = 2 }\n'),
            'parameters."levers.ngo_vessels": also fixed in base.set',
        ),
        (
            config(extra='[base]\nscenario = "no-such-scenario"\n'),
            "base: scenarios/no-such-scenario.toml: no such scenario file",
        ),
        ("[sweep\n", "invalid TOML"),
    ],
)
def test_errors_are_one_line_naming_file_and_key(write_config, text, expected):
    path = write_config(text)
    with pytest.raises(SweepError) as caught:
        load_sweep(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_a_missing_sweep_names_the_shipped_ones():
    with pytest.raises(SweepError, match="no such sweep file .*central-med-rescue-pull"):
        load_sweep("no-such-sweep")


def test_the_command_line_prints_one_line_and_exits_2(write_config, capsys):
    path = write_config(config(ngo="values = [0, 40]"))
    assert main(["sweep", str(path), "--out", str(path.parent / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("routesim: error: ") and "\n" not in err
    assert not (path.parent / "out").exists()


def test_the_hash_follows_what_decides_results(write_config):
    base = load_sweep(write_config(config(), "a.toml")).config_hash
    renamed = config().replace('name = "t"', 'name = "other"\ndescription = "words"')
    assert load_sweep(write_config(renamed, "b.toml")).config_hash == base
    reseeded = config().replace("seed = 1", "seed = 2")
    assert load_sweep(write_config(reseeded, "c.toml")).config_hash != base
    longer = config(extra='[base]\nset = { "scenario.days" = 60 }\n')
    assert load_sweep(write_config(longer, "d.toml")).config_hash != base


def test_another_seed_draws_the_same_design_again_under_its_own_hash(write_config):
    path = write_config(config())
    sweep, again = load_sweep(path), load_sweep(path, seed=5)
    assert again.config.sweep.seed == 5 and again.config_hash != sweep.config_hash
    assert again.config.model_dump(exclude={"sweep": {"seed"}}) == sweep.config.model_dump(
        exclude={"sweep": {"seed"}}
    )
    assert {run.seed for run in again.runs()}.isdisjoint({run.seed for run in sweep.runs()})


def test_the_morris_screening_covers_every_lever_and_assumption_over_its_range():
    sweep = load_sweep("morris-screening")
    ranges = {p.name: (p.low, p.high) for p in sweep.parameters}
    specs = {spec.name: (spec.low, spec.high) for spec in lever_specs()}
    assert ranges == specs


TIMING = """
[sweep]
name = "timing"
seed = 1
replicates = 1

[base]
scenario = "history-2015-2023"
set = {{ "scenario.days" = 731 }}

[design]
kind = "latin_hypercube"
samples = 4

[parameters."timeline.3.days_later"]
low = -60
high = {high}

[parameters."timeline.3.levers.departure_prevention.turkiye"]
low = 0.5
high = 2
"""


def test_a_sweep_axis_may_move_a_dated_change_or_set_what_it_gives(write_config):
    sweep = load_sweep(write_config(TIMING.format(high=180)))
    days, value = sweep.parameters
    assert days.integer and not value.integer
    for run in sweep.runs():
        assert isinstance(run.values["timeline.3.days_later"], int)
        moved = sweep.base.with_overrides(run.values)
        statement = next(c for c in moved.timeline if c.label == "EU-Turkey Statement")
        offset = (
            statement.date
            - next(c for c in sweep.base.timeline if c.label == "EU-Turkey Statement").date
        ).days
        assert offset == run.values["timeline.3.days_later"]
        assert statement.set["levers.departure_prevention.turkiye"] == pytest.approx(
            run.values["timeline.3.levers.departure_prevention.turkiye"]
        )


def test_a_sweep_axis_moving_a_change_out_of_the_run_is_refused_in_one_line(write_config):
    with pytest.raises(SweepError) as error:
        load_sweep(write_config(TIMING.format(high=400)))
    message = str(error.value)
    assert 'parameters."timeline.3.days_later".high' in message
    assert "outside the run (2015-01-01 to 2016-12-31)" in message and "\n" not in message
