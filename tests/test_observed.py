"""Observed figures: which runs can be checked against them."""

import datetime as dt

import pytest

from routesim.observed import load_observed, observed_year
from routesim.routes import ROUTES


def test_the_2023_figures_cover_every_route_and_month():
    observed = load_observed(2023)
    assert set(observed.detections) == set(ROUTES) == set(observed.dead_missing)
    assert observed.detections_total("central_med") == 158_026


@pytest.mark.parametrize(
    ("start", "days", "year"),
    [
        (dt.date(2023, 1, 1), 365, 2023),
        (dt.date(2023, 1, 1), 364, None),  # a day short
        (dt.date(2023, 5, 1), 365, None),  # a year, but not a calendar year
        (dt.date(2031, 1, 1), 365, None),  # nothing observed
    ],
)
def test_only_a_whole_observed_calendar_year_is_checked(start, days, year):
    assert observed_year(start, days) == year
