"""Do two Morris screenings from different seeds rank the leading levers alike?

    python experiments/sweeps/morris-screening/agreement.py SWEEP_DIR SWEEP_DIR [--top 10]

Reads each sweep folder's stored runs, computes its Morris indices and prints, per
outcome, Spearman's rho over the levers either puts in its top ten by mu*
(`routesim.sweeps.analysis.morris_agreement`); writes agreement.csv beside this script.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from routesim.sweeps.analysis import morris_agreement, morris_indices
from routesim.sweeps.storage import RunStore


def screening(folder: Path):
    """The Morris indices of a stored sweep, and its seed."""
    store = RunStore.open(folder)
    sweep = store.sweep()
    return morris_indices(store.read(), sweep), sweep.config.sweep.seed


def main() -> None:
    """Compare the two sweep folders given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    (one, seed_one), (other, seed_other) = screening(args.first), screening(args.second)
    table = morris_agreement(one, other, top=args.top)
    table.insert(0, "seeds", f"{seed_one} vs {seed_other}")
    table.to_csv(Path(__file__).with_name("agreement.csv"), index=False, float_format="%.3f")
    print(table.to_string(index=False, float_format="%.3f"))
    print(
        f"median Spearman {table['spearman'].median():.3f}; at least 0.9 for "
        f"{(table['spearman'] >= 0.9).sum()} of {len(table)} outcomes"
    )


if __name__ == "__main__":
    main()
