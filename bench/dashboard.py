"""The community results dashboard at community scale and at district scale, in one run (issue 13).

    createdb -h 127.0.0.1 -U postgres cy_insight_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cy_insight_bench \
        .venv/bin/python bench/dashboard.py --communities 49 -n 40

1. Migrates and loads `demo_data --scale community` if the database is empty (合江亭 with 12 months
   of history; the insight demo stores its snapshots).
2. Times /console/insight/?scope=community:<合江亭> for the last complete month as the demo
   community staff login, in-process (Django test client, no HTTP): median wall and CPU per render,
   queries, and the tables they touch.
3. Grows the tree to district scale: `--communities` more communities (each ~700 places: grids,
   micro-grids, buildings, entrances; 4 units) under new subdistricts of the district, and their
   snapshots for 13 months, 5 quarters and 2 years at every node — the rows the dashboards read.
   Dwellings and people are not added: the dashboard never reads them (the table list printed in
   step 2 shows it), and the snapshot job that does is a nightly background task.
4. Times the same page again and prints the ratio district ÷ community (target ≤ 1.5).

Run it twice and the second run starts from the grown database: drop and re-create it to compare.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def measure(client, url: str, n: int) -> dict:
    from django.db import connection

    for _ in range(3):
        assert client.get(url).status_code == 200
    seen: list[str] = []

    def log(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        client.get(url)
    tables = sorted({t for sql in seen for t in re.findall(r'FROM "(\w+)"', sql)})
    walls, cpus = [], []
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "queries": len(seen), "tables": tables}


def grow(district, communities: int, months: int = 13) -> tuple[int, int]:
    """Bulk-insert communities with their place trees, units and snapshot rows (no dwellings)."""
    from django.db import transaction
    from django.utils import timezone

    from courtyard.core.indicators import Period, catalogue
    from courtyard.insight.models import Snapshot
    from courtyard.org.models import Place, SelfGovernanceUnit

    today = timezone.localdate()
    periods = Period.containing(today).back(months)
    periods += Period.containing(today, "quarter").back(5) + Period.containing(today, "year").back(2)
    codes = list(catalogue())
    places = snaps = 0

    def level(kind, specs):
        """Bulk-insert one level of places [(name, parent)], then fill their paths (two statements)."""
        nonlocal places
        rows = Place.objects.bulk_create([Place(kind=kind, name=name, parent=parent, path="", depth=parent.depth + 1,
                                                community_id=parent.community_id) for name, parent in specs])
        for p in rows:
            p.path = f"{p.parent.path}{p.pk}."
            if kind == "community":
                p.community_id = p.pk
        Place.objects.bulk_update(rows, ["path", "community"])
        places += len(rows)
        return rows

    def node(kind, name, parent):
        return level(kind, [(name, parent)])[0]

    def snap_rows(kind, key, name, place_id, unit_id, path):
        return [Snapshot(scope_kind=kind, scope_key=key, scope_name=name, place_id=place_id, unit_id=unit_id,
                         path=path, period_kind=p.kind, period_start=p.start, period_key=p.key, code=code,
                         numerator=(hash((key, p.key, code)) % 90) + 5, denominator=100, stage="year5",
                         colour="green") for p in periods for code in codes]

    per_sub = 10
    sub = None
    for i in range(communities):
        with transaction.atomic():
            if i % per_sub == 0:
                sub = node("subdistrict", f"基准街道{i // per_sub + 1}", district)
                Snapshot.objects.bulk_create(snap_rows("subdistrict", f"subdistrict:{sub.pk}", sub.name, sub.pk,
                                                       None, sub.path))
            c = node("community", f"基准社区{i + 1}", sub)
            rows = snap_rows("community", f"community:{c.pk}", c.name, c.pk, None, c.path)
            grids = level("grid", [(f"第{g + 1}网格", c) for g in range(14)])
            micros = level("microgrid", [(f"{g.name}{m + 1}号微网格", g) for g in grids for m in range(2)])
            buildings = level("building", [(f"{mg.name}{b + 1}栋", mg) for mg in micros for b in range(12)])
            level("entrance", [(f"{b.name}1单元", b) for b in buildings])
            for u in range(4):
                unit = SelfGovernanceUnit.objects.create(community=c, name=f"基准单元{i + 1}-{u + 1}",
                                                         slug=f"bench-{c.pk}-{u + 1}")
                rows += snap_rows("unit", f"unit:{unit.pk}", unit.name, c.pk, unit.pk, c.path)
            Snapshot.objects.bulk_create(rows)
            snaps += len(rows)
    return places, snaps


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--communities", type=int, default=49, help="communities added for district scale")
    ap.add_argument("-n", type=int, default=40, help="renders timed per measurement")
    args = ap.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from courtyard.core.indicators import Period
    from courtyard.insight.models import Snapshot
    from courtyard.org.models import Place, RoleGrant

    call_command("migrate", verbosity=0)
    if not Place.objects.filter(name="合江亭社区").exists():
        t = time.monotonic()
        call_command("demo_data", scale="community", seed=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"demo_data --scale community: {time.monotonic() - t:.0f} s")
    community = Place.objects.get(name="合江亭社区")
    staff = RoleGrant.objects.select_related("user").get(role="community_staff", title="演示账号").user
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff, backend="courtyard.core.auth.PhoneBackend")
    month = Period.containing(timezone.localdate()).previous()
    url = f"/console/insight/?scope=community:{community.pk}&period={month.key}"

    before = {"places": Place.objects.count(), "snapshots": Snapshot.objects.count()}
    small = measure(client, url, args.n)
    t = time.monotonic()
    district = Place.objects.get(pk=int(community.path.split(".")[0]))
    places, snaps = grow(district, args.communities)
    print(f"grew by {places} places and {snaps} snapshot rows in {time.monotonic() - t:.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    after = {"places": Place.objects.count(), "snapshots": Snapshot.objects.count()}
    big = measure(client, url, args.n)
    print(f"tables read: {', '.join(small['tables'])}")
    for label, sizes, m in (("community scale", before, small), ("district scale", after, big)):
        print(f"{label:16} {sizes['places']:>7} places {sizes['snapshots']:>8} snapshots: "
              f"median {m['wall']:.1f} ms wall, {m['cpu']:.1f} ms CPU, {m['queries']} queries")
    print(f"ratio district / community: {big['wall'] / small['wall']:.2f} (wall), {big['cpu'] / small['cpu']:.2f} (CPU)")


if __name__ == "__main__":
    main()
