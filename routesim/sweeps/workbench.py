"""routesim as an EMA Workbench model: levers, uncertainties and outcomes per route.

`workbench_model` builds an ``ema_workbench.Model`` whose levers are routesim's policy
levers, whose uncertainties are its contested assumptions (and any calibrated
parameters given a range), and whose outcomes are run totals per reporting route and
over all routes. The Workbench then samples, evaluates and analyses as it does any
model::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from routesim.sweeps.workbench import workbench_model

    model = workbench_model(levers=["levers.ngo_vessels"], days=60, scale=200)
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, 4, 4, evaluator=evaluator)

Workbench names must be Python identifiers, so a dotted key loses its ``levers.`` or
``assumptions.`` prefix and its other dots become ``_`` (``levers.ngo_vessels`` is
``ngo_vessels``, ``parameters.warmup_days`` is ``parameters_warmup_days``);
outcomes are ``<metric>_<route>`` (``dead_missing_central_med``, ``detections_all``). The
dotted keys are the Workbench's variable names, which is what the model function takes.

Every experiment runs with the model's one seed (common random numbers, as sweep points
do), so differences between experiments come from their inputs, not from luck; the seed
is also an outcome (``seed``), so each experiment records it, and `rerun` with the same
inputs and seed gives the same outcomes. The Workbench is an optional dependency
(``pip install 'routesim[ema]'``), imported only when a model is built.
"""

from __future__ import annotations

import difflib
import importlib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from routesim.configs import scale_argument
from routesim.errors import RoutesimError
from routesim.levers import lever_specs
from routesim.outcomes import METRICS
from routesim.scenario import Scenario, ScenarioError, load_scenario
from routesim.sweeps.outcomes import OUTCOME_ROUTES, OutcomeSpec
from routesim.sweeps.parameters import is_integer_field

#: Metrics a Workbench model reports per route when none are named.
DEFAULT_METRICS: tuple[str, ...] = ("detections", "departures", "dead_missing")

#: The outcome that records each experiment's seed.
SEED = "seed"


def import_workbench(module: str = "ema_workbench") -> ModuleType:
    """Import a module of the EMA Workbench, or say in one line how to install it.

    Raises:
        RoutesimError: The ``ema`` extra is not installed.
    """
    try:
        with warnings.catch_warnings():
            # It warns on import about its ipyparallel evaluator, which routesim never uses.
            warnings.simplefilter("ignore", UserWarning)
            return importlib.import_module(module)
    except ImportError:
        raise RoutesimError("this needs the EMA Workbench: pip install 'routesim[ema]'") from None


def workbench_name(key: str) -> str:
    """The Workbench name (a Python identifier) of a dotted scenario key or outcome column.

    ``levers.ngo_vessels`` is ``ngo_vessels``, ``assumptions.rescue_pull`` is
    ``rescue_pull``, ``dead_missing.central_med`` is ``dead_missing_central_med``.
    """
    head, _, rest = key.partition(".")
    if head in ("levers", "assumptions") and rest:
        key = rest
    return key.replace(".", "_")


@dataclass(frozen=True)
class RoutesimFunction:
    """The model function the Workbench calls: one run of routesim, its totals per route.

    A module-level frozen dataclass, so that the Workbench's multiprocessing evaluator can
    pickle it; the geography is loaded once per process, never pickled.

    Attributes:
        base: The resolved base scenario every experiment starts from.
        scale: People per agent.
        outcomes: The run totals kept (``<metric>.<route>``).
        integers: Dotted keys whose scenario field holds whole numbers.
        geodata: Folder of the geodata layers; the bundled ones by default.
    """

    base: Scenario
    scale: float
    outcomes: OutcomeSpec
    integers: frozenset[str] = frozenset()
    geodata: Path | None = None

    def __call__(self, seed: int, **values: float) -> dict[str, float]:
        """Run one experiment.

        Args:
            seed: The model's seed.
            **values: Input values by dotted scenario key.

        Returns:
            The run totals by ``<metric>.<route>``, and the seed under `SEED`.
        """
        from routesim.geography import shared_geography
        from routesim.model import simulate

        # Workbench samples are numpy scalars; a strict scenario wants int or float.
        overrides = {
            key: int(round(value)) if key in self.integers else float(value)
            for key, value in values.items()
        }
        scenario = self.base.with_overrides(overrides)
        daily = simulate(
            scenario, int(seed), scale=self.scale, geography=shared_geography(self.geodata)
        )
        return {**self.outcomes.totals(scenario, daily, self.scale), SEED: int(seed)}


