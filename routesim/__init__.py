"""routesim: an agent-based simulator of irregular migration routes to Europe."""

from typing import TYPE_CHECKING, Any

from routesim.errors import GeodataError, RoutesimError
from routesim.routes import ACTION_PLANS, ROUTE_LABELS, ROUTES

if TYPE_CHECKING:
    from routesim.ensemble import Ensemble, run_ensemble
    from routesim.geography import Geography, load_geography
    from routesim.levers import lever_specs
    from routesim.model import RouteModel, simulate
    from routesim.scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "ACTION_PLANS",
    "ROUTES",
    "ROUTE_LABELS",
    "Ensemble",
    "GeodataError",
    "Geography",
    "RouteModel",
    "RoutesimError",
    "Scenario",
    "ScenarioError",
    "lever_specs",
    "load_geography",
    "load_scenario",
    "run_ensemble",
    "simulate",
]

# Loaded on first use: geopandas takes about a second to import, which `routesim --help`
# and modules that never touch geometry should not pay (pydantic, for scenarios, ~0.15 s).
_LAZY = {
    "Ensemble": "routesim.ensemble",
    "run_ensemble": "routesim.ensemble",
    "Geography": "routesim.geography",
    "load_geography": "routesim.geography",
    "Scenario": "routesim.scenario",
    "ScenarioError": "routesim.scenario",
    "load_scenario": "routesim.scenario",
    "lever_specs": "routesim.levers",
    "RouteModel": "routesim.model",
    "simulate": "routesim.model",
}


def __getattr__(name: str) -> Any:
    """Import the heavier public names (geography, model, ensembles) on first access."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'routesim' has no attribute {name!r}")
