"""Parameter sweeps: many runs over a design of levers, assumptions and parameters.

The package follows the split of the EMA Workbench, each part replaceable alone:

- `routesim.sweeps.config`: the sweep config file (TOML), validated like a scenario;
- `routesim.sweeps.parameters`: what one swept input may take (a range or a list);
- `routesim.sweeps.samplers`: designs (grid, Latin hypercube, Sobol/Saltelli) as points;
- `routesim.sweeps.runs`: points times replicates, each run with its seed;
- `routesim.sweeps.outcomes`: what is kept of a run (totals per route, lever targets);
- `routesim.sweeps.evaluators`: what is kept of each run and the rows stored; the runs
  themselves go through `routesim.engine`, on a backend of `routesim.parallel` (a local
  process pool or Dask);
- `routesim.sweeps.storage`: the Parquet dataset, written as runs finish, resumable;
- `routesim.sweeps.runner`: the loop that ties them together;
- `routesim.sweeps.analysis`, `routesim.sweeps.plots`, `routesim.sweeps.report`: tables,
  figures and Sobol indices made from a stored sweep;
- `routesim.sweeps.discovery`: scenario discovery (PRIM) on a stored sweep;
- `routesim.sweeps.workbench`: routesim as an EMA Workbench model.

Importing this package imports nothing heavy; each module imports what it needs.
"""
