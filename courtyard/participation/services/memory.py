"""The courtyard's memory (PTC-6): record an item with consent, publish or withdraw it (curation)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor

from .. import rules
from ..models import MemoryItem


@transaction.atomic
def record_memory(*, by: Actor, unit, kind: str, title: str, text: str, consent: bool, contributor=None,
                  credit: str = "") -> MemoryItem:
    if not rules.may_manage_teams(by.user, unit):
        raise PermissionDenied(_("You may not curate the memory of this unit."))
    if not consent:
        raise ValidationError(_("Collect it only with the contributor's consent."), code="consent")
    if contributor is not None and contributor.community_id != unit.community_id:
        raise ValidationError(_("This person does not belong to the unit."), code="contributor")
    item = MemoryItem.objects.create(unit=unit, community_id=unit.community_id, kind=kind, title=title, text=text,
                                     contributor=contributor, credit=credit.strip(), consent=True, recorded_by=by.user)
    audit.record(by, "participation.memory_recorded", item, changes={"title": [None, title]})
    return item


@transaction.atomic
def publish_memory(*, by: Actor, item: MemoryItem, publish: bool = True) -> MemoryItem:
    m = MemoryItem.objects.select_for_update().get(pk=item.pk)
    if not rules.may_manage_teams(by.user, m):
        raise PermissionDenied(_("You may not curate the memory of this unit."))
    before = m.published_at
    m.published_at = timezone.now() if publish else None
    m.save(update_fields=["published_at"])
    audit.record(by, "participation.memory_published" if publish else "participation.memory_withdrawn", m,
                 changes={"published_at": [str(before) if before else None, str(m.published_at) if publish else None]})
    return m
