"""Observed figures (Frontex detections, IOM dead and missing) to calibrate and check against.

They live in `observed/<year>.toml` (bundled, or in a ``$ROUTESIM_PATH`` folder), each
with its source; this module reads and validates them like any other config.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import ConfigDict, Field

from routesim import resources
from routesim.configs import ConfigModel, read_config
from routesim.errors import RoutesimError
from routesim.parameters import Route


class Observed(ConfigModel):
    """A year's observed figures per reporting route."""

    model_config = ConfigDict(frozen=True)

    source: dict[str, str]
    detections: dict[Route, Annotated[list[int], Field(min_length=12, max_length=12)]] = Field(
        description="detections per month, Jan..Dec"
    )
    dead_missing: dict[Route, int]
    facts: dict[str, float] = Field(default_factory=dict)

    def detections_total(self, route: str) -> int:
        """Detections over the year on one route."""
        return sum(self.detections[route])


def load_observed(year: int = 2023) -> Observed:
    """Read `observed/<year>.toml`."""
    path = resources.find("observed", f"{year}.toml")
    if path is None:
        known = resources.listing("observed", resources.names("observed", "*.toml"))
        raise RoutesimError(f"no observed figures for {year} ({known})")
    return read_config(path, Observed, f"file of observed figures for {year}")


def observed_year(start: dt.date, days: int) -> int | None:
    """The calendar year a run covers exactly, if there are observed figures for it."""
    end = start + dt.timedelta(days=days)
    whole_year = start == dt.date(start.year, 1, 1) and end == dt.date(start.year + 1, 1, 1)
    if whole_year and resources.find("observed", f"{start.year}.toml") is not None:
        return start.year
    return None
