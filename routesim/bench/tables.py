"""Plain-text tables of benchmark results: a header, a rule, one line per row."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: A column: its title and the format spec of its values, e.g. ``(">8.2f")``; the
#: spec's alignment and width place the title too.
Column = tuple[str, str]


def format_table(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> str:
    """Format rows under their column titles, columns one space apart.

    Args:
        columns: Title and value format spec of each column.
        rows: One sequence of values per row, in column order.

    Returns:
        The table, lines joined by newlines.
    """
    header = " ".join(f"{title:{_placement(spec)}}" for title, spec in columns)
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(" ".join(format(v, spec) for v, (_, spec) in zip(row, columns, strict=True)))
    return "\n".join(lines)


def _placement(spec: str) -> str:
    # The alignment and width of a value spec, e.g. ">8" of ">8.2f".
    match = re.match(r"[<>^]?\d*", spec)
    return match.group(0) if match else ""
