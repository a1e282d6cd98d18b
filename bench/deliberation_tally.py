"""Time to tally a 5,000-dwelling owners' vote (pure function, exact arithmetic).

    .venv/bin/python bench/deliberation_tally.py [--dwellings 5000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from courtyard.deliberation.tally import RULES, Elector, tally  # noqa: E402
from courtyard.deliberation.tally_io import run_contract  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dwellings", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(1)
    # ~3 % of owners hold two dwellings; the developer keeps 40 unsold.
    dwellings, owner = [], 0
    for i in range(args.dwellings):
        if i < 40:
            key = "DEV"
        elif rng.random() < 0.03 and owner:
            key = f"P{owner}"
        else:
            owner += 1
            key = f"P{owner}"
        dwellings.append({"id": f"D{i}", "area": f"{rng.randint(4000, 14000) / 100:.2f}", "owner": key})
    areas: dict[str, Decimal] = {}
    for d in dwellings:
        areas[d["owner"]] = areas.get(d["owner"], Decimal(0)) + Decimal(d["area"])
    electors = [Elector(k, a) for k, a in areas.items()]
    ballots = {k: rng.choices(["yes", "no", "abstain"], [85, 10, 5])[0] for k in areas if rng.random() < 0.8}
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = tally(electors, ballots, RULES["art278_major"])
        times.append(time.perf_counter() - t0)
    text = json.dumps({"rule": "art278_major", "dwellings": dwellings,
                       "ballots": [{"owner": k, "choice": v} for k, v in ballots.items()]})
    t0 = time.perf_counter()
    run_contract(text)
    contract = time.perf_counter() - t0
    print(f"tally {args.dwellings} dwellings / {len(electors)} owners / {len(ballots)} ballots: "
          f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; "
          f"JSON contract (parse + validate + tally) {contract * 1000:.1f} ms; passed={result.passed}")


if __name__ == "__main__":
    main()
