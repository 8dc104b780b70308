"""A guard unit's catch: its 2023 chance at baseline effort, saturating as effort grows."""

import numpy as np
import pytest
from scipy import stats
from stub_world import StubWorld

from routesim.borders import BorderGuardUnit

N = 20_000


def _catch_rate(unit: BorderGuardUnit, chance: float) -> float:
    return float(np.mean(unit.catch_many(chance, N)))


@pytest.mark.parametrize("chance", [0.1, 0.5, 0.9])
def test_at_baseline_effort_a_unit_catches_at_its_2023_chance(chance):
    unit = BorderGuardUnit(StubWorld(), "area", "sea", "partner", "LBY")
    caught = int(round(_catch_rate(unit, chance) * N))
    assert stats.binomtest(caught, N, chance).pvalue > 0.001


def test_doubling_land_guards_squares_the_chance_of_slipping_through():
    world = StubWorld(seed=1)
    world.levers = world.levers.model_copy(update={"land_border_guards": 2.0})
    unit = BorderGuardUnit(world, "area", "land_border", "eu", "HUN")
    # Effort 1 (no patrol yet) and the Standing Corps at its 2023 size: guards alone count.
    assert unit.strength() == pytest.approx(2.0)
    caught = int(round(_catch_rate(unit, 0.4) * N))
    assert stats.binomtest(caught, N, 1 - 0.6**2).pvalue > 0.001


def test_ten_times_the_effort_catches_nearly_all_but_never_certainly():
    unit = BorderGuardUnit(StubWorld(seed=2), "area", "sea", "partner", "LBY")
    caught = int(np.sum(unit.catch_many(0.5, N, index=10.0)))
    assert stats.binomtest(caught, N, 1 - 0.5**10).pvalue > 0.001
    assert unit.escape(0.0) == 1.0, "a unit with no chance at baseline never catches"


def test_partner_police_clear_the_hubs_of_their_own_land_crossings_only():
    from test_model import geography

    from routesim.model import RouteModel
    from routesim.scenario import load_scenario

    model = RouteModel(load_scenario("baseline-2023"), seed=1, scale=100, geography=geography())
    crossings = model.land_crossings
    chances = model.parameters.camp_clearing
    for index in (0.0, 1.0, 3.0):
        update = {name: index for name in type(model.levers.land_policing).model_fields}
        policing = model.levers.land_policing.model_copy(update=update)
        model.levers = model.levers.model_copy(update={"land_policing": policing})
        shares = model.guards.clear_camps(crossings)
        for crossing, share in zip(crossings, shares, strict=True):
            # Before any patrol every unit's effort is 1: the index alone sets the odds.
            chance = chances.get(crossing.country, 0.0)
            assert share == pytest.approx(1 - (1 - chance) ** index), crossing.leg
    assert {c.country for c, s in zip(crossings, shares, strict=True) if s == 0} == {"CYN"}
