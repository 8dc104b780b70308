"""Swept inputs: one dotted scenario key and the values a design may give it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routesim import schema
from routesim.scenario import TIMELINE_KEY, TIMELINE_WHOLE, Scenario


@dataclass(frozen=True)
class Parameter:
    """One swept input: a range (``low`` to ``high``) or a list of values.

    Attributes:
        name: Dotted scenario key, e.g. ``levers.ngo_vessels``.
        low: Smallest value (the smallest of ``values`` for a list).
        high: Largest value (the largest of ``values`` for a list).
        values: The values of a list parameter, in the config's order; ``None`` for a range.
        levels: Evenly spaced values a grid takes over a range; ``None`` otherwise.
        integer: Values are whole numbers (the scenario field is an integer, or the
            config asks for it); samples are rounded.
    """

    name: str
    low: float
    high: float
    values: tuple[float, ...] | None = None
    levels: int | None = None
    integer: bool = False

    def grid_values(self) -> list[float]:
        """The values a full-factorial grid takes: the list, or ``levels`` over the range."""
        if self.values is not None:
            return list(self.values)
        if self.levels is None:
            raise ValueError(f"{self.name}: a grid needs values or levels")
        points = np.linspace(self.low, self.high, self.levels)
        if self.integer:
            # Rounding may merge neighbouring levels of a short integer range.
            points = np.unique(np.round(points))
        return [float(v) for v in points]

    def from_unit(self, unit: np.ndarray) -> np.ndarray:
        """Map samples in [0, 1] (from a Latin hypercube or Sobol sequence) onto the range."""
        values = self.low + np.asarray(unit, dtype=np.float64) * (self.high - self.low)
        return np.round(values) if self.integer else values

    def cast(self, value: float) -> int | float:
        """The value as the scenario override takes it (an ``int`` for whole numbers)."""
        return int(round(value)) if self.integer else float(value)


def is_integer_field(name: str) -> bool:
    """Whether the scenario field at dotted key ``name`` holds whole numbers.

    Args:
        name: A dotted key, e.g. ``parameters.networks_per_hub``.

    Returns:
        True for an ``int`` field and for the days and on/off of a dated change
        (``timeline.N.days_later``, ``timeline.N.happens``); False for anything else,
        including unknown keys (which scenario validation reports).
    """
    dated = TIMELINE_KEY.fullmatch(name)
    if dated is not None:
        return dated["what"] in TIMELINE_WHOLE
    return schema.annotation_at(Scenario, name.split(".")) is int
