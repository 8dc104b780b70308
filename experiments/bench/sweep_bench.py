"""Sweep backends compared: the process pool's parallel efficiency and Dask's overhead.

Times the sweep of ``routesim bench`` (`routesim.bench.sweep`: a Latin hypercube over
two levers, 2 replicates per point) three times, each into a fresh folder: the process
pool with 1 worker, with ``--workers`` workers, and a Dask LocalCluster with as many.
Wall times include starting the workers (and the cluster) and writing results.
``routesim bench`` gives the pool's runs per minute; this script compares backends
(that they store the same results is tested in ``tests/sweeps/test_runner.py``).

    .venv/bin/python experiments/bench/sweep_bench.py [--runs 200] [--days 90] [--scale 200]

The machine may be shared: figures are what was measured, not guarantees.
"""

from __future__ import annotations

import argparse

from routesim.bench.sweep import format_sweep, measure_sweep
from routesim.parallel import Backend, DaskBackend, ProcessPool


def main() -> None:
    """Run the sweep on each backend and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="runs in the sweep (even)")
    parser.add_argument("--days", type=int, default=90, help="days per run, after 30 warm-up")
    parser.add_argument("--scale", type=float, default=200.0, help="people per agent")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel runs")
    args = parser.parse_args()

    overrides = (f"scenario.days={args.days}", "parameters.warmup_days=30")
    backends: dict[str, Backend] = {
        "process pool": ProcessPool(1),
        "process pool, parallel": ProcessPool(args.workers),
        "Dask LocalCluster": DaskBackend(None, args.workers),
    }
    seconds = {}
    for name, backend in backends.items():
        result = measure_sweep("baseline-2023", overrides, args.runs, args.scale, backend)
        print(f"{name}: {format_sweep(result)}")
        seconds[name] = result.wall_seconds
    serial, pool, dask = seconds.values()
    print(f"speed-up with {args.workers} workers: {serial / pool:.2f}x")
    print(f"parallel efficiency: {serial / pool / args.workers:.0%}")
    print(f"Dask LocalCluster overhead vs the pool: {dask / pool - 1:+.1%}")


if __name__ == "__main__":
    main()
