"""Sweep config files: the base scenario, swept parameters, design, replicates, outcomes.

A sweep file is TOML, read with `tomllib` only (data, never code) and validated with
pydantic: unknown keys, wrong types and values outside a field's range are errors.
Every problem becomes one `SweepError` line naming the file and the key. Swept values
are checked against the base scenario exactly as ``--set`` overrides are, so a range
that leaves a lever's documented bounds is caught before any run starts. Example::

    [sweep]
    name = "rescue-pull"
    seed = 1
    replicates = 4
    scale = 100

    [base]
    scenario = "baseline-2023"
    set = { "scenario.days" = 180 }

    [design]
    kind = "grid"            # or "latin_hypercube", "sobol" (with samples = N)

    [parameters."levers.ngo_vessels"]
    values = [0, 3, 6]

    [parameters."assumptions.rescue_pull"]
    levels = 3               # low and high default to the lever's documented range

    [outcomes]
    metrics = ["departures", "dead_missing"]
    routes = ["central_med", "all"]
    targets = ["death_rate.central_med"]
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import Field, ValidationError

from routesim import resources, schema
from routesim.configs import ConfigModel, Name, Scale, read_toml
from routesim.errors import RoutesimError
from routesim.levers import lever_specs
from routesim.outcomes import METRICS
from routesim.scenario import Scenario, ScenarioError, load_scenario
from routesim.sweeps.outcomes import DEFAULT_METRICS, OUTCOME_ROUTES, OutcomeSpec, target_problem
from routesim.sweeps.parameters import Parameter, is_integer_field
from routesim.sweeps.runs import Run, plan_runs
from routesim.sweeps.samplers import make_sampler


class SweepError(RoutesimError, ValueError):
    """A sweep config is invalid, or a sweep folder does not match its config."""


class SweepMeta(ConfigModel):
    """What the sweep is called, its seed, replicates per point and scale."""

    name: Name = Field(description="names the default sweep folder, out/sweeps/<name>")
    description: str = ""
    seed: int = Field(0, ge=0)
    replicates: int = Field(1, ge=1, le=1000)
    scale: Scale = Field(10.0, description="people per agent row: at least one")


class BaseTable(ConfigModel):
    """The scenario every run starts from, with fixed overrides."""

    scenario: str = "baseline-2023"
    set: dict[str, Any] = Field(default_factory=dict)


class DesignTable(ConfigModel):
    """How points are chosen."""

    kind: Literal["grid", "latin_hypercube", "sobol", "morris"]
    samples: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="points (LHS), base samples (Sobol), trajectories (Morris)",
    )
    levels: int | None = Field(
        None, ge=2, le=20, description="Morris grid levels (4 unless given; morris designs only)"
    )


class ParameterTable(ConfigModel):
    """The values one swept key may take: ``values``, or ``low``/``high`` (with ``levels``)."""

    values: list[float] | None = Field(None, min_length=1)
    low: float | None = None
    high: float | None = None
    levels: int | None = Field(None, ge=2, le=1000)
    integer: bool | None = None


class OutcomesTable(ConfigModel):
    """What to keep of every run and what to plot."""

    metrics: list[str] = Field(default_factory=lambda: list(DEFAULT_METRICS))
    routes: list[str] = Field(default_factory=lambda: list(OUTCOME_ROUTES))
    targets: list[str] = Field(default_factory=list)
    lever_targets: bool = True
    plot: list[str] = Field(default_factory=list)


class SweepConfig(ConfigModel):
    """A sweep config file, as written (before parameters are resolved)."""

    sweep: SweepMeta
    base: BaseTable = Field(default_factory=BaseTable)
    design: DesignTable
    parameters: dict[str, ParameterTable] = Field(min_length=1)
    outcomes: OutcomesTable = Field(default_factory=OutcomesTable)


@dataclass(frozen=True)
class Sweep:
    """A validated sweep, ready to run.

    Attributes:
        config: The config as written.
        source: The file it came from, as named in messages.
        base: The resolved base scenario (``base.set`` applied).
        parameters: The swept parameters, in the config's order.
        outcomes: The outcomes kept of every run.
        plot: Outcome columns the report plots.
        config_hash: Hash of everything that decides the results (see `config_hash`).
    """

    config: SweepConfig
    source: str
    base: Scenario
    parameters: tuple[Parameter, ...]
    outcomes: OutcomeSpec
    plot: tuple[str, ...]
    config_hash: str

    @property
    def name(self) -> str:
        """The sweep's name."""
        return self.config.sweep.name

    def runs(self) -> list[Run]:
        """Every run of the sweep, in run-id order."""
        meta, design = self.config.sweep, self.config.design
        sampler = make_sampler(design.kind, design.samples, design.levels)
        points = sampler.sample(self.parameters, meta.seed)
        return plan_runs(points, self.parameters, meta.replicates, meta.seed)

    def to_toml(self, scenario_file: str) -> str:
        """The config as TOML, its base scenario replaced by ``scenario_file``.

        Stored beside the results with the resolved base scenario, so that the folder
        reloads as the same sweep (same hash) wherever it is moved.
        """
        raw = self.config.model_dump(mode="python", exclude_none=True)
        raw["base"] = {"scenario": scenario_file, "set": {}}
        return tomli_w.dumps(raw)


