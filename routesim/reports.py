"""Console tables, figures and the output folder of an ensemble.

Figures use matplotlib's object API on an Agg canvas: no pyplot, no global state, no
display needed. matplotlib is imported inside the plotting functions so that
``import routesim`` stays light.
"""

from __future__ import annotations

import math
import os
import textwrap
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import tomli_w

from routesim.ensemble import Ensemble
from routesim.routes import ROUTE_LABELS, ROUTES
from routesim.scoring import observed_check

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from routesim.scenario import Scenario

#: Metrics of the console table, with their column headings.
TABLE_METRICS: Final[dict[str, str]] = {
    "detections": "detections",
    "undetected_arrivals": "undetected arrivals",
    "departures": "departures",
    "partner_interceptions": "partner interceptions",
    "eu_interceptions": "EU interceptions",
    "rescues": "rescues",
    "dead_missing": "dead + missing",
}

_ROW_LABELS: Final[dict[str, str]] = {**ROUTE_LABELS, "all": "All routes"}

_GAP = "  "
_DETECTIONS_COLOUR = "#1f5fa8"
_DEATHS_COLOUR = "#b2182b"


def format_summary_table(summary: pd.DataFrame, width: int | None = None) -> str:
    """Format run totals per route as a fixed-width text table.

    Args:
        summary: The table of `routesim.ensemble.Ensemble.summary` (columns ``route``,
            ``metric``, ``mean``, ``p05``, ``p95``).
        width: Widest line allowed, e.g. the terminal's width. Metric columns that do
            not fit go into further blocks below, each with the route labels again;
            ``None`` keeps every column in one block.

    Returns:
        One row per route (in the summary's order, ``all`` last), one column per metric
        of `TABLE_METRICS`, each cell ``mean [p05–p95]`` rounded to whole numbers with
        thousands separators; no trailing newline.
    """
    routes = list(dict.fromkeys(summary["route"].astype(str)))
    values = summary.assign(route=summary["route"].astype(str)).set_index(["route", "metric"])
    labels = ["route", *(_ROW_LABELS.get(r, r) for r in routes)]
    label_width = max(map(len, labels))
    columns = [
        _table_column(heading, [values.loc[(r, metric)] for r in routes])
        for metric, heading in TABLE_METRICS.items()
    ]

    blocks: list[list[list[str]]] = []
    line_width = label_width
    for column in columns:
        column_width = len(_GAP) + len(column[0])
        if not blocks or (width is not None and line_width + column_width > width):
            blocks.append([])
            line_width = label_width
        blocks[-1].append(column)
        line_width += column_width

    text = []
    for block in blocks:
        lines = [
            _GAP.join([label.ljust(label_width), *(column[i] for column in block)]).rstrip()
            for i, label in enumerate(labels)
        ]
        text.append("\n".join([lines[0], "-" * max(map(len, lines)), *lines[1:]]))
    return "\n\n".join(text)


def format_observed_table(table: pd.DataFrame) -> str:
    """Format simulated against observed figures per route as a fixed-width text table.

    Args:
        table: The table of `routesim.scoring.Fit.table`, indexed by route.

    Returns:
        One row per route: detections (mean and 5-95% band of run totals), observed,
        error; dead and missing (mean), observed, error; the correlation of monthly
        detections with the observed months. No trailing newline.
    """
    header = [
        "route",
        "detections [5-95%]",
        "observed",
        "error",
        "dead+missing",
        "observed",
        "error",
        "monthly r",
    ]
    rows = [
        [
            _ROW_LABELS.get(route, route),
            f"{row.detections_sim:,.0f} [{row.detections_p05:,.0f}–{row.detections_p95:,.0f}]",
            f"{row.detections_obs:,.0f}",
            f"{row.detections_error:+.1%}",
            f"{row.dead_missing_sim:,.0f}",
            f"{row.dead_missing_obs:,.0f}",
            f"{row.dead_missing_error:+.1%}",
            f"{row.monthly_r:.2f}",
        ]
        for route, row in table.iterrows()
    ]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    lines = []
    for cells in [header, *rows]:
        numbers = (cell.rjust(w) for cell, w in zip(cells[1:], widths[1:], strict=True))
        lines.append(_GAP.join([cells[0].ljust(widths[0]), *numbers]))
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def _table_column(heading: str, stats: list[pd.Series]) -> list[str]:
    """A table column: its heading, then one ``mean [p05–p95]`` cell per route."""
    means = [_count(row["mean"]) for row in stats]
    bands = [f"[{_count(row['p05'])}–{_count(row['p95'])}]" for row in stats]
    mean_width = max(map(len, means))
    band_width = max(map(len, bands))
    width = max(len(heading), mean_width + 1 + band_width)
    # Means padded on the left and bands on the right: both line up down the column.
    cells = [
        m.rjust(mean_width) + " " + b.ljust(band_width) for m, b in zip(means, bands, strict=True)
    ]
    return [heading.rjust(width), *(cell.rjust(width) for cell in cells)]


