"""Writes planned batches with bulk_create: one transaction and one summarising audit event per community."""

from __future__ import annotations

from collections import defaultdict, deque

from django.db import connections, transaction
from django.db.models import Max

from courtyard.core.models import AuditEvent, Channel
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place, SelfGovernanceUnit

from . import spec
from .plan import LOAD_ORDER, Batch, Ids


class DbIds(Ids):
    """Reserves real primary keys: PostgreSQL sequence blocks, or max(id)+1 upwards on SQLite."""

    def __init__(self, using: str = "default", block: int = 5000) -> None:
        super().__init__()
        self.using, self.block = using, block
        self.queues: dict[type, deque] = defaultdict(deque)
        self.postgres = connections[using].vendor == "postgresql"

    def next(self, model: type) -> int:
        if self.postgres:
            queue = self.queues[model]
            if not queue:
                with connections[self.using].cursor() as cur:
                    cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                                [model._meta.db_table, self.block])
                    queue.extend(row[0] for row in cur.fetchall())
            return queue.popleft()
        if model not in self.counters:
            self.counters[model] = model.objects.using(self.using).aggregate(m=Max("pk"))["m"] or 0
        self.counters[model] += 1
        return self.counters[model]


def already_loaded(using: str = "default") -> bool:
    return (SelfGovernanceUnit.objects.using(using).filter(slug=spec.XUEDAOYUAN["slug"]).exists()
            or Place.objects.using(using).filter(kind=PlaceKind.DISTRICT, name=spec.DISTRICT).exists())


def load_batch(batch: Batch, *, scale: str, seed: int, batch_size: int = 2000, using: str = "default") -> dict:
    counts = batch.counts()
    with transaction.atomic(using=using):
        for model in LOAD_ORDER:
            rows = batch.rows.get(model)
            if rows:
                model.objects.using(using).bulk_create(rows, batch_size=batch_size)
        AuditEvent.objects.using(using).create(
            actor=None, actor_label="system", channel=Channel.SYSTEM, action="org.demo_data.load",
            community=batch.community, object_repr=str(batch.community)[:200], changes=counts,
            note=f"demo_data --scale {scale} --seed {seed}",
        )
    return counts
