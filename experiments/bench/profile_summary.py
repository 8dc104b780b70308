"""Summarise a py-spy profile of a routesim run: share of samples per routesim function.

Record a run with py-spy (not a routesim dependency: ``pip install py-spy``) in its raw
format, for example ``py-spy record -f raw -r 200 -o out/profile.txt -- routesim run
baseline-2023 --replicates 1 --workers 1 --scale 1``, then summarise it with
``python experiments/bench/profile_summary.py out/profile.txt [--top 20]``.

py-spy's raw output has one line per distinct stack ("frame;frame;... count"). A
function's inclusive share counts every sample with it anywhere on the stack (once
per sample); its own share counts samples where it is the innermost routesim frame.
Imports show up as ``<module>`` frames.
"""

import argparse
import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.+) \((?P<file>[^:()]+)(?::\d+)?\)$")


def summarise(path: Path) -> tuple[int, Counter, Counter]:
    """Total samples, and inclusive and own samples per routesim function."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        names = []
        for frame in stack.split(";"):
            match = FRAME.match(frame.strip())
            if match and "routesim/" in match["file"]:
                names.append(f"{Path(match['file']).stem}: {match['function']}")
        for name in set(names):
            inclusive[name] += samples
        if names:
            own[names[-1]] += samples
    return total, inclusive, own


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    total, inclusive, own = summarise(args.profile)
    print(f"{total} samples")
    print(f"{'function':<40} {'inclusive':>10} {'own':>8}")
    for name, samples in inclusive.most_common(args.top):
        print(f"{name:<40} {samples / total:>10.1%} {own[name] / total:>8.1%}")


if __name__ == "__main__":
    main()
