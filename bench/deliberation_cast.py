"""Casting ballots over HTTP on PostgreSQL, as a ratio to a bare insert view measured in the same run.

    createdb -h 127.0.0.1 -U postgres courtyard_dlb2       # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/courtyard_dlb2 \\
        .venv/bin/python bench/deliberation_cast.py --voters 300 --rounds 3 --workers 4 --concurrency 8

1. Setup (in-process): migrate, build the org test tree once, add `--voters` residents of its unit,
   each with a login (one password hash computed once), then per round open a fresh vote of the
   unit's adult residents (simple majority, changes not allowed) — the electorate snapshot holds
   every voter.
2. gunicorn on 127.0.0.1 with bench/deliberation_settings.py (DEBUG off; bench/deliberation_urls.py
   adds the bare insert view `/bench/dlb-insert/`: login required, CSRF checked, ONE INSERT, redirect).
3. Every voter logs in over HTTP (GET the login form, POST phone + password + CSRF token), then
   fetches each vote page and keeps its form's CSRF token.
4. Per round, interleaved so both see the same machine: each voter POSTs once to the bare insert
   view, then each voter casts once (`POST /votes/<id>/`, choice yes/no/abstain), `--concurrency`
   client threads, a new connection per request (as bench/load.py).
5. Checks: every cast stored exactly one current ballot per voter; every insert stored one row.

Loopback only; bounded by the number of voters and rounds (each request made once). Writes
bench/results/<date>-deliberation-cast.json and prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.deliberation_settings")
HOST = "127.0.0.1"
PASSWORD = "bench-voter-pw-1"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# ---------------------------------------------------------------- HTTP client (stdlib, loopback)
class Session:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, float]:
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            for name, value in resp.getheaders():
                if name.lower() == "set-cookie":
                    k, _sep, rest = value.partition("=")
                    v = rest.split(";", 1)[0]
                    if v and "max-age=0" not in value.lower():
                        self.cookies[k.strip()] = v
                    else:
                        self.cookies.pop(k.strip(), None)
            return resp.status, text, time.perf_counter() - t0
        finally:
            conn.close()


def run_pool(jobs: list, concurrency: int) -> tuple[list[float], dict[int, int], float]:
    """Runs the callables (each returns (status, latency)) on `concurrency` threads; bounded by len(jobs)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    it = iter(jobs)

    def worker():
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                return
            try:
                status, latency = job()
            except OSError:
                status, latency = 0, 0.0
            with lock:
                latencies.append(latency)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses, time.perf_counter() - started


def summary(latencies: list[float], elapsed: float, statuses: dict) -> dict:
    lat = sorted(latencies)
    return {"requests": len(lat), "seconds": round(elapsed, 2), "rps": round(len(lat) / elapsed, 1) if elapsed else 0,
            "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
            "p95_ms": round(lat[max(0, int(len(lat) * 0.95) - 1)] * 1000, 1) if lat else None,
            "statuses": statuses}


# ---------------------------------------------------------------- setup (in-process, Django)
def setup(voters: int, rounds: int):
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
    from courtyard.deliberation import services
    from courtyard.deliberation.models import Vote
    from courtyard.org import services as org_services
    from courtyard.org.models import Person, RoleGrant, SelfGovernanceUnit
    from courtyard.org.tests import factories

    if not SelfGovernanceUnit.objects.filter(name="学道苑").exists():
        tree = factories.build_tree()
        factories.make_user("community_staff", tree.community_a, phone="13700000000")
    RoleGrant.objects.update(start_date=dt.date(2020, 1, 1))
    unit = SelfGovernanceUnit.objects.get(name="学道苑")
    staff = User.objects.get(phone_hash=org_services._clean_phone("13700000000")[1])
    home = Person.objects.filter(unit=unit, home__isnull=False).first().home
    sys_actor = Actor.system()
    have = Person.objects.filter(unit=unit, name__startswith="投票人").count()
    for i in range(have, voters):
        person = factories.person(unit.community, f"投票人{i:04d}", home=home, relation="tenant", birth_year=1970)
        org_services.create_user(by=sys_actor, phone=f"1360{i:07d}", display_name=person.name, person=person)
    User.objects.filter(phone_hash__in=[org_services._clean_phone(f"1360{i:07d}")[1] for i in range(voters)]).update(
        password=make_password(PASSWORD))
    phones = [f"1360{i:07d}" for i in range(voters)]
    now = timezone.now()
    votes = []
    for r in range(rounds):
        vote = services.create_vote(by=Actor(user=staff), unit=unit, title=f"bench cast {now:%H%M%S} #{r + 1}",
                                    electorate="adults", rule="simple_majority", opens_at=now - dt.timedelta(minutes=1),
                                    closes_at=now + dt.timedelta(hours=6))
        votes.append(services.open_vote(by=Actor(user=staff), vote=vote).pk)
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {TABLE}")
        c.execute(f"CREATE TABLE {TABLE} (id bigserial PRIMARY KEY, user_id bigint NOT NULL, "
                  "choice varchar(16) NOT NULL, at timestamptz NOT NULL)")
    electors = {v.pk: v.elector_people.count() for v in Vote.objects.filter(pk__in=votes)}
    return phones, votes, electors


