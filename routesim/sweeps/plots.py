"""Figures of a sweep report: effects with bands, heat maps, Sobol indices.

matplotlib's object API on an Agg canvas: no pyplot, no global state, no display.
matplotlib is imported inside the functions so that importing routesim stays light.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routesim.levers import LeverSpec, lever_specs
from routesim.sweeps.config import Sweep

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import ColorType

_MEAN_COLOUR = "#1f5fa8"
_S1_COLOUR = "#1f5fa8"
_ST_COLOUR = "#b2182b"
_DPI = 110


def plot_effects(table: pd.DataFrame, sweep: Sweep, path: Path) -> Path:
    """Outcome against each parameter: mean and 5-95% band, one panel per pair.

    Rows are the sweep's plotted outcomes, columns its parameters. Where the table keeps
    another parameter apart (two-parameter grids), each of its values gets a curve.

    Args:
        table: `routesim.sweeps.analysis.all_effects`.
        sweep: The sweep.
        path: PNG to write.

    Returns:
        ``path``.
    """
    outcomes, parameters = list(sweep.plot), [p.name for p in sweep.parameters]
    figure, axes = _grid(len(outcomes), len(parameters), 3.4, 2.6)
    for i, outcome in enumerate(outcomes):
        for j, parameter in enumerate(parameters):
            ax = axes[i][j]
            rows = table[(table["parameter"] == parameter) & (table["outcome"] == outcome)]
            if "by_value" in rows and rows["by_value"].notna().any():
                groups = list(rows.groupby("by_value", sort=True))
            else:
                groups = [(None, rows)]
            for colour, (level, group) in zip(_colours(len(groups)), groups, strict=True):
                label = None if level is None else f"{_short(group['by'].iloc[0])} = {level:g}"
                ax.fill_between(
                    group["value"], group["p05"], group["p95"], color=colour, alpha=0.18, lw=0
                )
                ax.plot(group["value"], group["mean"], color=colour, marker="o", ms=3, label=label)
            if i == len(outcomes) - 1:
                ax.set_xlabel(_label(parameter))
            if j == 0:
                ax.set_ylabel(outcome)
            if len(groups) > 1 and i == 0:
                ax.legend(fontsize=7, frameon=False)
            ax.grid(alpha=0.3)
    figure.suptitle(f"{sweep.name}\nmean and 5–95% band over {_band_over(sweep)}", fontsize=10)
    return _save(figure, path)


def plot_heatmaps(summary: pd.DataFrame, sweep: Sweep, path: Path) -> Path:
    """Mean of each plotted outcome over a two-parameter grid, one heat map per outcome.

    Args:
        summary: `routesim.sweeps.analysis.point_summary` of a two-parameter grid.
        sweep: The sweep.
        path: PNG to write.

    Returns:
        ``path``.
    """
    rows_name, columns_name = (p.name for p in sweep.parameters)
    outcomes = list(sweep.plot)
    figure, axes = _grid(1, len(outcomes), 4.2, 3.6)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        table = summary[summary["outcome"] == outcome].pivot_table(
            index=rows_name, columns=columns_name, values="mean"
        )
        image = ax.imshow(table.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(table.shape[1]), [f"{v:g}" for v in table.columns])
        ax.set_yticks(range(table.shape[0]), [f"{v:g}" for v in table.index])
        ax.set_xlabel(_label(columns_name))
        ax.set_ylabel(_label(rows_name))
        ax.set_title(outcome, fontsize=9)
        scale = np.nanmax(np.abs(table.to_numpy())) if table.size else 0.0
        for (r, c), value in np.ndenumerate(table.to_numpy()):
            # Dark text on the light end of viridis, light text on the dark end.
            colour = "k" if image.norm(value) > 0.6 else "w"
            ax.text(
                c, r, _compact(value, scale), ha="center", va="center", fontsize=6, color=colour
            )
        figure.colorbar(image, ax=ax, shrink=0.8)
    figure.suptitle(f"{sweep.name}: mean over {sweep.config.sweep.replicates} replicates")
    return _save(figure, path)


def plot_sobol(
    indices: pd.DataFrame, sweep: Sweep, path: Path, source: str = "SALib, from the runs"
) -> Path:
    """First- and total-order Sobol indices with 95% intervals, one panel per outcome.

    Args:
        indices: `routesim.sweeps.analysis.sobol_indices` or
            `routesim.sweeps.emulator.emulated_sobol`.
        sweep: The sweep.
        path: PNG to write.
        source: How the indices were computed, for the title.

    Returns:
        ``path``.
    """
    outcomes = list(sweep.plot)
    names = [p.name for p in sweep.parameters]
    figure, axes = _grid(1, len(outcomes), 3.6, 0.5 * len(names) + 1.6)
    y = np.arange(len(names))
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        rows = indices[indices["outcome"] == outcome].set_index("parameter").reindex(names)
        for offset, key, colour in ((-0.2, "S1", _S1_COLOUR), (0.2, "ST", _ST_COLOUR)):
            ax.barh(
                y + offset,
                rows[key],
                height=0.38,
                xerr=rows[f"{key}_conf"],
                color=colour,
                alpha=0.8,
                label={"S1": "first order", "ST": "total order"}[key],
                error_kw={"lw": 0.8},
            )
        ax.set_yticks(y, [_short(n) for n in names] if ax is axes[0][0] else [])
        ax.axvline(0, color="k", lw=0.6)
        ax.set_title(outcome, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].legend(fontsize=7, frameon=False)
    figure.suptitle(f"{sweep.name}: Sobol indices ({source}), 95% intervals")
    return _save(figure, path)


def plot_morris(indices: pd.DataFrame, sweep: Sweep, path: Path) -> Path:
    """Morris screening: mu* (with its 95% interval) against sigma, one panel per outcome.

    Args:
        indices: `routesim.sweeps.analysis.morris_indices`.
        sweep: The sweep.
        path: PNG to write.

    Returns:
        ``path``.
    """
    outcomes = list(sweep.plot)
    figure, axes = _grid(1, len(outcomes), 4.4, 4.2)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        rows = indices[indices["outcome"] == outcome]
        ax.errorbar(
            rows["mu_star"],
            rows["sigma"],
            xerr=rows["mu_star_conf"],
            fmt="o",
            color=_S1_COLOUR,
            ms=4,
            elinewidth=0.8,
        )
        # Name the leading parameters only: the rest crowd near the origin.
        for _, row in rows.nsmallest(6, "rank").iterrows():
            ax.annotate(
                _short(row["parameter"]),
                (row["mu_star"], row["sigma"]),
                fontsize=6,
                xytext=(3, 3),
                textcoords="offset points",
            )
        ax.set_xlabel("mu* (mean |elementary effect|)", fontsize=8)
        ax.set_title(outcome, fontsize=9)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("sigma (interactions, curvature)", fontsize=8)
    figure.suptitle(f"{sweep.name}: Morris screening (SALib), mu* with 95% intervals")
    return _save(figure, path)


def plot_trajectory(trajectory: pd.DataFrame, title: str, path: Path) -> Path:
    """PRIM's peeling trajectories: density against coverage, coloured by inputs restricted.

    Args:
        trajectory: `routesim.sweeps.discovery.Discovery.trajectory`.
        title: The figure's title.
        path: PNG to write.

    Returns:
        ``path``.
    """
    figure, axes = _grid(1, 1, 5.2, 4.2)
    ax = axes[0][0]
    top = max(int(trajectory["res_dim"].max()), 1)
    for box, steps in trajectory.groupby("box", sort=True):
        ax.plot(steps["coverage"], steps["density"], color="0.6", lw=0.8, zorder=1)
        points = ax.scatter(
            steps["coverage"],
            steps["density"],
            c=steps["res_dim"],
            cmap="viridis",
            vmin=0,
            vmax=top,
            s=18,
            zorder=2,
        )
        chosen = steps[steps["chosen"]]
        ax.scatter(chosen["coverage"], chosen["density"], s=90, facecolors="none", edgecolors="k")
        for row in chosen.itertuples():
            ax.annotate(
                f"box {box}",
                (row.coverage, row.density),
                xytext=(6, 6),
                textcoords="offset points",
                fontsize=8,
            )
    figure.colorbar(points, ax=ax, label="inputs restricted", ticks=range(top + 1))
    ax.set_xlabel("coverage (share of the runs of interest inside)")
    ax.set_ylabel("density (share of the runs inside of interest)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(textwrap.fill(title, 60), fontsize=9)
    return _save(figure, path)


def _grid(rows: int, columns: int, width: float, height: float) -> tuple[Figure, list[list]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width * columns, height * rows + 0.6), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False)
    return figure, [list(row) for row in axes]


def _save(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=_DPI)
    return path


def _colours(count: int) -> Sequence[ColorType]:
    if count == 1:
        return [_MEAN_COLOUR]
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    return [cmap(k / max(count - 1, 1) * 0.9) for k in range(count)]


@cache
def _specs() -> dict[str, LeverSpec]:
    return {spec.name: spec for spec in lever_specs()}


def _label(name: str) -> str:
    spec = _specs().get(name)
    # Wrapped: lever labels with units run wider than a panel.
    return textwrap.fill(f"{spec.label} ({spec.unit})" if spec else name, 40)


def _short(name: str) -> str:
    spec = _specs().get(name)
    return spec.label if spec else name.rsplit(".", 1)[-1]


def _band_over(sweep: Sweep) -> str:
    replicates = sweep.config.sweep.replicates
    if sweep.config.design.kind == "grid" and len(sweep.parameters) <= 2:
        return f"{replicates} replicates"
    return f"replicates and the other parameters ({replicates} replicates per point)"


def _compact(value: float, scale: float) -> str:
    if not np.isfinite(value):
        return ""
    if scale < 1:
        return f"{value:.3f}"
    if scale < 100:
        return f"{value:.1f}"
    if scale < 100_000:
        return f"{value:,.0f}"
    return f"{value / 1000:,.0f}k"
