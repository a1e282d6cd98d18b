"""In-process timing of one console page (no HTTP, no client threads): median wall and CPU per render.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/courtyard_bench_community \
        .venv/bin/python bench/console_list.py --url /console/dwellings/ --phone 13800000017 -n 40

Complements bench/load.py: load.py gives throughput against the bare view; this isolates the CPU one
render costs and the number of queries it runs (printed once)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="/console/dwellings/")
    ap.add_argument("--phone", default="13800000017")
    ap.add_argument("--password", default="courtyard-demo")
    ap.add_argument("-n", type=int, default=40)
    args = ap.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if not client.login(phone=args.phone, password=args.password):
        raise SystemExit("login failed: is the demo data loaded?")
    for _ in range(3):
        assert client.get(args.url).status_code == 200
    seen: list[float] = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append(time.perf_counter() - start)

    with connection.execute_wrapper(timed):  # survives the per-request connection close
        size = len(client.get(args.url).content)
    walls, cpus = [], []
    for _ in range(args.n):
        w, c = time.perf_counter(), time.process_time()
        client.get(args.url)
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    db_ms = sum(seen) * 1000
    print(f"{args.url}: median {statistics.median(walls):.1f} ms wall, {statistics.median(cpus):.1f} ms CPU "
          f"(n={args.n}), {len(seen)} queries ({db_ms:.1f} ms in the database), {size} bytes")


if __name__ == "__main__":
    main()
