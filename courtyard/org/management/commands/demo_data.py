"""Load deterministic demo data: `manage.py demo_data --scale {small,community,district} --seed N`.

Refuses to run on a database that already holds the demo data: start from an empty database
(`manage.py flush`, or delete the SQLite file and `migrate`) to load it again.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import translation

from courtyard.org.demo.load import DbIds, already_loaded, load_batch
from courtyard.org.demo.logins import create_logins
from courtyard.org.demo.plan import SCALES, plan


class Command(BaseCommand):
    help = "Build a deterministic demo community (合江亭, with the unit 学道苑) and one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="community",
                            help="small: 5 courtyards for tests; community: 合江亭 (7,053 households); "
                                 "district: ~50 communities / ~300,000 dwellings for benchmarks")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per INSERT")
        parser.add_argument("--no-logins", action="store_true", help="skip the demo accounts")

    def handle(self, *args, **options):
        # Text the loaders store (notice titles, notifications) is in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(*args, **options)

    def _handle(self, *args, scale, seed, batch_size, no_logins, **options):
        using = options.get("database") or "default"
        if already_loaded(using):
            raise CommandError(
                "Demo data is already loaded in this database (学道苑 / 成都市锦江区 exist). "
                "Loading twice is refused. Start from an empty database: `manage.py flush` "
                "(or delete the SQLite file and run `manage.py migrate`), then run demo_data again."
            )
        started = time.monotonic()
        ids = DbIds(using)
        totals: dict[str, int] = {}
        first_info = None
        for n, batch in enumerate(plan(scale, seed, ids), start=1):
            t0 = time.monotonic()
            counts = load_batch(batch, scale=scale, seed=seed, batch_size=batch_size, using=using)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            if first_info is None:
                first_info = batch.info
            if scale == "district":
                self.stdout.write(f"  {n:>2} {batch.community.name}: {counts.get('Dwelling', 0)} dwellings, "
                                  f"{counts.get('Person', 0)} people in {time.monotonic() - t0:.1f} s")
        rows = [] if no_logins else create_logins(first_info)
        if rows:
            load_app_demos(first_info, seed=seed, stdout=self.stdout)
        if connections[using].vendor in ("postgresql", "sqlite"):
            with connections[using].cursor() as cursor:  # fresh planner statistics after a bulk load
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        if rows:
            self.stdout.write("")
            self.stdout.write(f"{'Role':<42} {'Phone':<12} {'Password':<15} {'Scope':<28} Person")
            for row in rows:
                self.stdout.write(f"{row['label']:<42} {row['phone']:<12} {row['password']:<15} "
                                  f"{row['scope']:<28} {row['person']}")
            self.stdout.write("")
        summary = ", ".join(f"{value} {key}" for key, value in totals.items())
        self.stdout.write(self.style.SUCCESS(
            f"Demo community ready: {summary}; {len(rows)} logins (scale {scale}, seed {seed}, {elapsed:.1f} s)"
        ))


def load_app_demos(info: dict, *, seed: int, stdout) -> None:
    """Each app may add its own demo rows for the first community: `courtyard/<app>/demo.py`
    defines `load_demo(info, *, seed, stdout)`; `info` is the dict the org loader built
    (units, grids, picks, …) and the demo logins exist already."""
    from courtyard.core.extensions import APPS, app_modules
    from courtyard.org.demo.duties import load_duties

    load_duties(info, stdout=stdout)  # org's own rows that need the services (the rights-and-duties list)
    # org's own `demo` package is the loader that just ran.
    modules = app_modules("demo", apps=tuple(a for a in APPS if a != "org"))
    for module in modules:
        module.load_demo(info, seed=seed, stdout=stdout)
    # A second pass for rows that need another app's demo rows (e.g. projects' works payments need funds' accounts).
    for module in modules:
        if hasattr(module, "load_demo_late"):
            module.load_demo_late(info, seed=seed, stdout=stdout)
