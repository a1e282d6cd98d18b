"""Load test: gunicorn on 127.0.0.1, concurrent clients on a bare view, the resident home and a staff list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/courtyard_bench_community \
        .venv/bin/python bench/load.py --workers 4 --concurrency 8 --seconds 15

Loopback only, bounded by time and request count. Writes bench/results/<date>.json and prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
HOST = "127.0.0.1"


def session_cookie(phone: str, password: str) -> str:
    """Logs in through Django's auth stack (PhoneBackend) and returns the session cookie value."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    client = Client()
    if not client.login(phone=phone, password=password):
        raise SystemExit(f"login failed for {phone}: is the demo data loaded (manage.py demo_data)?")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def worker_rss_kb(master_pid: int) -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != master_pid and int(entry.name) != master_pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total


def drive(port: int, path: str, cookie: str, concurrency: int, seconds: float, max_requests: int) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    count = [0]

    def run():
        local, local_status = [], {}
        while time.monotonic() < deadline:
            with lock:
                if count[0] >= max_requests:
                    break
                count[0] += 1
                n = count[0]
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            try:
                # "{n}" in a path becomes a number unique to the request (a page no cache has seen).
                conn.request("GET", path.replace("{n}", f"{time.monotonic_ns()}-{n}"),
                             headers={"Cookie": cookie} if cookie else {})
                resp = conn.getresponse()
                resp.read()
                local_status[resp.status] = local_status.get(resp.status, 0) + 1
            except OSError:
                local_status[0] = local_status.get(0, 0) + 1
            finally:
                conn.close()
            local.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(local)
            for k, v in local_status.items():
                statuses[k] = statuses.get(k, 0) + v

    started = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else None
    return {
        "path": path, "requests": len(latencies), "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(p95 * 1000, 1) if p95 else None, "statuses": statuses,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--max-requests", type=int, default=20000)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--bare-url", default="/bench/bare/")
    ap.add_argument("--home-url", default="/")
    ap.add_argument("--staff-url", default="/console/dwellings/")
    ap.add_argument("--cold-staff-url", default="/console/dwellings/?v={n}",
                    help="the staff list as a query never seen before ({n}: unique per request): no kept table")
    ap.add_argument("--resident-phone", default="13800000001")
    ap.add_argument("--staff-phone", default="13800000017", help="the grid worker on 第8网格")
    ap.add_argument("--password", default="courtyard-demo")
    ap.add_argument("--label", default="", help="e.g. community / district, stored in the results")
    args = ap.parse_args()

    resident = session_cookie(args.resident_phone, args.password)
    staff = session_cookie(args.staff_phone, args.password)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings")
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--bind", f"{HOST}:{args.port}",
         "--workers", str(args.workers), "--chdir", str(ROOT), "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], worker_rss_kb(gunicorn.pid))
            stop.wait(0.5)

    try:
        for _ in range(100):  # wait for the server
            try:
                c = http.client.HTTPConnection(HOST, args.port, timeout=2)
                c.request("GET", args.bare_url)
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        results = []
        for name, path, cookie in (("bare view", args.bare_url, ""), ("resident home", args.home_url, resident),
                                   ("staff list", args.staff_url, staff),
                                   ("staff list, new query", args.cold_staff_url, staff)):
            drive(args.port, path, cookie, args.concurrency, 2, 500)  # warm-up
            r = drive(args.port, path, cookie, args.concurrency, args.seconds, args.max_requests)
            r["name"] = name
            results.append(r)
        stop.set()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    bare_rps = results[0]["rps"] or 1
    for r in results:
        r["ratio_to_bare"] = round(r["rps"] / bare_rps, 3)
    import django
    from django.db import connection

    from courtyard.org.models import Dwelling, Person

    out = {
        "date": dt.datetime.now().isoformat(timespec="seconds"), "label": args.label,
        "database": connection.vendor, "dwellings": Dwelling.objects.count(), "people": Person.objects.count(),
        "workers": args.workers, "concurrency": args.concurrency, "cpus": os.cpu_count(),
        "django": django.get_version(), "peak_worker_rss_mb": round(peak[0] / 1024, 1), "results": results,
    }
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    target = results_dir / f"{dt.date.today().isoformat()}-{args.label or 'run'}.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"{'target':<22} {'path':<26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'× bare':>7}  statuses")
    for r in results:
        print(f"{r['name']:<22} {r['path']:<26} {r['rps']:>8} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8} "
              f"{r['ratio_to_bare']:>7}  {r['statuses']}")
    print(f"peak gunicorn RSS (master + {args.workers} workers): {out['peak_worker_rss_mb']} MB; "
          f"{out['dwellings']} dwellings, {out['people']} people; written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
