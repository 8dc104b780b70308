"""Benchmark of the sweep backends: process-pool parallel efficiency and Dask overhead.

Runs one sweep of ``--runs`` runs (default 200: 100 Latin hypercube points over two
levers, 2 replicates) three times, each into a fresh folder: the process pool with 1
worker, with ``--workers`` workers, and a Dask LocalCluster with as many workers. Wall
times include starting the workers (and the cluster) and writing results. Prints the
times, the parallel efficiency of the pool (speed-up / workers) and the Dask cluster's
overhead against the pool, and checks that all three stored the same results.

    .venv/bin/python experiments/bench/sweep_bench.py [--runs 200] [--days 90] [--scale 200]

The machine may be shared: figures are what was measured, not guarantees.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

from routesim.sweeps.backends import Backend, DaskBackend, ProcessBackend
from routesim.sweeps.config import load_sweep
from routesim.sweeps.runner import run_sweep
from routesim.sweeps.storage import RunStore

CONFIG = """
[sweep]
name = "bench"
seed = 11
replicates = 2
scale = {scale}

[base]
scenario = "baseline-2023"
set = {{ "scenario.days" = {days}, "parameters.warmup_days" = 30 }}

[design]
kind = "latin_hypercube"
samples = {samples}

[parameters."levers.ngo_vessels"]
low = 0
high = 15

[parameters."assumptions.rescue_pull"]
low = 0.0
high = 1.0
"""


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="runs in the sweep (even)")
    parser.add_argument("--days", type=int, default=90, help="days per run, after 30 warm-up")
    parser.add_argument("--scale", type=float, default=200.0, help="people per agent")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sweep-bench-") as tmp:
        folder = Path(tmp)
        config = folder / "bench.toml"
        text = CONFIG.format(scale=args.scale, days=args.days, samples=args.runs // 2)
        config.write_text(text, encoding="utf-8")
        sweep = load_sweep(config)
        backends: dict[str, Backend] = {
            "process, 1 worker": ProcessBackend(1),
            f"process, {args.workers} workers": ProcessBackend(args.workers),
            f"dask LocalCluster, {args.workers} workers": DaskBackend(None, args.workers),
        }
        seconds: dict[str, float] = {}
        tables: list[pd.DataFrame] = []
        for index, (name, backend) in enumerate(backends.items()):
            out = folder / f"out{index}"
            start = time.perf_counter()
            run_sweep(sweep, out, backend, progress=False)
            seconds[name] = time.perf_counter() - start
            tables.append(RunStore.open(out).read())

    serial, pool, dask = seconds.values()
    figures = {
        "runs": len(tables[0]),
        "days_per_run": args.days,
        "scale": args.scale,
        "seconds": {name: round(value, 1) for name, value in seconds.items()},
        "speedup": round(serial / pool, 2),
        "parallel_efficiency": round(serial / pool / args.workers, 2),
        "dask_overhead": round(dask / pool - 1, 3),
        "identical_results": all(t.equals(tables[0]) for t in tables[1:]),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['runs']} runs of {args.days} days (+30 warm-up) at scale {args.scale:g}")
    for name, value in seconds.items():
        print(f"  {name:<32} {value:7.1f} s  {figures['runs'] / value:6.2f} runs/s")
    print(f"  speed-up with {args.workers} workers: {figures['speedup']:.2f}x")
    print(f"  parallel efficiency: {figures['parallel_efficiency']:.0%}")
    print(f"  Dask LocalCluster overhead vs the pool: {figures['dask_overhead']:+.1%}")
    print(f"  identical results on all three: {'yes' if figures['identical_results'] else 'NO'}")


if __name__ == "__main__":
    main()
