"""Scale invariance: run totals of a scenario at several scales, against the finest.

Prints, per route, the ensemble mean and standard error of detections, departures
and dead and missing at each scale, each coarse scale's relative difference from
the finest one, and the targets of the scale issue as PASS/FAIL lines.

    .venv/bin/python experiments/bench/scale_invariance.py \
        [--scales 1 10 50 200] [--replicates 20] [--seed 0] [--csv PATH]

Every scale runs the same replicate seeds. The machine may be shared: run times are
not what this measures.
"""

from __future__ import annotations

import argparse

from routesim import load_scenario
from routesim.bench.scale import format_scale_table, measure_scales


def main() -> None:
    """Run the ensembles and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="baseline-2023")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 50.0, 200.0])
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--csv", help="also write the table as CSV")
    args = parser.parse_args()

    scenario = load_scenario(args.scenario, args.set)
    result = measure_scales(scenario, args.scales, args.replicates, seed=args.seed)
    print(format_scale_table(result))
    if args.csv:
        result.table.to_csv(args.csv, index=False)
        print(f"wrote {args.csv}")


if __name__ == "__main__":
    main()
