"""Funds benchmarks: the public ledger page over N entries, and `ledger_verify` over M entries as a
ratio to hashing the same canonical bytes with hashlib alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/courtyard_bench_funds \
        .venv/bin/python bench/funds_ledger.py --entries 1000000 --requests 200

Builds its own data (the org test tree plus one account with a valid chain, bulk-inserted), so run
it on a database of its own: it migrates, then wipes and refills that account. The page is driven
in-process with Django's test Client (no network, one thread), against the bare /healthz view as
the baseline; numbers are per request on this machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def build(n: int):
    from django.db import connection
    from django.utils import timezone

    from courtyard.funds import chain
    from courtyard.funds.models import Account, LedgerEntry
    from courtyard.org.models import SelfGovernanceUnit
    from courtyard.org.tests import factories

    unit = SelfGovernanceUnit.objects.filter(name="学道苑").first()
    if unit is None:
        unit = factories.build_tree().unit
    with connection.cursor() as c:  # a fresh account each run (bench database only)
        c.execute("SELECT count(*) FROM funds_account WHERE unit_id = %s", [unit.pk])
    acc = Account.objects.create(community=unit.community, unit=unit, purpose="renovation",
                                 name=f"bench {timezone.now():%H%M%S%f}", custodian="bench", policy="three_party")
    prev, batch, start = chain.GENESIS, [], dt.date(2020, 1, 1)
    now = timezone.now()
    t0 = time.perf_counter()
    for seq in range(1, n + 1):
        e = LedgerEntry(account=acc, seq=seq, booked_on=start + dt.timedelta(days=seq // 300), kind="income",
                        amount_fen=100 + seq % 997, basis="donation" if seq % 3 else "levy",
                        category=("safety", "environment", "culture", "office")[seq % 4],
                        counterparty_kind="organisation" if seq % 2 else "person",
                        counterparty_name="成都某公司" if seq % 2 else "王秀英", receipt_no=f"R-{seq}",
                        memo="bench", created_at=now + dt.timedelta(microseconds=seq), prev_hash=prev)
        e.hash = prev = chain.entry_hash(prev, e.chain_values())
        batch.append(e)
        if len(batch) == 5000:
            LedgerEntry.objects.bulk_create(batch)
            batch = []
    LedgerEntry.objects.bulk_create(batch)
    total = sum(100 + seq % 997 for seq in range(1, n + 1))  # all income, none from government
    Account.objects.filter(pk=acc.pk).update(head_seq=n, head_hash=prev, head_at=now, balance_fen=total,
                                             income_fen=total, gov_income_fen=0)
    acc.refresh_from_db()
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ANALYZE funds_ledgerentry")
    print(f"built {n} entries in {time.perf_counter() - t0:.1f} s")
    return unit, acc


def page_bench(unit, requests: int) -> dict:
    from django.test import Client

    c = Client()
    out = {}
    for label, url in (("bare /healthz", "/healthz"), ("public ledger", f"/u/{unit.slug}/ledger/"),
                       ("public ledger, filtered", f"/u/{unit.slug}/ledger/?category=safety&month=2021-06")):
        c.get(url)
        times = []
        t0 = time.perf_counter()
        for _ in range(requests):
            t = time.perf_counter()
            r = c.get(url)
            assert r.status_code == 200, (url, r.status_code)
            times.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
        times.sort()
        out[label] = {"req_s": requests / total, "p50_ms": statistics.median(times) * 1000,
                      "p95_ms": times[int(len(times) * 0.95) - 1] * 1000}
    return out


def verify_bench(acc, *, old: bool = False) -> dict:
    """ledger_verify's chain walk vs SHA-256 alone over the same bytes. The hashlib baseline is timed
    chunk by chunk (payloads of 20,000 rows encoded untimed, then only the hashing loop timed), so a
    million payloads never sit in memory at once."""
    from courtyard.funds import chain
    from courtyard.funds.verify import _rows, _typed, verify_account

    t0 = time.perf_counter()
    n, broken = verify_account(acc)
    verify_s = time.perf_counter() - t0
    assert broken is None, broken
    hash_s, prev, chunk = 0.0, chain.GENESIS, []

    def hash_chunk(prev):
        payloads = [chain.canonical_row(r[4:]) for r in chunk]  # the same bytes, prepared untimed
        t = time.perf_counter()
        for p in payloads:
            prev = hashlib.sha256(prev.encode("ascii") + b"\n" + p).hexdigest()
        return prev, time.perf_counter() - t

    for r in _rows(acc.pk):
        chunk.append(r)
        if len(chunk) == 20000:
            prev, dt_ = hash_chunk(prev)
            hash_s += dt_
            chunk = []
    if chunk:
        prev, dt_ = hash_chunk(prev)
        hash_s += dt_
    assert prev == acc.head_hash
    out = {"entries": n, "verify_s": verify_s, "hashlib_s": hash_s, "ratio": verify_s / hash_s}
    if old:  # the first implementation: a dict per row and json.dumps (kept for before/after)
        t0 = time.perf_counter()
        prev = chain.GENESIS
        for r in _rows(acc.pk):
            v = _typed(r)
            assert v["prev_hash"] == prev
            prev = chain.entry_hash(prev, v)
            assert prev == v["hash"]
        out["old_verify_s"] = time.perf_counter() - t0
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--skip-page", action="store_true")
    ap.add_argument("--old-verify", action="store_true", help="also time the first (dict + json.dumps) verifier")
    args = ap.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    unit, acc = build(args.entries)
    if not args.skip_page:
        for label, r in page_bench(unit, args.requests).items():
            print(f"{label:<28} {r['req_s']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms")
    v = verify_bench(acc, old=args.old_verify)
    print(f"ledger_verify {v['entries']} entries: {v['verify_s']:.2f} s; hashlib alone {v['hashlib_s']:.2f} s; "
          f"ratio {v['ratio']:.1f}x", flush=True)
    if "old_verify_s" in v:
        print(f"first verifier (dict + json.dumps): {v['old_verify_s']:.2f} s; "
              f"ratio {v['old_verify_s'] / v['hashlib_s']:.1f}x")


if __name__ == "__main__":
    main()
