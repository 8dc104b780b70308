"""The benchmark's plumbing: fits, targets, medians, report and JSON, the CLI's error paths.

Nothing here checks a timing: the machines are shared, so figures are printed, never
asserted. The one real run is tiny (a few days at large scales).
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from routesim.app.live import TEACHING_SCALE
from routesim.bench.app_step import PARTS, AppStepResult, FrameTimes
from routesim.bench.before import Pair, checkout, format_pairs
from routesim.bench.flee import FleeResult
from routesim.bench.measuring import in_fresh_process, median_of, peak_memory_mb
from routesim.bench.runs import TIMED_FIELDS, BenchResult
from routesim.bench.suite import (
    SCHEMA,
    BenchReport,
    BenchSettings,
    Target,
    fit_growth,
    format_report,
)
from routesim.bench.sweep import SweepBenchResult
from routesim.cli import main
from routesim.errors import RoutesimError

REPORT_KEYS = {
    "schema",
    "machine",
    "settings",
    "runs",
    "scales",
    "scaling",
    "app_step",
    "sweep",
    "flee",
    "targets",
    "before_after",
}


def _run(scale: float, wall: float, peak: float = 500.0) -> BenchResult:
    rows = round(600_000 / scale)
    return BenchResult(
        scenario="baseline-2023",
        scale=scale,
        days=515,
        seed=0,
        wall_seconds=wall,
        setup_seconds=0.3,
        peak_memory_mb=peak,
        people=rows * scale,
        agent_rows=rows,
        events=10_000,
        person_days=3.6e8,
    )


def _flee(agents: int, wall: float) -> FleeResult:
    return FleeResult("3.1", 50, agents, 30, 0, wall, 0.1, 300.0)


def _report(flee: bool = True) -> BenchReport:
    runs = [_run(s, w) for s, w in ((100, 2.0), (50, 2.5), (10, 5.0), (1, 40.0), (1, 44.0))]
    frames = {part: FrameTimes(10.0, 12.0, 15.0) for part in PARTS}
    return BenchReport(
        settings=BenchSettings(scales=(100.0, 10.0, 1.0), repeats=2, flee_agents=(10_000,)),
        machine={"platform": "test", "python": "3.12", "cpus": 2, "load_average_before": [0.1]},
        runs=runs,
        app_step=AppStepResult("baseline-2023", 50.0, 1, 120, 150, 0.9, 150.0, 30.0, 40, frames),
        sweep=SweepBenchResult("baseline-2023", 200, 515, 100.0, 2, 300.0),
        flee_runs=[_flee(10_000, 5.0), _flee(10_000, 3.0)] if flee else [],
    )


def test_growth_exponent_of_power_laws() -> None:
    rows = [1e3, 1e4, 1e5, 1e6]
    linear = fit_growth(rows, [2e-5 * r for r in rows])
    assert linear is not None
    assert linear.exponent == pytest.approx(1.0)
    assert linear.per_million_rows == pytest.approx(20.0)
    assert linear.fixed == pytest.approx(0.0, abs=1e-9)
    assert linear.r_squared == pytest.approx(1.0)
    root = fit_growth(rows, [3 * math.sqrt(r) for r in rows])
    assert root is not None
    assert root.exponent == pytest.approx(0.5)


def test_growth_with_a_fixed_cost_is_linear_but_flatter_in_log_log() -> None:
    rows = [6e3, 6e4, 2e5, 6e5]
    growth = fit_growth(rows, [4.0 + 1e-5 * r for r in rows])
    assert growth is not None
    assert growth.fixed == pytest.approx(4.0)
    assert growth.r_squared == pytest.approx(1.0)
    assert 0 < growth.exponent < 0.9


def test_growth_needs_two_sizes() -> None:
    assert fit_growth([1000.0], [2.0]) is None
    assert fit_growth([1000.0, 1000.0], [2.0, 3.0]) is None


def test_target_status_and_line() -> None:
    assert Target("wall", 59.0, 60.0, "s", at_most=True).status == "PASS"
    assert Target("wall", 61.0, 60.0, "s", at_most=True).status == "FAIL"
    assert Target("ratio", 49.0, 50.0, "x", at_most=False).status == "FAIL"
    skipped = Target("ratio", None, 50.0, "x", at_most=False)
    assert skipped.status == "SKIP"
    assert skipped.line().startswith("SKIP  ratio: not measured")


def test_median_of_repeats_keeps_the_rest() -> None:
    repeats = [_run(1, 40.0, 900.0), _run(1, 50.0, 1000.0), _run(1, 44.0, 950.0)]
    median = median_of(repeats, TIMED_FIELDS)
    assert (median.wall_seconds, median.peak_memory_mb) == (44.0, 950.0)
    assert median.agent_rows == repeats[0].agent_rows


def test_report_medians_scaling_and_targets() -> None:
    report = _report()
    assert [r.scale for r in report.scales] == [100, 50, 10, 1]
    assert report.at_scale(1.0).wall_seconds == 42.0
    assert report.flee[0].wall_seconds == 4.0
    # 3.6e8 person-days in 42 s against 300,000 agent-days in 4 s.
    assert report.flee_ratio() == pytest.approx((3.6e8 / 42) / (300_000 / 4))
    assert {t.name: t.status for t in report.targets()} == {
        "full year at scale 1, wall time": "PASS",
        "full year at scale 1, peak memory": "PASS",
        f"teaching year (scale {TEACHING_SCALE:g}), wall time": "FAIL",
        "person-days/s at scale 1 over Flee's agent-days/s": "PASS",
    }
    assert report.scaling()["time"].exponent > 0


def test_report_table_has_every_section() -> None:
    text = format_report(_report())
    for expected in (
        "medians of 2 repeats",
        "Scaling over 4 scales",
        "time   grows as rows^",
        "App frame at teaching scale",
        "40.0 runs per minute",
        "Flee on a 50-place synthetic network",
        "routesim at scale 1 / Flee's fastest",
        "PASS  full year at scale 1, wall time",
    ):
        assert expected in text


def test_json_document_schema() -> None:
    document = json.loads(json.dumps(_report().as_dict()))
    assert document.keys() == REPORT_KEYS
    assert document["schema"] == SCHEMA
    assert len(document["runs"]) == 5
    assert len(document["scales"]) == 4
    assert {"person_days_per_second", "peak_memory_mb"} <= document["scales"][0].keys()
    assert document["scaling"]["time"].keys() == {
        "exponent",
        "fixed",
        "per_million_rows",
        "r_squared",
    }
    assert document["app_step"]["frames"]["step"]["median_ms"] == 10.0
    assert document["sweep"]["runs_per_minute"] == 40.0
    assert document["flee"]["medians"][0]["agent_days_per_second"] == 75_000
    assert [t["status"] for t in document["targets"]] == ["PASS", "PASS", "FAIL", "PASS"]


def test_json_document_without_flee() -> None:
    document = _report(flee=False).as_dict()
    assert document["flee"] is None
    assert document["targets"][-1]["status"] == "SKIP"


def test_flee_missing_exits_2_with_install_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("routesim.bench.flee.flee_installed", lambda: False)
    assert main(["bench", "--flee"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert 'pip install -e ".[bench]"' in err


def test_odd_sweep_runs_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--sweep-runs", "3"]) == 2
    assert "--sweep-runs must be even" in capsys.readouterr().err


def test_tiny_benchmark_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench" / "bench.json"
    tiny = ["--set", "scenario.days=10", "--set", "parameters.warmup_days=5"]
    args = ["bench", *tiny, "--scales", "400", "--app-days", "2", "--sweep-runs", "2"]
    assert main([*args, "--workers", "1", "--json", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Targets" in captured.out
    assert "[2/2] baseline-2023 full run at scale 50" in captured.err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document.keys() == REPORT_KEYS
    assert [r["scale"] for r in document["scales"]] == [400, TEACHING_SCALE]
    assert all(r["days"] == 15 and r["agent_rows"] > 0 for r in document["runs"])
    assert document["app_step"]["days"] == 2
    assert document["sweep"]["runs"] == 2
    assert document["flee"] is None


def test_tiny_flee_run() -> None:
    pytest.importorskip("flee")
    from routesim.bench.flee import measure_flee

    result = measure_flee(agents=200, days=2, locations=10)
    assert (result.agent_days, result.flee_version) == (400, "3.1")
    assert result.peak_memory_mb > 0


def test_fresh_process_peak_memory_is_its_own() -> None:
    ballast = np.ones(32_000_000)  # 256 MB in this process, touched
    child = in_fresh_process(peak_memory_mb)
    assert 0 < child < ballast.nbytes / 2**20


def test_before_and_after_are_judged_against_the_speed_targets():
    pairs = [
        Pair("year at scale 1", _run(1.0, 6.0, peak=400.0), _run(1.0, 0.9, peak=380.0)),
        Pair("teaching year (scale 50)", _run(50.0, 7.0), _run(50.0, 0.6)),
    ]
    text = format_pairs(pairs, "abc123")
    assert "PASS  year at scale 1: 0.90 s (target <= 1 s)" in text
    assert "PASS  year at scale 1, speed-up: 6.7x (target >= 5x)" in text
    assert "FAIL  teaching year (scale 50): 0.60 s (target <= 0.5 s)" in text
    assert "PASS  year at scale 1, peak memory: 380 MB" in text
    assert "2015-2023" not in text, "a run not measured has no verdict"


def test_the_code_before_is_a_git_revision_extracted_whole(tmp_path):
    tree = checkout("HEAD", tmp_path)
    assert (tree / "routesim" / "model.py").exists()
    assert (tree / "routesim" / "data" / "scenarios" / "baseline-2023.toml").exists()
    with pytest.raises(RoutesimError, match=r"--before no-such-rev: not a revision"):
        checkout("no-such-rev", tmp_path / "other")
