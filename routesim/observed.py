"""Observed figures (Frontex detections, IOM dead and missing) to calibrate and check against.

They live in `configs/observed/<year>.toml`, each with its source; this module reads
and validates them like any other config.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from routesim.errors import RoutesimError
from routesim.parameters import Route

OBSERVED_DIR = Path(__file__).resolve().parents[1] / "configs" / "observed"


class Observed(BaseModel):
    """A year's observed figures per reporting route."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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
    """Read `configs/observed/<year>.toml`."""
    path = OBSERVED_DIR / f"{year}.toml"
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
        return Observed.model_validate(data)
    except FileNotFoundError:
        raise RoutesimError(f"{path}: no observed figures for {year}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RoutesimError(f"{path}: invalid TOML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise RoutesimError(f"{path}: {key}: {first['msg']}") from None