def verify(votes: list[int], voters: int) -> dict:
    from django.db import connection
    from django.db.models import Count

    from bench.deliberation_urls import TABLE
    from courtyard.deliberation.models import Ballot

    per_vote = {}
    for v in votes:
        rows = Ballot.objects.filter(vote_id=v, is_current=True)
        dup = rows.values("voter_key").annotate(n=Count("id")).filter(n__gt=1).count()
        per_vote[v] = {"current_ballots": rows.count(), "duplicate_keys": dup}
    with connection.cursor() as c:
        c.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
        inserts = c.fetchone()[0]
        c.execute(f"DROP TABLE {TABLE}")
    return {"ballots": per_vote, "bare_rows": inserts, "expected_per_vote": voters}


# ---------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--voters", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3, help="one fresh vote per round; each voter casts once per vote")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--port", type=int, default=8777)
    args = ap.parse_args()
    if not (1 <= args.voters <= 5000 and 1 <= args.rounds <= 20):
        raise SystemExit("--voters 1..5000, --rounds 1..20")

    t0 = time.perf_counter()
    phones, votes, electors = setup(args.voters, args.rounds)
    print(f"setup: {args.voters} voters, {args.rounds} votes opened ({electors}) in {time.perf_counter() - t0:.1f} s")
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
        # Log in every voter over HTTP (argon2 check per login), then fetch each vote page for its token.
        sessions = [Session(args.port) for _ in phones]

        def login_job(s: Session, phone: str):
            def job():
                status, html, _t = s.request("GET", "/accounts/login/")
                token = TOKEN_RE.search(html).group(1)
                status, _html, latency = s.request("POST", "/accounts/login/", {
                    "csrfmiddlewaretoken": token, "phone": phone, "password": PASSWORD})
                return (status if "sessionid" in s.cookies else -status), latency
            return job

        t1 = time.perf_counter()
        _lat, login_status, _e = run_pool([login_job(s, ph) for s, ph in zip(sessions, phones, strict=True)],
                                          args.concurrency)
        print(f"logins: {login_status} in {time.perf_counter() - t1:.1f} s")
        tokens: dict[tuple[int, int], str] = {}

        def page_job(i: int, s: Session, vote: int):
            def job():
                status, html, latency = s.request("GET", f"/votes/{vote}/")
                m = TOKEN_RE.search(html)
                if m:
                    tokens[(i, vote)] = m.group(1)
                return status, latency
            return job

        _lat, page_status, _e = run_pool([page_job(i, s, v) for v in votes for i, s in enumerate(sessions)],
                                         args.concurrency)
        print(f"vote pages: {page_status}")
        choices = ("yes", "no", "abstain")

        def post_job(i: int, s: Session, path: str, token: str):
            def job():
                status, _html, latency = s.request("POST", path, {"csrfmiddlewaretoken": token,
                                                                  "choice": choices[i % 3]})
                return status, latency
            return job

        bare_lat, cast_lat, bare_time, cast_time = [], [], 0.0, 0.0
        bare_status: dict[int, int] = {}
        cast_status: dict[int, int] = {}
        for vote in votes:
            jobs = [post_job(i, s, "/bench/dlb-insert/", tokens[(i, vote)]) for i, s in enumerate(sessions)]
            lat, st, el = run_pool(jobs, args.concurrency)
            bare_lat += lat
            bare_time += el
            for k, n in st.items():
                bare_status[k] = bare_status.get(k, 0) + n
            jobs = [post_job(i, s, f"/votes/{vote}/", tokens[(i, vote)]) for i, s in enumerate(sessions)]
            lat, st, el = run_pool(jobs, args.concurrency)
            cast_lat += lat
            cast_time += el
            for k, n in st.items():
                cast_status[k] = cast_status.get(k, 0) + n
            print(f"vote {vote}: {len(jobs)} bare inserts and {len(jobs)} casts done")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    bare = summary(bare_lat, bare_time, bare_status)
    cast = summary(cast_lat, cast_time, cast_status)
    checks = verify(votes, args.voters)
    ratio = round(cast["rps"] / bare["rps"], 3) if bare["rps"] else None
    import django
    from django.db import connection

    out = {"date": dt.datetime.now().isoformat(timespec="seconds"), "database": connection.vendor,
           "voters": args.voters, "rounds": args.rounds, "workers": args.workers, "concurrency": args.concurrency,
           "cpus": os.cpu_count(), "django": django.get_version(), "bare_insert": bare, "cast": cast,
           "ratio": ratio, "checks": checks}
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    target = results / f"{dt.date.today().isoformat()}-deliberation-cast.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"{'target':<22} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    for name, r in (("bare insert view", bare), ("cast (POST /votes/…)", cast)):
        print(f"{name:<22} {r['requests']:>8} {r['rps']:>8} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8}  {r['statuses']}")
    ok = all(v["current_ballots"] == args.voters and v["duplicate_keys"] == 0 for v in checks["ballots"].values())
    print(f"cast / bare = {ratio}; ballots stored as expected: {ok}; bare rows {checks['bare_rows']}; "
          f"written to {target.relative_to(ROOT)}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
