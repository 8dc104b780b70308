"""The engine: every simulation once, in order, the same results wherever they run."""

from __future__ import annotations

import os
import threading

import pandas as pd
import pytest

from routesim.engine import Engine, Simulation, daily_table
from routesim.parallel import CancelledError, InProcess, ProcessPool
from routesim.scenario import load_scenario


@pytest.fixture(scope="module")
def short() -> Simulation:
    scenario = load_scenario("baseline-2023").with_overrides(
        {"scenario.days": 10, "parameters.warmup_days": 5}
    )
    return Simulation(scenario, seed=3, scale=200.0)


def _seed(simulation: Simulation, geography: object) -> int:
    return simulation.seed


def _priority_and_geography(simulation: Simulation, geography: object) -> tuple[int, int, int]:
    return os.getpid(), os.getpriority(os.PRIO_PROCESS, 0), id(geography)


def _seeds(short: Simulation, n: int) -> list[Simulation]:
    return [Simulation(short.scenario, seed, short.scale) for seed in range(n)]


def test_results_come_in_the_order_of_the_simulations(short: Simulation) -> None:
    simulations = _seeds(short, 7)
    assert Engine().run(simulations, _seed) == list(range(7))
    assert Engine(ProcessPool(2)).run(simulations, _seed) == list(range(7))


def test_chunks_cover_every_simulation_once(short: Simulation) -> None:
    chunks = list(Engine().stream(_seeds(short, 7), _seed, chunk_size=3))
    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    assert [i for chunk in chunks for i, _ in chunk] == list(range(7))
    with pytest.raises(ValueError, match="chunk size"):
        next(Engine().stream(_seeds(short, 2), _seed, chunk_size=0))


def test_the_same_simulations_give_the_same_tables_here_and_in_workers(short: Simulation) -> None:
    simulations = [short, Simulation(short.scenario, 4, short.scale)]
    here = Engine().run(simulations, daily_table)
    workers = Engine(ProcessPool(2)).run(simulations, daily_table)
    for a, b in zip(here, workers, strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert not here[0].equals(here[1]), "two seeds gave the same run"


def test_overrides_are_applied_where_the_simulation_runs(short: Simulation) -> None:
    simulation = Simulation(short.scenario, 3, 200.0, {"levers.ngo_vessels": 0})
    assert simulation.resolved().levers.ngo_vessels == 0
    assert short.resolved() is short.scenario


def test_a_set_cancel_event_stops_the_run(short: Simulation) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError):
        Engine(InProcess()).run(_seeds(short, 2), _seed, cancel)


def test_workers_share_one_geography_and_run_at_the_niceness_asked(short: Simulation) -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    engine = Engine(ProcessPool(1), niceness=own + 3)
    results = engine.run(_seeds(short, 3), _priority_and_geography)
    assert len({pid for pid, _, _ in results}) == 1
    assert {priority for _, priority, _ in results} == {own + 3}
    assert len({geography for _, _, geography in results}) == 1
    # In the caller's own process (the app's server), the priority is left alone.
    here = Engine(InProcess(), niceness=own + 3).run(_seeds(short, 1), _priority_and_geography)
    assert here[0][1] == own
