"""Small line and bar charts drawn directly as SVG text.

The app redraws its charts while the simulation plays; building a few hundred SVG
elements as a string takes about a millisecond, where a matplotlib figure takes
half a second. Only what the app's charts need is here: line panels with a shared
time axis and horizontal bar panels, with nice ticks, a title and hover titles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

FONT = "font-family:Roboto,Helvetica,Arial,sans-serif"


@dataclass(frozen=True)
class Series:
    """One line: x and y values, a colour, and whether it is dashed."""

    label: str
    colour: str
    xs: Sequence[float]
    ys: Sequence[float]
    dashed: bool = False
    width: float = 1.8


@dataclass(frozen=True)
class Bars:
    """One set of horizontal bars, one value per category."""

    label: str
    values: Sequence[float]
    colours: Sequence[str]
    hatched: bool = False
    show_values: bool = True


@dataclass(frozen=True)
class Frame:
    """Size of a panel and its plotting margins, in pixels."""

    width: float = 460
    height: float = 210
    left: float = 52
    right: float = 12
    top: float = 26
    bottom: float = 24
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def plot_width(self) -> float:
        """Width of the plotting area."""
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        """Height of the plotting area."""
        return self.height - self.top - self.bottom


def nice_ticks(high: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `high`."""
    if not high > 0 or not math.isfinite(high):
        return [0.0, 1.0]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(math.ceil(high / step - 1e-9)) + 1)]


def short_number(value: float) -> str:
    """A compact tick label: 1,500 or 12k or 1.2M."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:,.0f}k"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def line_panel(
    title: str,
    series: Sequence[Series],
    x_range: tuple[float, float],
    x_ticks: Sequence[tuple[float, str]],
    *,
    y_label: str = "",
    frame: Frame | None = None,
    css_class: str = "",
) -> str:
    """A line chart as an SVG element.

    Args:
        title: Title drawn at the top left.
        series: The lines.
        x_range: Lowest and highest x shown.
        x_ticks: Tick positions and their labels.
        y_label: Label of the y axis.
        frame: Size and margins.
        css_class: Class of the ``<svg>`` element.

    Returns:
        The SVG text.
    """
    f = frame or Frame()
    high = max((max(s.ys, default=0.0) for s in series), default=0.0)
    ticks = nice_ticks(high)
    y_top = ticks[-1]
    x0, x1 = x_range

    def px(x: float) -> float:
        return f.left + (x - x0) / (x1 - x0) * f.plot_width

    def py(y: float) -> float:
        return f.top + f.plot_height * (1 - y / y_top)

    parts = [_title(title, f)]
    for tick in ticks:
        y = py(tick)
        parts.append(
            f'<line x1="{f.left}" x2="{f.left + f.plot_width}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e3e3e3"/><text x="{f.left - 5}" y="{y + 3.5:.1f}" text-anchor="end" '
            f'font-size="10" fill="#555">{short_number(tick)}</text>'
        )
    for x, label in x_ticks:
        parts.append(
            f'<text x="{px(x):.1f}" y="{f.height - 8}" text-anchor="middle" font-size="10" '
            f'fill="#555">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{f.left}" x2="{f.left + f.plot_width}" y1="{py(0):.1f}" y2="{py(0):.1f}" '
        f'stroke="#888"/>'
    )
    if y_label:
        cy = f.top + f.plot_height / 2
        parts.append(
            f'<text transform="translate(11,{cy:.0f}) rotate(-90)" text-anchor="middle" '
            f'font-size="10" fill="#555">{escape(y_label)}</text>'
        )
    for s in series:
        if not len(s.xs):
            continue
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(s.xs, s.ys, strict=True))
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="{s.width}" '
            f'stroke-linejoin="round"{dash}><title>{escape(s.label)}</title></polyline>'
        )
    return _svg(parts, f, css_class)


def bar_panel(
    title: str,
    categories: Sequence[str],
    bars: Sequence[Bars],
    *,
    frame: Frame | None = None,
    css_class: str = "",
) -> str:
    """A horizontal bar chart, bar sets side by side within each category, as SVG.

    Args:
        title: Title drawn at the top left.
        categories: Category labels, top to bottom.
        bars: Bar sets; each has one value per category.
        frame: Size and margins (the left margin holds the category labels).
        css_class: Class of the ``<svg>`` element.

    Returns:
        The SVG text.
    """
    f = frame or Frame(left=150, right=56)
    high = max((max(b.values, default=0.0) for b in bars), default=0.0)
    ticks = nice_ticks(high)
    x_top = ticks[-1]
    band = f.plot_height / max(1, len(categories))
    thickness = band * 0.75 / max(1, len(bars))

    def px(x: float) -> float:
        return f.left + x / x_top * f.plot_width

    parts = [_title(title, f), _hatch_pattern()]
    for tick in ticks:
        x = px(tick)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{f.top}" y2="{f.top + f.plot_height}" '
            f'stroke="#e3e3e3"/><text x="{x:.1f}" y="{f.height - 8}" text-anchor="middle" '
            f'font-size="10" fill="#555">{short_number(tick)}</text>'
        )
    for i, category in enumerate(categories):
        y = f.top + i * band
        parts.append(
            f'<text x="{f.left - 6}" y="{y + band / 2 + 3.5:.1f}" text-anchor="end" '
            f'font-size="11" fill="#333">{escape(category)}</text>'
        )
        for j, b in enumerate(bars):
            value = float(b.values[i])
            top = y + band * 0.125 + j * thickness
            width = max(0.0, px(value) - f.left)
            colour = b.colours[i % len(b.colours)]
            fill = "url(#hatch)" if b.hatched else colour
            stroke = f' stroke="{colour}"' if b.hatched else ""
            parts.append(
                f'<rect x="{f.left}" y="{top:.1f}" width="{width:.1f}" height="{thickness:.1f}" '
                f'fill="{fill}"{stroke}><title>{escape(b.label)}: {value:,.0f}</title></rect>'
            )
            if b.show_values:
                parts.append(
                    f'<text x="{f.left + width + 4:.1f}" y="{top + thickness / 2 + 3.5:.1f}" '
                    f'font-size="10" fill="#333">{value:,.0f}</text>'
                )
    return _svg(parts, f, css_class)


def _title(title: str, f: Frame) -> str:
    return f'<text x="4" y="15" font-size="13" font-weight="500" fill="#222">{escape(title)}</text>'


def _hatch_pattern() -> str:
    return (
        '<defs><pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#444" stroke-width="1.2"/></pattern></defs>'
    )


def _svg(parts: list[str], f: Frame, css_class: str) -> str:
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in f.extra.items())
    return (
        f'<svg class="{css_class}" viewBox="0 0 {f.width:.0f} {f.height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg" style="width:100%;height:auto;{FONT}"{attrs}>'
        + "".join(parts)
        + "</svg>"
    )
