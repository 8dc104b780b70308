"""Report tables and figures made from an ensemble."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest
from ensemble_fakes import fake_simulate

from routesim.ensemble import run_ensemble
from routesim.reports import (
    TABLE_METRICS,
    format_observed_table,
    format_summary_table,
    plot_monthly,
)
from routesim.routes import ROUTE_LABELS
from routesim.scenario import load_scenario

CELL = re.compile(r"(\d{1,3}(?:,\d{3})*) \[(\d{1,3}(?:,\d{3})*)–(\d{1,3}(?:,\d{3})*)\]")


@pytest.fixture(scope="module")
def ensemble():
    scenario = load_scenario("baseline-2023", ["scenario.days=70"])
    return run_ensemble(
        scenario,
        replicates=3,
        seed=1,
        scale=25.0,
        workers=1,
        progress=False,
        simulate=fake_simulate,
    )


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_summary_table_has_a_row_per_route_and_a_cell_per_metric(ensemble):
    table = format_summary_table(ensemble.summary())
    lines = table.splitlines()
    assert len(lines) == 2 + len(ROUTE_LABELS) + 1  # heading, rule, routes, all routes
    for heading in TABLE_METRICS.values():
        assert heading in lines[0]
    assert set(lines[1]) == {"-"}
    labels = [*ROUTE_LABELS.values(), "All routes"]
    for label, line in zip(labels, lines[2:], strict=True):
        assert line.startswith(label)
        assert len(CELL.findall(line)) == len(TABLE_METRICS)


def test_summary_table_cells_are_mean_and_band_with_separators(ensemble):
    summary = ensemble.summary().set_index(["route", "metric"])
    table = format_summary_table(ensemble.summary())
    all_line = table.splitlines()[-1]
    mean, low, high = CELL.findall(all_line)[0]  # detections, all routes
    expected = summary.loc[("all", "detections")]
    assert _number(mean) == round(expected["mean"])
    assert (_number(low), _number(high)) == (round(expected["p05"]), round(expected["p95"]))
    assert "," in mean  # thousands separators on numbers of four digits or more
    assert _number(low) <= _number(mean) <= _number(high)


def test_summary_table_columns_line_up(ensemble):
    lines = format_summary_table(ensemble.summary()).splitlines()
    rows = lines[2:]
    starts = [[m.start(1) + len(m.group(1)) for m in CELL.finditer(line)] for line in rows]
    assert all(s == starts[0] for s in starts)  # means end in the same column


def test_plot_monthly_writes_a_png(tmp_path, ensemble):
    path = plot_monthly(ensemble, tmp_path / "monthly.png")
    assert path == tmp_path / "monthly.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000


def test_plot_monthly_handles_a_single_replicate_of_a_few_days(tmp_path):
    scenario = load_scenario("baseline-2023", ["scenario.days=5"])
    one = run_ensemble(scenario, replicates=1, workers=1, progress=False, simulate=fake_simulate)
    assert plot_monthly(one, tmp_path / "one.svg").read_text().lstrip().startswith("<?xml")


def test_import_routesim_does_not_import_matplotlib():
    code = (
        "import sys, routesim, routesim.ensemble, routesim.reports\n"
        "routesim.run_ensemble, routesim.Ensemble\n"
        "assert 'matplotlib' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_summary_table_wraps_columns_into_blocks_that_fit(ensemble):
    summary = ensemble.summary()
    wide = format_summary_table(summary)
    narrow = format_summary_table(summary, width=100)
    assert max(map(len, narrow.splitlines())) <= 100 < max(map(len, wide.splitlines()))
    blocks = narrow.split("\n\n")
    assert len(blocks) > 1
    for block in blocks:
        assert block.splitlines()[-1].startswith("All routes")
    assert sum(len(CELL.findall(line)) for line in narrow.splitlines()) == len(CELL.findall(wide))


def test_observed_table_has_a_row_per_route_with_errors_as_percentages():
    table = pd.DataFrame(
        {
            "detections_sim": [110_000.0] * len(ROUTE_LABELS),
            "detections_p05": [90_000.0] * len(ROUTE_LABELS),
            "detections_p95": [130_000.0] * len(ROUTE_LABELS),
            "detections_obs": [100_000.0] * len(ROUTE_LABELS),
            "detections_error": [0.1] * len(ROUTE_LABELS),
            "monthly_r": [0.75] * len(ROUTE_LABELS),
            "dead_missing_sim": [900.0] * len(ROUTE_LABELS),
            "dead_missing_obs": [1000.0] * len(ROUTE_LABELS),
            "dead_missing_error": [-0.1] * len(ROUTE_LABELS),
        },
        index=pd.Index(list(ROUTE_LABELS), name="route"),
    )
    lines = format_observed_table(table).splitlines()
    assert len(lines) == 2 + len(ROUTE_LABELS)
    for label, line in zip(ROUTE_LABELS.values(), lines[2:], strict=True):
        assert line.startswith(label)
        assert "110,000 [90,000–130,000]" in line
        assert "+10.0%" in line and "-10.0%" in line and line.endswith("0.75")
