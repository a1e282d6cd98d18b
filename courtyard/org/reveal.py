"""Reveals of full personal numbers (ADR 0010).

Seeing a full phone or ID number, and *finding a person by one*, are the same act: whoever
can search by a full number can test whether a number they hold belongs to a resident. So
both need the reveal permission (`org.reveal_pii`) over the person, both are written to the
audit trail, and both spend from one budget per user: COURTYARD_REVEAL_PER_MINUTE (10) a
minute and COURTYARD_REVEAL_PER_DAY (200) a day. A search by someone without the permission
answers exactly as a number nobody has (an empty list), so it confirms nothing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from courtyard.core import pii
from courtyard.core.audit import Actor, record
from courtyard.core.throttle import hit

from .access import REVEAL_PII
from .models import Person

FIELDS = ("phone", "id_number")
_HASH = {"phone": "phone_hash", "id_number": "id_hash"}


class TooManyReveals(Exception):
    """The user's reveal budget is spent; `wait` is the seconds until the window turns."""

    def __init__(self, wait: int):
        super().__init__(f"reveal budget spent, wait {wait}s")
        self.wait = wait


def spend(user) -> None:
    """Take one reveal from the user's budget, or raise TooManyReveals."""
    minute = settings.COURTYARD_REVEAL_PER_MINUTE
    day = settings.COURTYARD_REVEAL_PER_DAY
    if not hit(f"reveal:{user.pk}:minute", limit=minute, period=60):
        raise TooManyReveals(60 - int(time.time()) % 60)
    if not hit(f"reveal:{user.pk}:day", limit=day, period=86400):
        raise TooManyReveals(86400 - int(time.time()) % 86400)


def _index(field: str, value: str) -> str | None:
    try:
        return pii.phone_index(value) if field == "phone" else pii.id_index(value)
    except ValueError:
        return None


@transaction.atomic
def search_by_number(*, by: Actor, queryset: QuerySet, field: str, value: str) -> QuerySet:
    """The rows of `queryset` (people) whose full phone / ID number is `value`.

    Only people the acting user may reveal can match; for anyone else the answer is empty,
    the same as for an unknown number, and nothing is spent or logged. A search that runs is
    audited (the number masked, the matches by id) and spends one reveal.
    """
    if field not in FIELDS:
        raise ValueError(field)
    user = by.user
    key = _index(field, value)
    if user is None or key is None or not user.has_perm(REVEAL_PII):
        return queryset.none()
    spend(user)
    revealable = Person.objects.visible_to(user, REVEAL_PII).filter(**{_HASH[field]: key})
    matches = list(revealable.values_list("pk", "community_id")[:20])
    masked = pii.mask_phone(value.strip()) if field == "phone" else pii.mask_id_number(value.strip().upper())
    one = Person.objects.get(pk=matches[0][0]) if len(matches) == 1 else None
    record(by, f"org.person.search_{field}", one, community_id=matches[0][1] if matches else None,
           changes={"matches": [pk for pk, _ in matches]}, note=masked)
    return queryset.filter(pk__in=[pk for pk, _ in matches])
