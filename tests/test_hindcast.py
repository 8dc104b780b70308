"""Hindcast scores on ensembles made from the observed figures themselves."""

from __future__ import annotations

import pandas as pd
import pytest
from hindcast_fakes import observed_ensemble

from routesim.cli import main
from routesim.ensemble import Ensemble
from routesim.errors import RoutesimError
from routesim.hindcast import Hindcast, load_observed_partner_interceptions, parse_years
from routesim.routes import ROUTES, SEA_ROUTES

YEARS = (2019, 2021)


def _ensemble(factors: tuple[float, ...]) -> Ensemble:
    return observed_ensemble(YEARS, factors)


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
    facts = pd.read_csv(paths["facts"])
    assert set(facts["metric"]) == {"sea_interceptions", "partner_interceptions"}


def test_partner_interceptions_at_sea_leave_out_departures_prevented_on_land():
    ensemble = _ensemble((1.0,))
    observed = load_observed_partner_interceptions()
    observed = observed[observed["year"].between(*YEARS)]
    daily = ensemble.daily.set_index(["date", "route"])
    for row in observed.itertuples():
        new_year = (pd.Timestamp(f"{row.year}-01-01"), row.route)
        daily.loc[new_year, "departures_prevented"] = 1000.0
        daily.loc[new_year, "partner_interceptions"] = row.sea_interceptions + 1000.0
    ensemble = Ensemble(ensemble.scenario, 0, ensemble.seeds, ensemble.scale, daily.reset_index())
    facts = Hindcast(ensemble, YEARS).facts().set_index("metric")
    assert sorted(set(facts["route"])) == ["central_med", "eastern_med"]
    assert len(facts.loc["sea_interceptions"]) == len(observed) == 2 * 3
    at_sea, all_ = facts.loc["sea_interceptions"], facts.loc["partner_interceptions"]
    assert (at_sea["sim_mean"] == at_sea["observed"]).all()
    assert (all_["sim_mean"] == all_["observed"] + 1000).all()


@pytest.mark.parametrize("text", ["2014-2016", "2020-2019", "x", "2019-2030"])
def test_years_outside_the_observed_ones_are_refused(text):
    with pytest.raises(RoutesimError, match="--years"):
        parse_years(text)


def test_the_command_refuses_bad_years_in_one_line(capsys):
    assert main(["hindcast", "--years", "2012-2013"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
