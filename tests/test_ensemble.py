"""Ensemble runner: seeds, determinism, summaries, files and the `routesim run` command."""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import pytest
from ensemble_fakes import failing_simulate, fake_daily_table, fake_simulate

from routesim.cli import main
from routesim.ensemble import Ensemble, replicate_seeds, run_ensemble
from routesim.outcomes import FLOW_METRICS, METRICS
from routesim.reports import OUTPUT_FILES, write_ensemble
from routesim.routes import ROUTES
from routesim.scenario import load_scenario
from routesim.scoring import observed_check

# Files of a run that is not a whole observed year (no observed check).
PART_YEAR_FILES = {key: name for key, name in OUTPUT_FILES.items() if key != "observed"}

SUMMARY_ROUTES = [*ROUTES, "all"]


@pytest.fixture(scope="module")
def scenario():
    # 40 days from 1 January: one full month and a partial one.
    return load_scenario("baseline-2023", ["scenario.days=40"])


@pytest.fixture(scope="module")
def ensemble(scenario) -> Ensemble:
    return run_ensemble(
        scenario, replicates=4, seed=7, scale=3.0, workers=1, progress=False, simulate=fake_simulate
    )


def _fake_run(scenario, replicates: int, workers: int, seed: int = 7) -> Ensemble:
    return run_ensemble(
        scenario,
        replicates=replicates,
        seed=seed,
        scale=3.0,
        workers=workers,
        progress=False,
        simulate=fake_simulate,
    )


# --- seeds and determinism ----------------------------------------------------------------


def test_replicate_seeds_do_not_depend_on_the_number_of_replicates():
    assert replicate_seeds(5, 3)[:2] == replicate_seeds(5, 2)
    assert len(set(replicate_seeds(5, 50))) == 50
    assert replicate_seeds(5, 2) != replicate_seeds(6, 2)


def test_same_seed_gives_identical_daily_tables(scenario, ensemble):
    again = _fake_run(scenario, replicates=4, workers=1)
    pd.testing.assert_frame_equal(ensemble.daily, again.daily)


def test_workers_do_not_change_results(scenario, ensemble):
    parallel = _fake_run(scenario, replicates=4, workers=2)
    assert parallel.seeds == ensemble.seeds
    pd.testing.assert_frame_equal(ensemble.daily, parallel.daily)


def test_an_ensemble_on_a_dask_cluster_is_the_ensemble_run_here(scenario, ensemble):
    dask = run_ensemble(
        scenario,
        replicates=4,
        seed=7,
        scale=3.0,
        workers=2,
        progress=False,
        simulate=fake_simulate,
        scheduler="local",
    )
    pd.testing.assert_frame_equal(ensemble.daily, dask.daily)


