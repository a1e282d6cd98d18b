"""A burst of points-shop redemptions over HTTP on PostgreSQL, as a ratio to a bare insert view measured
in the same run, and a check that nothing was oversold and no balance went below zero.

    createdb -h 127.0.0.1 -U postgres courtyard_redeem      # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/courtyard_redeem \\
        .venv/bin/python bench/redemption.py --residents 200 --tries 3 --workers 4 --concurrency 8

1. Setup (in-process): migrate, build the org test tree once, add `--residents` residents of its unit with
   logins; publish a check-in rule worth 100 points, credit each resident one checked-in shift (100 points),
   and put one item costing 50 points in the shop with stock = `--residents` (so demand is `--tries` ×
   residents, the points allow 2 × residents and the stock allows 1 × residents: the stock runs out first).
2. gunicorn with bench/deliberation_settings.py (the same bare insert view `/bench/dlb-insert/` as
   bench/deliberation_cast.py: login required, CSRF checked, ONE INSERT, redirect).
3. Every resident logs in over HTTP and fetches the shop page for its CSRF token.
4. Interleaved so both see the same machine: each resident POSTs `--tries` times to the bare insert view,
   then `--tries` times to `POST /participation/shop/<item>/redeem/`, `--concurrency` client threads.
5. Checks: redemptions == initial stock − final stock == min(demand, stock); stock ≥ 0; every balance ≥ 0
   and equal to the sum of its entries; every chain verifies; the bare view stored one row per POST.

Writes bench/results/<date>-redemption.json and prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.deliberation_settings")

from bench.deliberation_cast import HOST, TOKEN_RE, Session, run_pool, summary  # noqa: E402

PASSWORD = "bench-resident-pw-1"
COST = 50
EARN = 100


def setup(residents: int) -> tuple[list[str], int, int]:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL=postgres://…)"
    call_command("migrate", verbosity=0)
    from bench.deliberation_urls import TABLE
    from courtyard.core.audit import Actor
    from courtyard.core.models import User
    from courtyard.org import services as org_services
    from courtyard.org.models import Person, RoleGrant, SelfGovernanceUnit
    from courtyard.org.tests import factories
    from courtyard.participation import services
    from courtyard.participation.models import PointsAccount, Rota, Shift

    if not SelfGovernanceUnit.objects.filter(name="学道苑").exists():
        tree = factories.build_tree()
        factories.make_user("community_staff", tree.community_a, phone="13700000000")
    RoleGrant.objects.update(start_date=dt.date(2020, 1, 1))
    unit = SelfGovernanceUnit.objects.get(name="学道苑")
    staff = Actor(user=User.objects.get(phone_hash=org_services._clean_phone("13700000000")[1]))
    home = Person.objects.filter(unit=unit, home__isnull=False).first().home
    system = Actor.system()
    have = Person.objects.filter(unit=unit, name__startswith="兑换人").count()
    for i in range(have, residents):
        person = factories.person(unit.community, f"兑换人{i:04d}", home=home, relation="tenant", birth_year=1970)
        org_services.create_user(by=system, phone=f"1350{i:07d}", display_name=person.name, person=person)
    phones = [f"1350{i:07d}" for i in range(residents)]
    User.objects.filter(phone_hash__in=[org_services._clean_phone(p)[1] for p in phones]).update(
        password=make_password(PASSWORD))
    services.save_rule(by=staff, unit=unit, act="rota_checkin", points=EARN)
    rota = Rota.objects.filter(unit=unit, name="bench").first() or services.create_rota(
        by=staff, unit=unit, name="bench", kind="duty_desk", post="bench")
    day = timezone.localdate() - dt.timedelta(days=int(time.time()) % 3000 + 1)  # a fresh day per run
    people = Person.objects.filter(unit=unit, name__startswith="兑换人").order_by("pk")[:residents]
    for p in people:
        account = PointsAccount.objects.filter(unit=unit, person=p).first()
        if account is None or account.balance < 2 * COST:
            shift = Shift.objects.create(rota=rota, day=day, person=p)
            services.credit(by=system, unit=unit, person=p, act="rota_checkin", source_id=shift.pk, day=day)
    item = services.save_item(by=staff, unit=unit, name=f"bench {dt.datetime.now():%H%M%S}", kind="goods", cost=COST,
                              stock=residents)
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {TABLE}")
        c.execute(f"CREATE TABLE {TABLE} (id bigserial PRIMARY KEY, user_id bigint NOT NULL, "
                  "choice varchar(16) NOT NULL, at timestamptz NOT NULL)")
    return phones, item.pk, residents


def verify(item_id: int, stock0: int, demand: int) -> dict:
    from django.db import connection
    from django.db.models import F, Sum

    from bench.deliberation_urls import TABLE
    from courtyard.participation.models import PointsAccount, PointsEntry, Redemption, ShopItem
    from courtyard.participation.verify import verify_all

    item = ShopItem.objects.get(pk=item_id)
    sold = Redemption.objects.filter(item=item).count()
    sums = dict(PointsEntry.objects.values_list("account").annotate(s=Sum("points")))
    mismatched = [a.pk for a in PointsAccount.objects.all() if a.balance != sums.get(a.pk, 0)]
    with connection.cursor() as c:
        c.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
        inserts = c.fetchone()[0]
        c.execute(f"DROP TABLE {TABLE}")
    return {"stock_before": stock0, "stock_after": item.stock, "sold": sold, "demand": demand,
            "expected_sold": min(demand, stock0), "negative_balances": PointsAccount.objects.filter(balance__lt=0).count(),
            "balance_not_sum": mismatched, "chain_breaks": len(verify_all()), "bare_rows": inserts,
            "over_cost": Redemption.objects.filter(item=item).exclude(cost=F("item__cost")).count()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=200)
    ap.add_argument("--tries", type=int, default=3, help="redemption POSTs per resident (all in one burst)")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--port", type=int, default=8778)
    args = ap.parse_args()
    if not (1 <= args.residents <= 5000 and 1 <= args.tries <= 10):
        raise SystemExit("--residents 1..5000, --tries 1..10")
    t0 = time.perf_counter()
    phones, item_id, stock0 = setup(args.residents)
    print(f"setup: {args.residents} residents with {EARN} points, item stock {stock0} in {time.perf_counter() - t0:.1f} s")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.deliberation_settings")
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--bind", f"{HOST}:{args.port}",
         "--workers", str(args.workers), "--chdir", str(ROOT), "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        for _ in range(150):
            try:
                Session(args.port).request("GET", "/bench/bare/")
                break
            except OSError:
                time.sleep(0.2)
        sessions = [Session(args.port) for _ in phones]
        tokens: dict[int, str] = {}

        def login_job(i: int, s: Session, phone: str):
            def job():
                _st, html, _t = s.request("GET", "/accounts/login/")
                token = TOKEN_RE.search(html).group(1)
                status, _html, latency = s.request("POST", "/accounts/login/", {
                    "csrfmiddlewaretoken": token, "phone": phone, "password": PASSWORD})
                _st, html, _t = s.request("GET", "/participation/shop/")
                m = TOKEN_RE.search(html)
                if m:
                    tokens[i] = m.group(1)
                return (status if "sessionid" in s.cookies else -status), latency
            return job

        _lat, login_status, _e = run_pool([login_job(i, s, p) for i, (s, p) in enumerate(zip(sessions, phones,
                                                                                               strict=True))],
                                          args.concurrency)
        print(f"logins and shop pages: {login_status}")

        def post_job(i: int, path: str):
            def job():
                status, _html, latency = sessions[i].request("POST", path, {"csrfmiddlewaretoken": tokens[i],
                                                                            "choice": "x"})
                return status, latency
            return job

        order = [i for _ in range(args.tries) for i in range(len(sessions))]
        bare_lat, bare_status, bare_time = run_pool([post_job(i, "/bench/dlb-insert/") for i in order],
                                                    args.concurrency)
        redeem_lat, redeem_status, redeem_time = run_pool(
            [post_job(i, f"/participation/shop/{item_id}/redeem/") for i in order], args.concurrency)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    bare = summary(bare_lat, bare_time, bare_status)
    redeem = summary(redeem_lat, redeem_time, redeem_status)
    checks = verify(item_id, stock0, len(order))
    ratio = round(redeem["rps"] / bare["rps"], 3) if bare["rps"] else None
    import django
    from django.db import connection

    out = {"date": dt.datetime.now().isoformat(timespec="seconds"), "database": connection.vendor,
           "residents": args.residents, "tries": args.tries, "workers": args.workers,
           "concurrency": args.concurrency, "cpus": os.cpu_count(), "django": django.get_version(),
           "bare_insert": bare, "redeem": redeem, "ratio": ratio, "checks": checks}
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    target = results / f"{dt.date.today().isoformat()}-redemption.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"{'target':<24} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    for name, r in (("bare insert view", bare), ("redeem (POST …/redeem/)", redeem)):
        print(f"{name:<24} {r['requests']:>8} {r['rps']:>8} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8}  {r['statuses']}")
    ok = (checks["sold"] == checks["expected_sold"] == checks["stock_before"] - checks["stock_after"]
          and checks["stock_after"] >= 0 and not checks["negative_balances"] and not checks["balance_not_sum"]
          and not checks["chain_breaks"] and checks["bare_rows"] == len(order) and not checks["over_cost"])
    print(f"redeem / bare = {ratio}; sold {checks['sold']} of stock {stock0} for {len(order)} tries; "
          f"no oversell, no negative balance, chains intact: {ok}; written to {target.relative_to(ROOT)}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
