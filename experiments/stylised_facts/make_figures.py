"""Run the stylised facts and write each one's results, verdicts and figure into its folder.

Usage: python experiments/stylised_facts/make_figures.py [NAME ...] [--replicates N] [--scale S]
"""

import argparse
import sys

from routesim.comparison import write_results
from routesim.stylised_facts import FACTS_DIR, load_fact, run_fact


def main() -> int:
    """Run the facts named on the command line (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="facts to run (default: all)")
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--scale", type=float, default=None)
    args = parser.parse_args()
    names = args.names or sorted(p.parent.name for p in FACTS_DIR.glob("*/fact.toml"))
    for name in names:
        fact = load_fact(name)
        run = fact.run.model_copy(
            update={k: v for k, v in (("replicates", args.replicates), ("scale", args.scale)) if v}
        )
        print(
            f"{name}: {fact.claim} ({run.replicates} replicates, scale {run.scale:g})",
            file=sys.stderr,
            flush=True,
        )
        table = write_results(fact, run_fact(fact, run), FACTS_DIR / name)
        print(table.round(4).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