def plot_monthly(ensemble: Ensemble, path: str | Path) -> Path:
    """Draw monthly detections and dead-and-missing per reporting route.

    Two rows of panels, one column per reporting route: detections on top, dead and
    missing below, each the ensemble mean with its 5-95% band over replicates. Each
    panel has its own y scale (the routes differ by orders of magnitude). Months the
    run covers only in part are drawn as hollow markers: their totals are not
    comparable with full months.

    Args:
        ensemble: The ensemble to plot.
        path: Image file to write; the format follows its suffix (PNG, SVG, PDF...).

    Returns:
        The path written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    stats = _monthly_bands(ensemble.monthly(), ["detections", "dead_missing"])
    figure = Figure(figsize=(3.3 * len(ROUTES), 6.6), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(2, len(ROUTES), sharex=True, squeeze=False)
    rows = (
        ("detections", "Detections per month", _DETECTIONS_COLOUR),
        ("dead_missing", "Dead and missing per month", _DEATHS_COLOUR),
    )
    for column, route in enumerate(ROUTES):
        route_stats = stats[stats["route"] == route]
        for row, (metric, ylabel, colour) in enumerate(rows):
            ax = axes[row, column]
            _band_panel(ax, route_stats, metric, colour)
            if row == 0:
                ax.set_title(ROUTE_LABELS[route], fontsize=11, fontweight="bold")
            if column == 0:
                ax.set_ylabel(ylabel)

    mark_timeline(axes, ensemble.scenario, figure)
    name = ensemble.scenario.scenario.name
    figure.suptitle(
        f"{name}: ensemble mean and 5–95% band of {ensemble.replicates} replicates "
        f"(base seed {ensemble.seed}, {ensemble.scale:g} people per agent)",
        fontsize=12,
    )
    handles = [
        Line2D([], [], color="0.25", marker="o", label="ensemble mean"),
        Patch(facecolor="0.25", alpha=0.2, label="5–95% of replicates"),
    ]
    if not stats["full"].all():
        handles.append(
            Line2D(
                [],
                [],
                color="0.25",
                marker="o",
                markerfacecolor="white",
                linestyle="none",
                label="month the run covers only in part (mean, 5–95%)",
            )
        )
    figure.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    out = Path(path)
    figure.savefig(out, dpi=110)
    return out


def mark_timeline(axes: np.ndarray, scenario: Scenario, figure: Figure) -> None:
    """Mark the timeline's changes within the run on every panel, with a key below.

    Each change is a dotted line, numbered on the top panels; the key ("1 2016-03-20
    EU-Turkey Statement; ...") goes under the figure, where long labels fit.
    """
    start, end = scenario.scenario.start, scenario.end
    inside = sorted((c for c in scenario.timeline if start < c.date <= end), key=lambda c: c.date)
    for number, change in enumerate(inside, start=1):
        when = pd.Timestamp(change.date)
        for ax in axes.flat:
            ax.axvline(when, color="0.35", ls=":", lw=0.9, zorder=0)
        for ax in axes[0]:
            ax.annotate(
                str(number),
                (when, 1.0),
                xycoords=("data", "axes fraction"),
                fontsize=7,
                color="0.3",
                ha="center",
                va="bottom",
            )
    if inside:
        key = "; ".join(
            f"{number} {change.date.isoformat()} {change.label or 'levers change'}"
            for number, change in enumerate(inside, start=1)
        )
        figure.supxlabel("\n".join(textwrap.wrap(key, 200)), fontsize=8, color="0.3")


def _monthly_bands(monthly: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Mean, p05 and p95 over replicates of each metric, per month and route."""
    grouped = monthly.groupby(["month", "route"], observed=True, sort=True)
    parts = {"days": grouped["days"].first()}
    for metric in metrics:
        parts[f"{metric}_mean"] = grouped[metric].mean()
        parts[f"{metric}_p05"] = grouped[metric].quantile(0.05)
        parts[f"{metric}_p95"] = grouped[metric].quantile(0.95)
    stats = pd.DataFrame(parts).reset_index()
    stats["full"] = stats["days"] == stats["month"].dt.days_in_month
    return stats


def _band_panel(ax: Axes, stats: pd.DataFrame, metric: str, colour: str) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    months = stats["month"].to_numpy()
    mean = stats[f"{metric}_mean"].to_numpy(dtype=np.float64)
    low = stats[f"{metric}_p05"].to_numpy(dtype=np.float64)
    high = stats[f"{metric}_p95"].to_numpy(dtype=np.float64)
    # Full months form one contiguous stretch (partial ones only sit at the ends of a
    # run): line and band there. A partial month stands apart, with its band as an
    # error bar, so a run ending on the 1st of a month does not read as a collapse.
    full = stats["full"].to_numpy()
    ax.fill_between(months[full], low[full], high[full], color=colour, alpha=0.2, lw=0)
    ax.plot(months[full], mean[full], "o-", color=colour, lw=1.8, ms=4)
    ax.errorbar(
        months[~full],
        mean[~full],
        yerr=[mean[~full] - low[~full], high[~full] - mean[~full]],
        fmt="o",
        color=colour,
        ms=5,
        mfc="white",
        elinewidth=1,
        alpha=0.8,
    )

    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    # Ticks on month starts, where the points are; thinned so labels never collide.
    step = next((step for step in (1, 2, 3, 6, 12) if len(months) / step <= 6.5), None)
    locator: mdates.DateLocator = (
        mdates.MonthLocator(bymonth=range(1, 13, step))
        if step is not None
        else mdates.YearLocator(base=math.ceil(len(months) / 12 / 6.5))
    )
    ax.xaxis.set_major_locator(locator)
    # Month names throughout, with the year under each January.
    formats = ["%Y", "%b", "%b", "%H:%M", "%H:%M", "%S.%f"]
    zero_formats = ["", "%b\n%Y", "%b", "%H:%M", "%H:%M", "%S.%f"]
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(
            locator, formats=formats, zero_formats=zero_formats, show_offset=False
        )
    )
    ax.grid(True, color="0.9", lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)


