"""The app's SVG charts: scales and ticks."""

import re

import pytest

from routesim.app.svgplot import Frame, Series, line_panel, nice_ticks, short_number


@pytest.mark.parametrize(
    ("high", "ticks"),
    [
        (7, [0, 2, 4, 6, 8]),
        (100, [0, 25, 50, 75, 100]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (1234, [0, 500, 1000, 1500]),
        (0, [0, 1]),
        (float("nan"), [0, 1]),
    ],
)
def test_ticks_are_round_and_reach_the_top(high, ticks):
    assert nice_ticks(high) == pytest.approx(ticks)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1500, "1,500"), (12_000, "12,000"), (2_500_000, "2,500,000"), (0.5, "0.5")],
)
def test_labels_write_every_number_the_same_way(value, text):
    assert short_number(value) == text


def test_a_line_spans_the_plot_area_from_axis_to_top_tick():
    frame = Frame(width=200, height=100, left=20, right=10, top=10, bottom=10)
    svg = line_panel(
        "t", [Series("a", "#000", [0, 10], [0, 8])], (0, 10), [(0, "0"), (10, "10")], frame=frame
    )
    points = re.search(r'points="([^"]+)"', svg)
    assert points, svg
    (x0, y0), (x1, y1) = (tuple(map(float, p.split(","))) for p in points.group(1).split())
    assert (x0, x1) == pytest.approx((20, 190))
    # 8 is the top tick (0, 2, 4, 6, 8): the line ends at the top of the plot area.
    assert (y0, y1) == pytest.approx((90, 10))