def available_sweeps() -> list[str]:
    """Names of the sweeps in ``$ROUTESIM_PATH`` folders and bundled ones, sorted."""
    return resources.names("sweeps", "*.toml")


def load_sweep(source: str | Path, seed: int | None = None) -> Sweep:
    """Read and validate a sweep config.

    Args:
        source: A sweep name (``sweeps/<name>.toml`` in a ``$ROUTESIM_PATH`` folder or
            among the bundled sweeps, in that order) or a ``.toml`` path.
            A relative ``base.scenario`` path is taken relative to the config's folder.
        seed: Replaces ``sweep.seed``: the same design drawn again from other seeds, to
            see whether its answers hold (it is part of the config hash).

    Returns:
        The validated sweep.

    Raises:
        SweepError: One line naming the file, the key and what was expected.
    """
    path, shown = resources.locate("sweeps", source)
    try:
        raw = read_toml(path, shown, SweepError)
    except FileNotFoundError:
        known = resources.listing("sweeps", available_sweeps())
        raise SweepError(f"{shown}: no such sweep file ({known})") from None
    try:
        config = SweepConfig.model_validate(raw)
    except ValidationError as exc:
        raise SweepError(f"{shown}: {schema.first_problem(exc, SweepConfig)}") from None
    if seed is not None:
        config = config.model_copy(update={"sweep": config.sweep.model_copy(update={"seed": seed})})
    return _resolve(config, path, shown)


