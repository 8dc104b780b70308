"""Small line and bar charts drawn directly as SVG text.

The app redraws its charts while the simulation plays; building a few hundred SVG
elements as a string takes about a millisecond, where a matplotlib figure takes
half a second. Only what the app's charts need is here: line panels with a shared
time axis (with shaded bands) and horizontal bar panels (with whiskers), with nice
ticks, a title and hover titles, and links that download a chart as CSV or PNG.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

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
    opacity: float = 1.0


@dataclass(frozen=True)
class Band:
    """A shaded range between a low and a high line, sharing x values."""

    label: str
    colour: str
    xs: Sequence[float]
    lows: Sequence[float]
    highs: Sequence[float]


@dataclass(frozen=True)
class Mark:
    """A dated event: a thin vertical line at `x` with a short label and a hover title.

    Two kinds of event share a panel: `low` marks have their labels along the plot's
    bottom instead of its top, so that neither kind's labels run into the other's.
    """

    x: float
    label: str
    title: str
    colour: str = "#444"
    dash: str = "3 2"
    low: bool = False


#: Marks closer than this (in the panel's pixels) share one label, "first–last".
MARK_LABEL_GAP = 16


@dataclass(frozen=True)
class Bars:
    """One set of horizontal bars, one value per category."""

    label: str
    values: Sequence[float]
    colours: Sequence[str]
    hatched: bool = False
    show_values: bool = True
    #: A range drawn as a whisker on each bar (low, high per category), or None.
    ranges: Sequence[tuple[float, float]] | None = None


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


def nice_ticks(high: float, count: int = 4, low: float = 0.0) -> list[float]:
    """Round tick values from 0 (or below, down to `low`) to at least `high`."""
    span = high - low
    if not span > 0 or not math.isfinite(span):
        return [0.0, 1.0]
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9)
    return [(first + i) * step for i in range(int(math.ceil(high / step - 1e-9)) - first + 1)]


def short_number(value: float) -> str:
    """A tick or value label, as every number in the app is written: 1,500 or 12,000.

    One format throughout: "20k" on an axis beside "5,000" in a note read as two
    different kinds of number.
    """
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
    bands: Sequence[Band] = (),
    empty_note: str = "",
    marks: Sequence[Mark] = (),
    y_at_least: float = 0.0,
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
        bands: Shaded ranges, drawn under the lines.
        empty_note: Written across the plot while no line or band has a value above
            zero, so an empty chart says why rather than showing a bare 0-1 axis.
        marks: Dated events, drawn over the lines (see `Mark`); those outside
            `x_range` are left out.
        y_at_least: The y axis reaches at least this high (to keep one scale across
            runs); it still grows to fit the lines.

    Returns:
        The SVG text.
    """
    f = frame or Frame()
    high = max(
        [max(s.ys, default=0.0) for s in series] + [max(b.highs, default=0.0) for b in bands],
        default=0.0,
    )
    # Differences go below zero; counts never do, so their axis starts at zero.
    low = min(
        [min(s.ys, default=0.0) for s in series] + [min(b.lows, default=0.0) for b in bands],
        default=0.0,
    )
    ticks = nice_ticks(max(high, y_at_least), low=min(0.0, low))
    y0, y_top = ticks[0], ticks[-1]
    x0, x1 = x_range

    def px(x: float) -> float:
        return f.left + (x - x0) / (x1 - x0) * f.plot_width

    def py(y: float) -> float:
        return f.top + f.plot_height * (1 - (y - y0) / (y_top - y0))

    parts = [_title(title, f)]
    for tick in ticks:
        y = py(tick)
        parts.append(
            f'<line x1="{f.left}" x2="{f.left + f.plot_width}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e3e3e3"/><text x="{f.left - 5}" y="{y + 3.5:.1f}" text-anchor="end" '
            f'font-size="10" fill="#555">{short_number(tick)}</text>'
        )
    bottom = f.top + f.plot_height
    for x, label in x_ticks:
        parts.append(
            f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{bottom}" y2="{bottom + 4}" '
            f'stroke="#888"/><text class="x-tick" x="{px(x):.1f}" y="{f.height - 8}" '
            f'text-anchor="middle" font-size="10" fill="#555">{escape(label)}</text>'
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
    for b in bands:
        if not len(b.xs):
            continue
        upper = [f"{px(x):.1f},{py(y):.1f}" for x, y in zip(b.xs, b.highs, strict=True)]
        lower = [f"{px(x):.1f},{py(y):.1f}" for x, y in zip(b.xs, b.lows, strict=True)]
        parts.append(
            f'<polygon class="band" points="{" ".join(upper + lower[::-1])}" fill="{b.colour}" '
            f'fill-opacity="0.16" stroke="none"><title>{escape(b.label)}</title></polygon>'
        )
    for s in series:
        if not len(s.xs):
            continue
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(s.xs, s.ys, strict=True))
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        fade = f' stroke-opacity="{s.opacity:g}"' if s.opacity < 1 else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="{s.width}" '
            f'stroke-linejoin="round"{dash}{fade}><title>{escape(s.label)}</title></polyline>'
        )
    parts += _marks([(px(m.x), m) for m in marks if x0 <= m.x <= x1], f)
    if empty_note and not high > 0:
        parts.append(
            f'<text class="empty-note" x="{f.left + f.plot_width / 2:.1f}" '
            f'y="{f.top + f.plot_height / 2:.1f}" text-anchor="middle" font-size="12" '
            f'fill="#555">{escape(empty_note)}</text>'
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
    high = (
        max(max(list(b.values) + [h for _, h in b.ranges or ()], default=0.0) for b in bars)
        if bars
        else 0.0
    )
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
            end = width
            if b.ranges is not None:
                low, high_i = b.ranges[i]
                mid = top + thickness / 2
                end = max(width, px(high_i) - f.left)
                parts.append(
                    f'<path class="whisker" d="M{px(low):.1f},{mid:.1f}H{px(high_i):.1f}'
                    f'M{px(low):.1f},{mid - 3:.1f}v6M{px(high_i):.1f},{mid - 3:.1f}v6" '
                    f'stroke="#111" stroke-width="1.2" fill="none"><title>{escape(b.label)}: '
                    f"range {low:,.0f} to {high_i:,.0f}</title></path>"
                )
            if b.show_values:
                parts.append(
                    f'<text x="{f.left + end + 4:.1f}" y="{top + thickness / 2 + 3.5:.1f}" '
                    f'font-size="10" fill="#333">{value:,.0f}</text>'
                )
    return _svg(parts, f, css_class)


def _marks(placed: list[tuple[float, Mark]], f: Frame) -> list[str]:
    """Event lines, each with its title on hover, and their labels along the plot's edge.

    Events days apart on a long axis fall on the same pixels: consecutive marks closer
    than `MARK_LABEL_GAP` share one label, and neighbouring labels alternate between two
    rows so that a wide shared label does not cover the next.
    """
    parts = []
    bottom = f.top + f.plot_height
    for x, mark in placed:
        line = f'x1="{x:.1f}" x2="{x:.1f}" y1="{f.top}" y2="{bottom}"'
        # The visible line is thin; a wider transparent one over it catches the pointer.
        parts.append(
            f'<g class="event-mark{" low" * mark.low}"><line {line} stroke="{mark.colour}" '
            f'stroke-width="0.8" stroke-dasharray="{mark.dash}"/><line {line} '
            f'stroke="transparent" stroke-width="7"><title>{escape(mark.title)}</title></line></g>'
        )
    for low in (False, True):
        groups: list[list[tuple[float, Mark]]] = []
        for x, mark in placed:
            if mark.low != low:
                continue
            if groups and x - groups[-1][0][0] < MARK_LABEL_GAP:
                groups[-1].append((x, mark))
            else:
                groups.append([(x, mark)])
        for row, group in enumerate(groups):
            first = group[0][1]
            label = first.label + (f"–{group[-1][1].label}" if len(group) > 1 else "")
            titles = "\n".join(mark.title for _, mark in group)
            y = bottom - 4 - 12 * (row % 2) if low else f.top + 10 + 12 * (row % 2)
            parts.append(
                f'<text class="event-label" x="{group[0][0] + 2:.1f}" y="{y:.1f}" font-size="9" '
                f'fill="{first.colour}" stroke="#fff" stroke-width="2.5" paint-order="stroke">'
                f"{escape(label)}<title>{escape(titles)}</title></text>"
            )
    return parts


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


#: Draws the chart's SVG onto a canvas at twice its size and downloads it, in the
#: browser: the PNG is exactly what is on screen, and the server needs no image library.
#: Under the chart it writes the legend (a swatch per line) and the caption (scenario,
#: date, levers), one a line: a PNG pasted into a handout has no page around it.
_PNG_SCRIPT = (
    "(function(b){var s=b.closest('.routesim-chart').querySelector('svg');"
    "var L=JSON.parse(b.dataset.legend||'[]'),C=JSON.parse(b.dataset.caption||'[]');"
    "var r=s.viewBox.baseVal,k=2,n=L.length+C.length,h=r.height+(n?14*n+6:0);"
    "var c=document.createElement('canvas');c.width=r.width*k;c.height=h*k;"
    "var g=c.getContext('2d');g.fillStyle='#fff';g.fillRect(0,0,c.width,c.height);"
    "var i=new Image();i.onload=function(){g.drawImage(i,0,0,r.width*k,r.height*k);"
    "g.scale(k,k);g.font='10px sans-serif';var y=r.height+12;"
    "L.forEach(function(e){g.fillStyle=e[1];g.fillRect(8,y-8,14,8);g.fillStyle='#333';"
    "g.fillText(e[0],28,y);y+=14;});"
    "C.forEach(function(t){g.fillStyle='#333';g.fillText(t,8,y);y+=14;});"
    "var a=document.createElement('a');a.download=b.dataset.name+'.png';"
    "a.href=c.toDataURL('image/png');document.body.appendChild(a);a.click();a.remove();};"
    "i.src='data:image/svg+xml;charset=utf-8,'+encodeURIComponent("
    "new XMLSerializer().serializeToString(s));})(this)"
)


def exportable(
    svg: str,
    name: str,
    csv: str,
    caption: Sequence[str] = (),
    legend: Sequence[tuple[str, str]] = (),
) -> str:
    """A chart with links under it that download its data as CSV and the chart as PNG.

    Args:
        svg: The chart.
        name: File name for both downloads, without extension.
        csv: The chart's data as CSV text.
        caption: Lines written under the chart in the PNG (what run, to what date).
        legend: Label and colour of each line, drawn under the chart in the PNG.

    Returns:
        HTML: the chart and its two links, in a ``routesim-chart`` div.
    """
    href = "data:text/csv;charset=utf-8," + quote(csv)
    link = "font-size:11px;color:#1f4e8c;margin-right:10px;cursor:pointer"
    return (
        f'<div class="routesim-chart">{svg}<div class="routesim-export" style="text-align:right">'
        f'<a class="routesim-csv" download="{escape(name)}.csv" href="{href}" style="{link}">'
        "CSV</a>"
        f'<a class="routesim-png" data-name="{escape(name)}" '
        f'data-caption="{escape(json.dumps(list(caption)))}" '
        f'data-legend="{escape(json.dumps([list(item) for item in legend]))}" '
        f'onclick="{escape(_PNG_SCRIPT)}" '
        f'style="{link}">PNG</a></div></div>'
    )