def test_cli_run_refuses_a_bad_scheduler_address_in_one_line(capsys):
    assert main(["run", "--scheduler", "tcp://host:99999", "--replicates", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--scheduler 'tcp://host:99999'" in err


def test_replicate_k_is_the_same_in_ensembles_of_two_and_three(scenario):
    two = _fake_run(scenario, replicates=2, workers=1)
    three = _fake_run(scenario, replicates=3, workers=2)
    assert three.seeds[:2] == two.seeds
    pd.testing.assert_frame_equal(three.daily[three.daily["replicate"] < 2], two.daily)


def test_bad_arguments_are_refused(scenario):
    for bad in ({"replicates": 0}, {"seed": -1}, {"scale": 0.0}, {"workers": 0}):
        with pytest.raises(ValueError):
            run_ensemble(scenario, progress=False, simulate=fake_simulate, **bad)


# --- tables -------------------------------------------------------------------------------


def test_daily_table_labels_every_row_with_replicate_and_seed(scenario, ensemble):
    daily = ensemble.daily
    assert list(daily.columns[:5]) == ["replicate", "seed", "day", "date", "route"]
    assert len(daily) == 4 * scenario.scenario.days * len(ROUTES)
    seeds = daily.groupby("replicate")["seed"].unique()
    assert [int(s[0]) for s in seeds] == list(ensemble.seeds)


def test_summary_shape_and_columns(ensemble):
    summary = ensemble.summary()
    assert list(summary.columns) == ["route", "metric", "mean", "p05", "p95"]
    assert len(summary) == len(SUMMARY_ROUTES) * len(METRICS)
    assert list(dict.fromkeys(summary["route"])) == SUMMARY_ROUTES
    for _, group in summary.groupby("route", sort=False):
        assert list(group["metric"]) == list(METRICS)


def test_band_contains_the_mean(ensemble):
    summary = ensemble.summary()
    assert (summary["p05"] <= summary["mean"] + 1e-9).all()
    assert (summary["mean"] <= summary["p95"] + 1e-9).all()


def test_all_routes_sum_flows_and_people_stocks(ensemble):
    totals = ensemble.per_replicate()
    by_route = totals[totals["route"] != "all"].groupby("replicate")
    everything = totals[totals["route"] == "all"].set_index("replicate")
    summed = [*FLOW_METRICS, "waiting", "at_sea"]
    pd.testing.assert_frame_equal(
        everything[summed], by_route[summed].sum(), check_names=False, check_exact=False
    )
    summary = ensemble.summary().set_index(["route", "metric"])
    for metric in FLOW_METRICS:
        route_means = sum(summary.at[(r, metric), "mean"] for r in ROUTES)
        assert summary.at[("all", metric), "mean"] == pytest.approx(route_means)


def test_all_routes_price_is_the_departure_weighted_mean(ensemble):
    totals = ensemble.per_replicate()
    for _, rows in totals.groupby("replicate"):
        routes = rows[rows["route"] != "all"]
        expected = np.average(routes["price"], weights=routes["departures"])
        assert rows.loc[rows["route"] == "all", "price"].item() == pytest.approx(expected)


def test_flows_are_summed_and_stocks_averaged_over_days(ensemble):
    daily = ensemble.daily
    one = daily[(daily["replicate"] == 2) & (daily["route"] == "western_med")]
    totals = ensemble.per_replicate()
    row = totals[(totals["replicate"] == 2) & (totals["route"] == "western_med")].iloc[0]
    assert row["detections"] == pytest.approx(one["detections"].sum())
    assert row["waiting"] == pytest.approx(one["waiting"].mean())


def test_monthly_table(scenario, ensemble):
    monthly = ensemble.monthly()
    assert list(monthly.columns[:4]) == ["replicate", "month", "route", "days"]
    assert list(monthly.columns[4:]) == list(METRICS)
    assert len(monthly) == 4 * 2 * len(ROUTES)  # January and 9 days of February
    assert sorted(monthly["days"].unique()) == [9, 31]
    assert monthly["detections"].sum() == pytest.approx(ensemble.daily["detections"].sum())


# --- files --------------------------------------------------------------------------------


def test_write_produces_every_file(tmp_path, scenario, ensemble):
    written = write_ensemble(ensemble, tmp_path / "nested" / "out")
    assert set(written) == set(PART_YEAR_FILES)
    assert all(path.is_file() and path.stat().st_size > 0 for path in written.values())
    folder = written["daily"].parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(PART_YEAR_FILES.values())

    daily = pd.read_parquet(written["daily"])
    pd.testing.assert_frame_equal(daily, ensemble.daily, check_dtype=False)
    summary = pd.read_csv(written["summary"])
    pd.testing.assert_frame_equal(summary, ensemble.summary(), check_dtype=False)
    assert load_scenario(written["config"]) == scenario
    run = tomllib.loads(written["run"].read_text())["run"]
    assert run["seed"] == 7
    assert run["replicates"] == 4
    assert run["scale"] == 3.0
    assert run["replicate_seeds"] == list(ensemble.seeds)
    assert run["routesim_version"]
    assert written["monthly"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_interrupted_write_leaves_earlier_files_whole(tmp_path, ensemble, monkeypatch):
    written = write_ensemble(ensemble, tmp_path)
    before = {key: path.read_bytes() for key, path in written.items()}

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("routesim.reports.plot_monthly", fail)
    with pytest.raises(KeyboardInterrupt):
        write_ensemble(ensemble, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(PART_YEAR_FILES.values())
    assert {key: path.read_bytes() for key, path in written.items()} == before


# --- the real model -----------------------------------------------------------------------


def test_real_model_is_deterministic_across_runs_and_workers():
    pytest.importorskip("routesim.model", reason="routesim.model is not written yet")
    scenario = load_scenario("baseline-2023", ["scenario.days=15"])
    kwargs = {"replicates": 2, "seed": 3, "scale": 200.0, "progress": False}
    sequential = run_ensemble(scenario, workers=1, **kwargs)
    again = run_ensemble(scenario, workers=1, **kwargs)
    parallel = run_ensemble(scenario, workers=2, **kwargs)
    pd.testing.assert_frame_equal(sequential.daily, again.daily)
    pd.testing.assert_frame_equal(sequential.daily, parallel.daily)
    assert sequential.daily["departures"].sum() > 0


def test_cli_run_writes_every_file(tmp_path, capsys):
    pytest.importorskip("routesim.model", reason="routesim.model is not written yet")
    out = tmp_path / "run"
    status = main(
        [
            "run",
            "--set",
            "scenario.days=20",
            "--replicates",
            "2",
            "--scale",
            "200",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert sorted(p.name for p in out.iterdir()) == sorted(PART_YEAR_FILES.values())
    assert "Central Mediterranean" in captured.out
    assert "All routes" in captured.out
    for name in PART_YEAR_FILES.values():
        assert str(out / name) in captured.out


def test_cli_run_defaults_to_out_named_after_the_scenario(tmp_path, monkeypatch, capsys):
    # The fake model runs in this process (--workers 1), so patching reaches it.
    monkeypatch.setattr("routesim.ensemble.daily_table", fake_daily_table)
    monkeypatch.chdir(tmp_path)
    status = main(["run", "--set", "scenario.days=20", "--replicates", "2", "--workers", "1"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    out = tmp_path / "out" / "baseline-2023"
    assert sorted(p.name for p in out.iterdir()) == sorted(PART_YEAR_FILES.values())
    assert tomllib.loads((out / "run.toml").read_text())["run"]["scale"] == 10.0


def test_cli_run_of_the_observed_year_checks_it_against_the_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("routesim.ensemble.daily_table", fake_daily_table)
    out = tmp_path / "year"
    status = main(["run", "--replicates", "2", "--workers", "1", "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "against the observed 2023 figures" in captured.out
    table = pd.read_csv(out / "observed.csv", index_col="route")
    assert list(table.index) == list(ROUTES)
    assert table.at["central_med", "detections_obs"] == 158_026
    assert {"detections_error", "dead_missing_error", "monthly_r"} <= set(table.columns)
    assert str(out / "observed.csv") in captured.out


def test_writing_a_whole_observed_year_from_python_writes_its_check(tmp_path, monkeypatch):
    monkeypatch.setattr("routesim.ensemble.daily_table", fake_daily_table)
    year = run_ensemble(load_scenario("baseline-2023"), replicates=2, workers=1, progress=False)
    written = write_ensemble(year, tmp_path)
    assert set(written) == set(OUTPUT_FILES)
    table = pd.read_csv(written["observed"], index_col="route")
    pd.testing.assert_frame_equal(table, observed_check(year), check_dtype=False)


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--set", "levers.no_such_lever=1"],
        ["run", "--set", "scenario.days=0"],
        ["run", "--set", "nonsense"],
    ],
)
def test_cli_run_bad_set_is_one_line_and_status_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("routesim: error: ")
    assert err.count("\n") == 1


def test_cli_run_bad_numbers_exit_2(capsys):
    for argv in (["run", "--replicates", "0"], ["run", "--scale", "-1"], ["run", "--seed", "x"]):
        assert main(argv) == 2
    assert "--replicates" in capsys.readouterr().err


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_replicate_raises_its_own_error(scenario, workers):
    with pytest.raises(RuntimeError, match="failed"):
        run_ensemble(
            scenario, replicates=3, workers=workers, progress=False, simulate=failing_simulate
        )