def _count(value: float) -> str:
    # `+ 0` turns a rounded -0 into 0.
    return f"{round(float(value)) + 0:,}"


#: Files `write_ensemble` produces, by key.
OUTPUT_FILES: dict[str, str] = {
    "daily": "daily.parquet",
    "summary": "summary.csv",
    "config": "config.toml",
    "run": "run.toml",
    "monthly": "monthly.png",
    "yearly": "yearly.csv",
    "observed": "observed.csv",
}


def write_ensemble(ensemble: Ensemble, out_dir: str | Path) -> dict[str, Path]:
    """Write an ensemble's files into ``out_dir``, creating it if needed.

    Files (see `OUTPUT_FILES`): ``daily.parquet`` (the daily table), ``summary.csv``
    (`Ensemble.summary`), ``config.toml`` (the resolved scenario, loadable with
    `routesim.scenario.load_scenario`), ``run.toml`` (a ``[run]`` table: base seed,
    replicates, scale, replicate seeds, routesim version; kept apart because a scenario
    file accepts no unknown tables), ``monthly.png`` (`plot_monthly`), ``yearly.csv``
    (`Ensemble.yearly`) and, for a run of a whole calendar year with observed figures,
    ``observed.csv`` (`routesim.scoring.observed_check`).

    Every file is first written under a hidden temporary name in ``out_dir`` and
    renamed into place only once all of them are complete, so an interrupted write
    leaves the previous files (or none), never a truncated one.

    Args:
        ensemble: The ensemble.
        out_dir: Output folder.

    Returns:
        The path of each file written, by key of `OUTPUT_FILES`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    check = observed_check(ensemble)
    writers: dict[str, Callable[[Path], object]] = {
        "daily": lambda p: ensemble.daily.to_parquet(p, engine="pyarrow", index=False),
        "summary": lambda p: ensemble.summary().to_csv(p, index=False),
        "config": lambda p: p.write_text(ensemble.config_toml(), encoding="utf-8"),
        "run": lambda p: p.write_text(tomli_w.dumps({"run": ensemble.run_info()}), "utf-8"),
        "monthly": lambda p: plot_monthly(ensemble, p),
        "yearly": lambda p: ensemble.yearly().to_csv(p, index=False, date_format="%Y"),
    }
    if check is not None:
        writers["observed"] = lambda p: check.to_csv(p)
    targets = {key: out / name for key, name in OUTPUT_FILES.items() if key in writers}
    with _staged(targets) as staging:
        for key, path in staging.items():
            writers[key](path)
    return targets


@contextmanager
def _staged(targets: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Yield temporary paths beside ``targets``; rename them into place on success."""
    # Unique names, created by the writers themselves so the files get the usual
    # permissions. The real suffix stays last because writers such as matplotlib pick
    # the format from it; the leading dot and ".partial" mark the file as unfinished.
    token = uuid.uuid4().hex[:12]
    staging = {
        key: target.with_name(f".{target.name}.{token}.partial{target.suffix}")
        for key, target in targets.items()
    }
    try:
        yield staging
        for key, target in targets.items():
            os.replace(staging[key], target)
    finally:
        for leftover in staging.values():
            leftover.unlink(missing_ok=True)
