"""Run the stylised facts and write each one's results, verdicts and figure into its folder.

Usage: python experiments/stylised_facts/make_figures.py [NAME ...] [--replicates N] [--scale S]

The folders are routesim/data/stylised_facts/NAME/ (the checkout's, with the editable
install of the README).
"""

import argparse
import sys

from routesim.comparison import write_results
from routesim.resources import find
from routesim.stylised_facts import available_facts, load_fact, run_fact


def main() -> int:
    """Run the facts named on the command line (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="facts to run (default: all)")
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--scale", type=float, default=None)
    args = parser.parse_args()
    for name in args.names or available_facts():
        fact = load_fact(name)
        run = fact.run.resized(args.replicates, args.scale)
        print(
            f"{name}: {fact.claim} ({run.replicates} replicates, scale {run.scale:g})",
            file=sys.stderr,
            flush=True,
        )
        table = write_results(fact, run_fact(fact, run), find("stylised_facts", name))
        print(table.round(4).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
