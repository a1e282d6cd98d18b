"""Service-desk benchmarks on PostgreSQL:

1. request filing throughput: `services.file_request` in-process (SLA clocks, event, audit,
   notifications), N requests, one thread;
2. the overdue sweep over M open requests (default 1,000,000, bulk-inserted with generate_series),
   K of them past their deadline, as a ratio to ONE indexed count query
   (`count(*) WHERE next_due < now`) measured in the same run. The first sweep does the real work
   (flags K requests, climbs the ladder, notifies); the second finds nothing new to do.

    createdb -h 127.0.0.1 -U postgres courtyard_bench_svc
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/courtyard_bench_svc \
        .venv/bin/python bench/servicedesk_sweep.py --open 1000000 --overdue 1000 --file 300

Uses its own database: migrates, builds the org test tree once, wipes servicedesk requests.
The org tree is the small test tree (three communities); the table, its indexes and the sweep's
query are what a district-scale table looks like — the sweep never walks places.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--open", type=int, default=1_000_000)
    ap.add_argument("--overdue", type=int, default=1000)
    ap.add_argument("--file", type=int, default=300)
    args = ap.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from courtyard.core.audit import Actor
    from courtyard.org.models import Place, RoleGrant
    from courtyard.org.tests import factories
    from courtyard.servicedesk import services
    from courtyard.servicedesk.models import Category, Request

    assert connection.vendor == "postgresql", "run on PostgreSQL"
    if not Place.objects.filter(name="学道街社区").exists():
        t = factories.build_tree()
        factories.make_user("microgrid_worker", t.microgrid1)
        factories.make_user("community_staff", t.community_a)
    with connection.cursor() as c:
        c.execute("TRUNCATE servicedesk_request CASCADE")
    RoleGrant.objects.update(start_date=dt.date(2020, 1, 1))
    entrances = list(Place.objects.filter(kind="entrance", community__name="学道街社区"))
    cat = Category.objects.get(code="water-leak")
    resident = factories.make_user(person=None)

    # 1. filing throughput
    times = []
    for i in range(args.file):
        t0 = time.perf_counter()
        services.file_request(by=Actor(user=resident), reporter_user=resident, place=entrances[i % len(entrances)],
                              category=cat, title=f"bench {i}")
        times.append(time.perf_counter() - t0)
    filing = {"n": args.file, "per_s": args.file / sum(times), "p50_ms": 1000 * statistics.median(times),
              "p95_ms": 1000 * sorted(times)[int(0.95 * len(times)) - 1]}
    print(f"filing: {filing['per_s']:.1f} requests/s, p50 {filing['p50_ms']:.1f} ms, p95 {filing['p95_ms']:.1f} ms")

    # 2. M open requests, K overdue
    e = entrances[0]
    now = timezone.now()
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("""
            INSERT INTO servicedesk_request (community_id, unit_id, place_id, facility, path, kind, category_id,
                urgency, title, description, state, reporter_name, channel, source, public_anonymous,
                dispatch_reason, referred_to, group_matter, created_at, accept_due, onsite_due, resolve_due,
                next_due, paused_seconds, overdue, escalation, token, updated_at)
            SELECT %(community)s, NULL, %(place)s, '', %(path)s, 'repair', %(cat)s, 'normal', 'bulk', '',
                'accepted', '', 'online', 'bench', false, '', '', false, %(now)s - interval '1 hour',
                %(now)s, %(now)s, %(now)s + interval '5 days',
                CASE WHEN g <= %(k)s THEN %(now)s - interval '2 hours'
                     ELSE %(now)s + (g %% 7200) * interval '1 minute' END,
                0, false, 0, '', %(now)s
            FROM generate_series(1, %(m)s) AS g
        """, {"community": e.community_id, "place": e.pk, "path": e.path, "cat": cat.pk, "now": now,
              "k": args.overdue, "m": args.open})
        c.execute("ANALYZE servicedesk_request")
    print(f"inserted {args.open:,} open requests ({args.overdue:,} overdue) in {time.perf_counter() - t0:.1f} s")

    def count_query():
        t = time.perf_counter()
        n = Request.objects.filter(next_due__lt=now + dt.timedelta(minutes=1)).count()
        return time.perf_counter() - t, n

    count_query()  # warm
    counts = [count_query() for _ in range(5)]
    count_s = statistics.median(t for t, _n in counts)
    t = time.perf_counter()
    first = services.sweep_overdue(now=now + dt.timedelta(minutes=1))
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    second = services.sweep_overdue(now=now + dt.timedelta(minutes=1))
    second_s = time.perf_counter() - t
    print(f"count query: {1000 * count_s:.2f} ms (n={counts[0][1]:,})")
    print(f"sweep 1 (does the work): {first} in {1000 * first_s:.0f} ms = {first_s / count_s:.0f}x the count query")
    print(f"sweep 2 (nothing new): {second} in {1000 * second_s:.0f} ms = {second_s / count_s:.0f}x the count query")
    total = Request.objects.count()
    print(f"table: {total:,} requests")


if __name__ == "__main__":
    main()