def config_hash(config: SweepConfig, base: Scenario) -> str:
    """A short hash of what decides a sweep's results.

    Covers the resolved base scenario, seed, replicates, scale, design, parameters and
    outcomes; not the name, description or how the base scenario was named, which do
    not change any result.
    """
    content = {
        "config": config.model_dump(
            mode="json", exclude={"sweep": {"name", "description"}, "base": True}
        ),
        "scenario": base.model_dump(mode="json"),
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _resolve(config: SweepConfig, path: Path, shown: str) -> Sweep:
    scenario = config.base.scenario
    base_source: str | Path = scenario
    if scenario.endswith(".toml") and not Path(scenario).is_absolute():
        base_source = path.parent / scenario
    try:
        base = load_scenario(base_source).with_overrides(config.base.set)
    except ScenarioError as exc:
        # Keep the scenario file or --set the scenario error names: it is the one at fault.
        raise SweepError(f"{shown}: base: {exc}") from None

    specs = {spec.name: spec for spec in lever_specs()}
    parameters = []
    for name, table in config.parameters.items():
        if name in config.base.set:
            raise SweepError(f'{shown}: parameters."{name}": also fixed in base.set')
        parameter = _parameter(name, table, config.design.kind, specs, shown)
        for key, value in (("low", parameter.low), ("high", parameter.high)):
            try:
                base.with_overrides({name: parameter.cast(value)})
            except ScenarioError as exc:
                raise SweepError(
                    f'{shown}: parameters."{name}".{key}: {_strip_source(exc)}'
                ) from None
        parameters.append(parameter)

    design = config.design
    if design.kind == "grid" and design.samples is not None:
        raise SweepError(
            f"{shown}: design.samples: a grid takes no samples (its size is set by the parameters)"
        )
    if design.kind != "grid" and design.samples is None:
        raise SweepError(f"{shown}: design.samples: required for a {design.kind} design")
    if design.levels is not None and design.kind != "morris":
        raise SweepError(f"{shown}: design.levels: only a morris design has grid levels")
    if design.kind == "sobol":
        assert design.samples is not None  # required above for every design but a grid
        if design.samples & (design.samples - 1):
            raise SweepError(
                f"{shown}: design.samples: a sobol design needs a power of 2, got {design.samples}"
            )

    outcomes = _outcomes(config, parameters, specs, shown)
    columns = outcomes.columns()
    plot = tuple(config.outcomes.plot) or _default_plot(outcomes)
    for i, name in enumerate(plot):
        if name not in columns:
            close = difflib.get_close_matches(name, columns, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SweepError(f"{shown}: outcomes.plot[{i}]: {name!r} is not a kept outcome{hint}")
    return Sweep(
        config=config,
        source=shown,
        base=base,
        parameters=tuple(parameters),
        outcomes=outcomes,
        plot=plot,
        config_hash=config_hash(config, base),
    )


def _parameter(
    name: str, table: ParameterTable, kind: str, specs: dict[str, Any], shown: str
) -> Parameter:
    key = f'{shown}: parameters."{name}"'
    integer = table.integer if table.integer is not None else is_integer_field(name)
    if table.values is not None:
        if kind != "grid":
            raise SweepError(f"{key}.values: a {kind} design samples a range: give low and high")
        if table.low is not None or table.high is not None or table.levels is not None:
            raise SweepError(f"{key}: give either values or low/high/levels, not both")
        values = tuple(float(v) for v in table.values)
        if len(set(values)) != len(values):
            raise SweepError(f"{key}.values: values repeat")
        return Parameter(name, min(values), max(values), values=values, integer=integer)

    spec = specs.get(name)
    low = table.low if table.low is not None else (spec.low if spec else None)
    high = table.high if table.high is not None else (spec.high if spec else None)
    if low is None or high is None:
        missing = "low" if low is None else "high"
        raise SweepError(
            f"{key}.{missing}: required (only levers and assumptions have a default range)"
        )
    if not low < high:
        raise SweepError(f"{key}: low ({low:g}) must be below high ({high:g})")
    if kind == "grid" and table.levels is None:
        raise SweepError(f"{key}.levels: a grid over a range needs levels (or give values)")
    if kind != "grid" and table.levels is not None:
        raise SweepError(f"{key}.levels: only a grid takes levels")
    return Parameter(name, float(low), float(high), levels=table.levels, integer=integer)


def _outcomes(
    config: SweepConfig, parameters: list[Parameter], specs: dict[str, Any], shown: str
) -> OutcomeSpec:
    table = config.outcomes
    for field, items, known in (
        ("metrics", table.metrics, METRICS),
        ("routes", table.routes, OUTCOME_ROUTES),
    ):
        for i, item in enumerate(items):
            if item not in known:
                close = difflib.get_close_matches(item, known, n=1)
                hint = (
                    f" (did you mean {close[0]}?)"
                    if close
                    else f" (expected one of {', '.join(known)})"
                )
                raise SweepError(
                    f"{shown}: outcomes.{field}[{i}]: unknown {field[:-1]} {item!r}{hint}"
                )
    for i, target in enumerate(table.targets):
        if (problem := target_problem(target)) is not None:
            raise SweepError(f"{shown}: outcomes.targets[{i}]: {target!r}: {problem}")
    targets = list(table.targets)
    if table.lever_targets:
        targets += [specs[p.name].targets for p in parameters if p.name in specs]
    return OutcomeSpec(
        metrics=tuple(dict.fromkeys(table.metrics)),
        routes=tuple(dict.fromkeys(table.routes)),
        targets=tuple(dict.fromkeys(targets)),
    )


def _default_plot(outcomes: OutcomeSpec) -> tuple[str, ...]:
    """Targets first (what the swept levers are meant to move), then all-route totals."""
    columns = outcomes.columns()
    totals = [c for c in columns if c.endswith(".all")] or columns
    return tuple(dict.fromkeys([*outcomes.targets, *totals]))[:4]


def _strip_source(exc: ScenarioError) -> str:
    """A scenario error's message without its ``source:`` prefix (the sweep names it)."""
    message = str(exc)
    prefix = f"{exc.source}: "
    return message[len(prefix) :] if exc.source and message.startswith(prefix) else message
