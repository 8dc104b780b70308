"""The app's parts without a browser: charts add up, the map draws what the model holds."""

from __future__ import annotations

import datetime as dt

import pytest

from routesim.app.assets import PACKAGES, missing_assets
from routesim.app.charts import observed_to_date, weekly
from routesim.app.controls import slider_step, tooltip_text
from routesim.app.live import LiveRun, LiveSettings
from routesim.app.map import map_layers
from routesim.boats import Boat
from routesim.levers import THEMES, lever_specs
from routesim.observed import load_observed
from routesim.routes import ROUTES


@pytest.fixture(scope="module")
def run() -> LiveRun:
    live = LiveRun(LiveSettings(scale=100))
    live.advance(23)
    return live


def test_weekly_sums_complete_weeks_only(run: LiveRun) -> None:
    daily = run.daily()
    table = weekly(daily, ("detections",))
    assert list(table.index) == [0, 7, 14]  # days 21-22 are an unfinished week
    first_weeks = daily[daily["day"] < 21].groupby("route")["detections"].sum()
    assert table.sum().to_dict() == pytest.approx(first_weeks.reindex(ROUTES).to_dict())


def test_observed_to_date_covers_the_year() -> None:
    observed = load_observed()
    route = "central_med"
    assert observed_to_date(observed, route, dt.date(2023, 12, 31)) == pytest.approx(
        observed.detections_total(route)
    )
    assert observed_to_date(observed, route, dt.date(2023, 1, 31)) == pytest.approx(
        observed.detections[route][0]
    )
    half_feb = observed_to_date(observed, route, dt.date(2023, 2, 14))
    assert half_feb == pytest.approx(
        observed.detections[route][0] + observed.detections[route][1] / 2
    )


def test_map_overlay_draws_every_boat_on_the_map(run: LiveRun) -> None:
    layers = map_layers(run.model.geography, None)
    overlay = layers.overlay(run.model)
    boats = [
        b
        for b in run.model.agents_by_type.get(Boat, [])
        if layers.projection.contains(*b.position())
    ]
    assert boats
    assert overlay.count('class="boat"') == len(boats)
    assert overlay.count('class="guard"') > 0 and overlay.count('class="rescue"') > 0
    one = map_layers(run.model.geography, "central_med").overlay(run.model)
    assert one.count('class="boat"') == sum(1 for b in boats if b.crossing.route == "central_med")


def test_lever_change_restarts_with_the_new_value() -> None:
    name = "levers.ngo_vessels"
    changed = LiveSettings().with_lever(name, 0.0)
    assert changed.overrides == ((name, 0.0),) and not changed.is_baseline
    assert changed.resolve().levers.ngo_vessels == 0
    spec = next(s for s in lever_specs() if s.name == name)
    assert changed.with_lever(name, spec.default).overrides == ()


def test_every_lever_has_a_theme_panel_step_and_tooltip() -> None:
    for spec in lever_specs():
        assert spec.theme in THEMES
        step = slider_step(spec)
        assert 0 < step <= (spec.high - spec.low)
        assert spec.unit in tooltip_text(spec) and spec.passage in tooltip_text(spec)


def test_missing_assets_lists_what_is_not_unpacked(tmp_path) -> None:
    assert missing_assets(tmp_path) == list(PACKAGES)
    (tmp_path / PACKAGES[0]).mkdir(parents=True)
    (tmp_path / PACKAGES[0] / "package.json").write_text("{}")
    assert missing_assets(tmp_path) == list(PACKAGES[1:])
