"""The glossary under the charts: the few words a lesson turns on, in plain language.

The charts count different things (events, people, boats' outcomes), and a class
reading "detections" as people, or "missing" as alive, draws the wrong lesson.
"""

from __future__ import annotations

from html import escape
from typing import Final

#: Term and meaning, in the order a class meets them on the charts.
GLOSSARY: Final[tuple[tuple[str, str], ...]] = (
    (
        "Detections",
        "crossings seen by the border authorities (the Frontex count). One person caught "
        "twice counts twice: detections count crossings, not people.",
    ),
    (
        "Departures",
        "people who set off on a crossing: a boat launched, or a try at a land border.",
    ),
    (
        "Interception",
        "people stopped on the way. By partner forces (Tunisia's or Libya's coast guard, "
        "for example), on land or at sea, before or after launch: they are taken back ashore "
        "in that country. By EU forces: at or near the EU's border, where they are detected "
        "unless turned back.",
    ),
    (
        "Rescue",
        "people taken off a boat in distress by a state, NGO, merchant or partner ship.",
    ),
    (
        "Dead and missing",
        "people who died on the way, and people never found (most lost at sea, presumed "
        "dead). Observed counts are a lower bound: many deaths are never recorded.",
    ),
    (
        "Seed",
        "the number that fixes a run's chance events (who leaves when, which boat gets "
        "into trouble). The same settings and seed give the same run; another seed, "
        "another run of the same settings.",
    ),
)


def glossary_html() -> str:
    """The glossary as a collapsed block, opened by a click so it takes no room until read."""
    items = "".join(
        f"<dt style='font-weight:600'>{escape(term)}</dt>"
        f"<dd style='margin:0 0 4px 12px'>{escape(meaning)}</dd>"
        for term, meaning in GLOSSARY
    )
    return (
        '<details class="routesim-glossary" style="font-size:13px;margin-top:8px">'
        f'<summary style="cursor:pointer">Words used here</summary><dl>{items}</dl></details>'
    )
