"""Time and memory of one 2015-2023 run of the history scenario (issue 16's 60 s / 2 GB).

    python experiments/bench/history_run.py [--scale 1] [--seed 1]

Prints the wall time of building and running the model, the peak resident memory of the
process, and the rows of the population at the end.
"""

from __future__ import annotations

import argparse
import resource
import time

from routesim.model import RouteModel
from routesim.scenario import load_scenario


def main() -> None:
    """Run the history scenario once and print its time and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = load_scenario("history-2015-2023")
    started = time.perf_counter()
    model = RouteModel(scenario, seed=args.seed, scale=args.scale)
    model.run()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"history-2015-2023, scale {args.scale:g}, seed {args.seed}: {seconds:.1f} s, "
        f"peak RSS {peak_mb:,.0f} MB, {model.migrants.size:,} population rows"
    )


if __name__ == "__main__":
    main()
