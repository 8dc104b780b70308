"""docs/ODD.md names every parameter, lever and contested assumption.

The ODD description is what readers of the published model cite and what a replication
starts from. Its reference tables are static Markdown, so a parameter or lever added to
the code would otherwise go undescribed without anyone noticing: this test fails and
names what is missing.
"""

import re
from pathlib import Path

from routesim.levers import lever_specs
from routesim.parameters import Parameters

ODD = Path(__file__).parents[1] / "docs" / "ODD.md"


def named_in_odd() -> set[str]:
    """Everything docs/ODD.md writes in backticks (`risk_weight`, `levers.ngo_vessels`)."""
    return set(re.findall(r"`([^`\n]+)`", ODD.read_text(encoding="utf-8")))


def test_every_parameter_is_named():
    missing = sorted(set(Parameters.model_fields) - named_in_odd())
    assert not missing, f"docs/ODD.md does not name these parameters: {', '.join(missing)}"


def test_every_lever_and_assumption_is_named():
    missing = sorted({spec.name for spec in lever_specs()} - named_in_odd())
    assert not missing, (
        f"docs/ODD.md does not name these levers or assumptions: {', '.join(missing)}"
    )
