"""The audit trail. Every service that writes calls `record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .fields import EncryptedTextField
from .models import AuditEvent, Channel
from .throttle import client_ip

if TYPE_CHECKING:
    from courtyard.org.models import Person

    from .models import User


@dataclass(frozen=True)
class Actor:
    """Who is acting: the logged-in user, for whom, and through which channel."""

    user: User | None
    on_behalf_of: Person | None = None
    channel: str = Channel.ONLINE
    ip: str | None = None

    @classmethod
    def from_request(cls, request, *, on_behalf_of: Person | None = None, channel: str | None = None) -> Actor:
        if channel is None:
            channel = Channel.ASSISTED if on_behalf_of is not None else Channel.ONLINE
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, on_behalf_of=on_behalf_of, channel=channel, ip=client_ip(request))

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None, channel=Channel.SYSTEM)

    @property
    def label(self) -> str:
        return str(self.user) if self.user else "system"


SECRET = "<changed>"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, decimal.Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited state of `obj`: concrete fields, with encrypted ones replaced by a marker."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name.endswith("_hash"):
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, EncryptedTextField):
            value = "set" if value else ""
        out[field.name] = _jsonable(value)
    return out


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """{"field": [before, after]} for the fields that differ."""
    before = before or {}
    after = after or {}
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


UNIT_MODEL = "org.selfgovernanceunit"


def unit_of(obj: models.Model, *, _depth: int = 0) -> int | None:
    """The self-governance unit an object belongs to, found without a query: the unit itself,
    a `unit` foreign key to a unit (not every field named `unit` is one), or the same one step
    up through a relation already loaded (a ledger entry's account, a ballot's vote)."""
    if obj._meta.label_lower == UNIT_MODEL:
        return obj.pk
    try:
        field = obj._meta.get_field("unit")
    except FieldDoesNotExist:
        field = None
    related = getattr(field, "related_model", None)
    if related is not None and related._meta.label_lower == UNIT_MODEL:
        return getattr(obj, "unit_id", None)
    if _depth == 0:
        for parent in obj._state.fields_cache.values():
            if isinstance(parent, models.Model):
                unit_id = unit_of(parent, _depth=1)
                if unit_id is not None:
                    return unit_id
    return None


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    community_id: int | None = None,
    unit_id: int | None = None,
    note: str = "",
) -> AuditEvent:
    if community_id is None and obj is not None:
        community_id = getattr(obj, "community_id", None)
    if unit_id is None and obj is not None:
        unit_id = unit_of(obj)
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_label=actor.label[:120],
        on_behalf_of=actor.on_behalf_of,
        channel=actor.channel,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        community_id=community_id,
        unit_id=unit_id,
        changes=changes or {},
        note=note,
        ip=actor.ip,
    )
