"""Report the calibrated baseline against 2023 facts that were not fitted.

Usage: python experiments/calibration/other_facts.py [--replicates N] [--scale S]

Writes experiments/calibration/other_facts.csv and prints it. The facts and their
sources are in routesim/data/observed/2023.toml ([facts]).
"""

import argparse
import sys
from pathlib import Path

import pandas as pd

from routesim.ensemble import replicate_seeds
from routesim.geography import load_geography
from routesim.model import RouteModel
from routesim.observed import load_observed
from routesim.scenario import load_scenario

#: Departure countries of the Central Mediterranean crossings to Italy and Malta (the few
#: Türkiye -> Calabria boats are counted with Türkiye's Aegean departures and left out).
CENTRAL_MED_COUNTRIES = ("LBY", "TUN", "EGY")


def one_run(seed: int, scale: float, geography) -> dict[str, float]:
    """The reported figures of one replicate."""
    model = RouteModel(load_scenario("baseline-2023"), seed=seed, scale=scale, geography=geography)
    daily = model.run()
    countries = model.country_totals()
    central = daily[daily["route"] == "central_med"]
    arrivals = countries["arrivals"].reindex(CENTRAL_MED_COUNTRIES, fill_value=0.0)
    return {
        "libya_coast_guard_returns": countries["partner_interceptions"].get("LBY", 0.0),
        "tunisia_departures_prevented": countries["partner_interceptions"].get("TUN", 0.0),
        "morocco_attempts_foiled": countries["partner_interceptions"].get("MAR", 0.0),
        "central_med_departures": central["departures"].sum(),
        "central_med_intercepted": central["partner_interceptions"].sum(),
        "tunisia_share_of_italy_arrivals": arrivals["TUN"] / max(arrivals.sum(), 1.0),
        "ngo_share_of_italy_arrivals": central["rescues_ngo"].sum()
        / max(central["detections"].sum(), 1.0),
    }


def main() -> int:
    """Run the replicates and print simulated against reported figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicates", type=int, default=6)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    geography = load_geography()
    runs = pd.DataFrame(
        [
            one_run(seed, args.scale, geography)
            for seed in replicate_seeds(args.seed, args.replicates)
        ]
    )
    facts = load_observed(2023).facts
    table = pd.DataFrame(
        {
            "simulated_mean": runs.mean(),
            "simulated_p05": runs.quantile(0.05),
            "simulated_p95": runs.quantile(0.95),
            "reported": pd.Series(facts),
        }
    )
    table["ratio"] = table["simulated_mean"] / table["reported"]
    out = Path(__file__).with_name("other_facts.csv")
    table.round(3).to_csv(out, index_label="fact")
    print(table.round(3).to_string())
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