def workbench_model(
    base: str | Scenario = "baseline-2023",
    *,
    levers: Sequence[str] | None = None,
    uncertainties: Sequence[str] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    metrics: Sequence[str] = DEFAULT_METRICS,
    routes: Sequence[str] = OUTCOME_ROUTES,
    scale: float = 100.0,
    days: int | None = None,
    seed: int = 0,
    name: str = "routesim",
    geodata: Path | None = None,
) -> Any:
    """The routesim model as an ``ema_workbench.Model``.

    Args:
        base: The base scenario, by name or path (`routesim.load_scenario`), or resolved.
        levers: Dotted keys of the policy levers to vary; every lever of
            `routesim.levers.lever_specs` by default.
        uncertainties: Dotted keys of the uncertainties; every contested assumption by
            default. A calibrated parameter (``parameters....``) needs a range in ``ranges``.
        ranges: ``(low, high)`` by dotted key, for parameters without a documented range
            or to narrow one; others take their documented range.
        metrics: Metrics totalled per route as outcomes (`routesim.outcomes.METRICS`).
        routes: Reporting routes and ``all``.
        scale: People per agent (at least 1).
        days: Days each run covers (``scenario.days``); the base scenario's by default.
        seed: The seed every experiment runs with (non-negative).
        name: The model's name, a Python identifier.
        geodata: Folder of the geodata layers; the bundled ones by default.

    Returns:
        The model: ``RealParameter`` levers and uncertainties (``IntegerParameter`` for a
        whole-number field), a ``ScalarOutcome`` per metric and route, and the seed as an
        ``INFO`` outcome.

    Raises:
        RoutesimError: The Workbench is not installed, a key or a range is not one the
            base scenario accepts, or scale, seed or a metric or route is out of range.
    """
    workbench = import_workbench()
    scenario = load_scenario(base) if isinstance(base, str) else base
    if days is not None:
        scenario = _checked(scenario, {"scenario.days": days}, "days")
    scale = scale_argument(scale)
    if seed < 0:
        raise RoutesimError(f"seed: expected a non-negative integer, got {seed}")
    specs = lever_specs()
    if levers is None:
        levers = [spec.name for spec in specs if spec.kind == "lever"]
    if uncertainties is None:
        uncertainties = [spec.name for spec in specs if spec.kind == "assumption"]
    documented = {spec.name: (spec.low, spec.high) for spec in specs}
    bounds = {**documented, **(ranges or {})}
    keys = [*levers, *uncertainties]
    unused = sorted((ranges or {}).keys() - set(keys))
    if unused:
        raise RoutesimError(f"ranges: {unused[0]!r} is neither a lever nor an uncertainty here")
    names = [workbench_name(key) for key in keys]
    if len(set(names)) < len(names):
        raise RoutesimError(f"a key is given twice among levers and uncertainties: {keys}")

    def parameter(key: str) -> Any:
        if key not in bounds:
            if key.startswith(("levers.", "assumptions.")):
                close = difflib.get_close_matches(key, documented, n=1)
                hint = f" (did you mean {close[0]}?)" if close else " (see routesim levers)"
                raise RoutesimError(f"{key}: no such lever or assumption{hint}")
            raise RoutesimError(f"{key}: no documented range: give one in ranges")
        low, high = bounds[key]
        if not low < high:
            raise RoutesimError(f"{key}: low ({low:g}) must be below high ({high:g})")
        integer = is_integer_field(key)
        for end, value in (("low", low), ("high", high)):
            _checked(scenario, {key: int(value) if integer else float(value)}, f"{key} {end}")
        kind = workbench.IntegerParameter if integer else workbench.RealParameter
        return kind(workbench_name(key), low, high, variable_name=key)

    spec = OutcomeSpec(metrics=tuple(metrics), routes=tuple(routes), targets=())
    problem = _outcome_problem(spec)
    if problem is not None:
        raise RoutesimError(problem)
    model = workbench.Model(
        name,
        function=RoutesimFunction(
            base=scenario,
            scale=scale,
            outcomes=spec,
            integers=frozenset(key for key in keys if is_integer_field(key)),
            geodata=geodata,
        ),
    )
    model.levers = [parameter(key) for key in levers]
    model.uncertainties = [parameter(key) for key in uncertainties]
    model.outcomes = [
        *(
            workbench.ScalarOutcome(workbench_name(column), variable_name=column)
            for column in spec.columns()
        ),
        workbench.ScalarOutcome(SEED),
    ]
    model.constants = [workbench.Constant(SEED, seed)]
    return model


def rerun(model: Any, experiment: Mapping[str, Any], seed: int) -> dict[str, float]:
    """Run one experiment of a Workbench model again, outside the Workbench.

    Args:
        model: A model of `workbench_model`.
        experiment: A row of the experiments table (or any mapping with the model's lever
            and uncertainty names); other entries (``scenario``, ``policy``...) are ignored.
        seed: The seed the experiment ran with (its ``seed`` outcome).

    Returns:
        Its outcomes by Workbench name, as ``perform_experiments`` stored them.
    """
    values = {
        parameter.variable_name[0]: experiment[parameter.name]
        for parameter in [*model.levers, *model.uncertainties]
    }
    results = model.function(seed=seed, **values)
    return {outcome.name: results[outcome.variable_name[0]] for outcome in model.outcomes}


def _checked(scenario: Scenario, overrides: Mapping[str, Any], what: str) -> Scenario:
    try:
        return scenario.with_overrides(overrides)
    except ScenarioError as exc:
        raise RoutesimError(f"{what}: {exc}") from None


def _outcome_problem(spec: OutcomeSpec) -> str | None:
    for metric in spec.metrics:
        if metric not in METRICS:
            return f"metrics: unknown metric {metric!r} (expected one of {', '.join(METRICS)})"
    for route in spec.routes:
        if route not in OUTCOME_ROUTES:
            return f"routes: unknown route {route!r} (expected one of {', '.join(OUTCOME_ROUTES)})"
    return None
