"""Hindcast scores on ensembles made from the observed figures themselves."""

from __future__ import annotations

import pandas as pd
import pytest

from routesim.cli import main
from routesim.ensemble import Ensemble
from routesim.errors import RoutesimError
from routesim.hindcast import Hindcast, load_observed_history, parse_years
from routesim.outcomes import METRICS
from routesim.routes import ROUTES, SEA_ROUTES
from routesim.scenario import load_scenario

YEARS = (2019, 2021)


def _ensemble(factors: tuple[float, ...]) -> Ensemble:
    """Replicates that put `factor` times each observed month on the month's first day."""
    observed = load_observed_history()
    observed = observed[observed["month"].dt.year.between(*YEARS)]
    days = pd.date_range(f"{YEARS[0]}-01-01", f"{YEARS[1]}-12-31", freq="D")
    frames = []
    for replicate, factor in enumerate(factors):
        grid = pd.MultiIndex.from_product([days, ROUTES], names=["date", "route"])
        daily = pd.DataFrame(0.0, index=grid, columns=list(METRICS))
        for metric in ("detections", "dead_missing"):
            values = observed.set_index(["month", "route"])[metric] * factor
            daily.loc[values.index, metric] = values.to_numpy()
        daily = daily.reset_index()
        daily.insert(0, "day", (daily["date"] - days[0]).dt.days)
        daily.insert(0, "seed", replicate)
        daily.insert(0, "replicate", replicate)
        frames.append(daily)
    scenario = load_scenario(
        "history-2015-2023", [f"scenario.start={YEARS[0]}-01-01", f"scenario.days={len(days)}"]
    )
    return Ensemble(scenario, 0, tuple(range(len(factors))), 10.0, pd.concat(frames))


def test_a_simulation_equal_to_the_observed_scores_perfectly():
    hindcast = Hindcast(_ensemble((0.9, 1.1)), YEARS)
    table = hindcast.table()
    assert set(table.columns) == {
        "year", "route", "metric", "sim_mean", "sim_p05", "sim_p95", "observed",
    }  # fmt: skip
    assert len(table) == 2 * len(ROUTES) * 3
    assert hindcast.ard("detections") == pytest.approx(0.0, abs=1e-9)
    right, total = hindcast.directions("detections")
    assert right == total == 2 * len(ROUTES)
    assert hindcast.within(0.35, "dead_missing") == (3 * len(SEA_ROUTES),) * 2
    assert (hindcast.monthly_correlation() > 0.999).all()


def test_twice_the_observed_is_an_ard_of_one_and_bands_hold_the_replicates():
    hindcast = Hindcast(_ensemble((1.5, 2.5)), YEARS)
    assert hindcast.ard("detections") == pytest.approx(1.0)
    table = hindcast.table()
    assert (table["sim_p05"] <= table["sim_mean"]).all()
    assert (table["sim_mean"] <= table["sim_p95"]).all()
    assert hindcast.within(0.35, "dead_missing")[0] == 0


def test_the_plot_and_table_are_written(tmp_path):
    paths = Hindcast(_ensemble((1.0,)), YEARS).write(tmp_path)
    assert paths["plot"].stat().st_size > 10_000
    assert pd.read_csv(paths["table"])["observed"].notna().all()


@pytest.mark.parametrize("text", ["2014-2016", "2020-2019", "x", "2019-2030"])
def test_years_outside_the_observed_ones_are_refused(text):
    with pytest.raises(RoutesimError, match="--years"):
        parse_years(text)


def test_the_command_refuses_bad_years_in_one_line(capsys):
    assert main(["hindcast", "--years", "2012-2013"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
