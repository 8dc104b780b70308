"""How a lever is declared: a bounded number with the metadata a user needs, and its themes.

`routesim.levers` (the scenario's levers) and `routesim.partners` (the per-country levers
of partner countries) declare their fields with `lever`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

#: Lever themes and their titles, in the order users see them (CLI table, app panels).
THEMES: dict[str, str] = {
    "border": "Border surveillance",
    "partners": "Partner-country cooperation",
    "sar": "Search and rescue",
    "smuggling": "Anti-smuggling operations",
    "information": "Information campaigns",
    "pathways": "Legal pathways and visas",
    "returns": "Returns",
    "events": "One-off events",
    "assumption": "Contested assumptions",
}


def lever(
    default: float,
    low: float,
    high: float,
    *,
    label: str,
    unit: str,
    theme: str,
    passage: str,
    description: str,
    targets: str,
    direction: int,
    route: str | None = None,
) -> Any:
    """Declare a lever field: a bounded number with the metadata a user needs."""
    return Field(
        default,
        ge=low,
        le=high,
        description=description,
        json_schema_extra={
            "label": label,
            "unit": unit,
            "theme": theme,
            "passage": passage,
            "targets": targets,
            "direction": direction,
            "route": route,
            "kind": "lever" if theme != "assumption" else "assumption",
        },
    )
