"""Run each lesson's checked comparison; write results, verdicts and figure into its folder.

Usage: python experiments/lessons/make_figures.py [NAME ...] [--replicates N] [--scale S]

Without names, every lesson in routesim/data/lessons/ (the checkout's, with the editable
install of the README). The figure is the one the app shows under the lesson text;
handouts (``routesim lesson NAME --handout OUT``) draw theirs afresh.
"""

import argparse
import sys

from routesim.comparison import run_comparison, write_results
from routesim.lessons import available_lessons, load_lesson


def main() -> int:
    """Run the lessons named on the command line (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="lessons to run (default: all)")
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--scale", type=float, default=None)
    args = parser.parse_args()
    for name in args.names or available_lessons():
        lesson = load_lesson(name)
        comparison = lesson.comparison()
        run = comparison.run.resized(args.replicates, args.scale)
        print(
            f"{name}: {comparison.claim} ({run.replicates} replicates, scale {run.scale:g})",
            file=sys.stderr,
            flush=True,
        )
        results = run_comparison(comparison, run)
        table = write_results(comparison, results, lesson.folder, lesson.labels)
        print(table.round(4).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
