"""Handouts: a lesson as one self-contained HTML page, with figures from a fresh run.

The page holds the lesson's text (Markdown rendered with the `markdown` package), its
presets as ``routesim run`` options, the checked observation rerun now (figure as an
embedded PNG, and the table of paired differences), and the lesson's evidence, limits
and references. It needs no network and no other file: print it or share it as is.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from routesim.comparison import RunSettings, plot_comparison, run_comparison, verdicts
from routesim.configs import writable_folder
from routesim.errors import RoutesimError
from routesim.lessons import Lesson, split_sections

#: The lesson section after which the fresh results go.
RESULTS_AFTER = "What you should observe"

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:62rem;margin:2rem auto;
padding:0 1.2rem;line-height:1.5;color:#222}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:1.8rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}
.question{font-size:1.15rem;font-style:italic;color:#333}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child,td.text{text-align:left}
code{background:#f4f4f4;padding:0 .2rem}pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}
img{max-width:100%}.holds{color:#176b1c;font-weight:600}.fails{color:#a11;font-weight:600}
.meta{color:#666;font-size:.8rem;margin-top:2.5rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}img,table{break-inside:avoid}}
"""


def render_markdown(text: str) -> str:
    """Lesson Markdown as HTML (tables and lists as in lesson.md)."""
    import markdown

    return markdown.markdown(text, extensions=["tables", "sane_lists", "fenced_code"])


def write_handout(
    lesson: Lesson,
    out: Path,
    run: RunSettings | None = None,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Run the lesson's check afresh and write its handout as one HTML file.

    Args:
        lesson: The lesson.
        out: The file to write; it must end in ``.html`` (or ``.htm``).
        run: How big the run is (default: the lesson's own ``[check.run]``).
        workers: Worker processes for the runs (default: one per CPU).
        progress: Called with a line of text before each stage.

    Returns:
        The path written.

    Raises:
        RoutesimError: If `out` is not an HTML file name or cannot be written.
    """
    if out.suffix.lower() not in (".html", ".htm"):
        raise RoutesimError(f"{out}: handouts are HTML; expected a file name ending in .html")
    writable_folder(out.parent)
    say = progress or (lambda _: None)
    comparison = lesson.comparison()
    run = run or comparison.run
    runs = len(comparison.views) * 2 * run.replicates
    say(
        f"{lesson.name}: running {runs} simulations ({run.replicates} paired seeds, "
        f"{run.days} days from {run.start}, {run.scale:g} people per agent)"
    )
    results = run_comparison(comparison, run, workers)
    table = verdicts(comparison, results)
    say(f"{lesson.name}: drawing the figure and writing {out}")
    figure = io.BytesIO()
    plot_comparison(comparison, results, figure, labels=lesson.labels)
    page = handout_html(lesson, table, figure.getvalue(), run)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise RoutesimError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return out


def handout_html(lesson: Lesson, table: pd.DataFrame, png: bytes, run: RunSettings) -> str:
    """The handout page: the lesson text with presets and fresh results inserted."""
    head, sections = split_sections(lesson.text)
    title = head.strip().removeprefix("# ").strip() or lesson.title
    body = [f"<h1>{html.escape(title)}</h1>"]
    body.append(f'<p class="question">{html.escape(lesson.question)}</p>')
    for name, text in sections.items():
        body.append(f"<h2>{html.escape(name)}</h2>")
        body.append(render_markdown(text))
        if name == "What to set":
            body.append(_presets_html(lesson))
        if name == RESULTS_AFTER:
            body.append(_results_html(lesson, table, png, run))
    body.append(
        f'<p class="meta">routesim lesson {html.escape(lesson.name)}, handout made '
        f"{dt.date.today():%d %B %Y}. Figures are model outputs under stated assumptions, "
        "not forecasts.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(lesson.title)} — routesim lesson</title>"
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _presets_html(lesson: Lesson) -> str:
    rows = []
    for name, preset in lesson.presets.items():
        options = " ".join(lesson.set_options(name)) or "(the scenario as it is)"
        options = " ".join(filter(None, [options, lesson.what_if_note(name)]))
        rows.append(
            f'<tr><td class="text"><code>{html.escape(name)}</code></td>'
            f'<td class="text">{html.escape(preset.label)}</td>'
            f'<td class="text"><code>routesim run {html.escape(lesson.scenario_name)} '
            f"{html.escape(options)}</code></td></tr>"
        )
    return (
        "<p>The presets (in the app: <em>Lessons</em>, then <em>Load</em>; from the command "
        "line, as below):</p><table><tr><th>preset</th><th>what it sets</th>"
        "<th>the same run from the command line</th></tr>" + "".join(rows) + "</table>"
    )


def _results_html(lesson: Lesson, table: pd.DataFrame, png: bytes, run: RunSettings) -> str:
    check = lesson.config.check
    low, high = lesson.labels
    image = base64.b64encode(png).decode("ascii")
    rows = []
    for row in table.itertuples(index=False):
        verdict = '<span class="holds">yes</span>' if row.holds else '<span class="fails">no</span>'
        rows.append(
            f'<tr><td class="text">{html.escape(row.view)}</td>'
            f'<td class="text">{html.escape(row.target)}</td>'
            f'<td class="text">{row.expected}{"" if row.asserted else " (reported)"}</td>'
            f"<td>{_fmt(row.low)}</td><td>{_fmt(row.high)}</td><td>{_fmt(row.difference)}</td>"
            f"<td>{_fmt(row.band_low)} to {_fmt(row.band_high)}</td><td>{row.t:.1f}</td>"
            f"<td>{verdict}</td></tr>"
        )
    return (
        '<section class="results"><h3>Results from a fresh run</h3>'
        f"<p>{html.escape(check.claim)}: <em>{html.escape(low)}</em> "
        f"(<code>{html.escape(check.low)}</code>) against <em>{html.escape(high)}</em> "
        f"(<code>{html.escape(check.high)}</code>), {run.replicates} paired seeds each, "
        f"{run.days} days from {run.start} at {run.scale:g} people per agent. Bars are "
        "means with 90% bands over the seeds.</p>"
        f'<img alt="{html.escape(check.claim)}" src="data:image/png;base64,{image}">'
        "<table><tr><th>view</th><th>outcome</th><th>expected</th><th>low</th><th>high</th>"
        "<th>difference</th><th>90% band</th><th>t</th><th>clear of seed noise</th></tr>"
        + "".join(rows)
        + "</table><p>A difference is clear of seed noise when it has the expected sign and "
        "is more than twice its standard error (t &gt; 2). Outcomes marked <em>reported</em> "
        "are shown, not promised.</p></section>"
    )


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"
