"""The courtyard's memory (PTC-6): record an item with consent, publish or withdraw it (curation)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit, file_access
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload

from .. import rules
from ..models import MemoryItem


@transaction.atomic
def record_memory(*, by: Actor, unit, kind: str, title: str, text: str, consent: bool, contributor=None,
                  credit: str = "", photo=None) -> MemoryItem:
    if not rules.may_manage_teams(by.user, unit):
        raise PermissionDenied(_("You may not curate the memory of this unit."))
    if not consent:
        raise ValidationError(_("Collect it only with the contributor's consent."), code="consent")
    if contributor is not None and contributor.community_id != unit.community_id:
        raise ValidationError(_("This person does not belong to the unit."), code="contributor")
    item = MemoryItem.objects.create(unit=unit, community_id=unit.community_id, kind=kind, title=title, text=text,
                                     contributor=contributor, credit=credit.strip(), consent=True, recorded_by=by.user)
    audit.record(by, "participation.memory_recorded", item, changes={"title": [None, title]})
    if photo is not None:
        add_memory_photo(by=by, item=item, upload=photo)
    return item


def photos_of(item: MemoryItem):
    from django.contrib.contenttypes.models import ContentType

    from courtyard.core.models import Attachment

    return Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(MemoryItem), owner_id=str(item.pk))


@transaction.atomic
def add_memory_photo(*, by: Actor, item: MemoryItem, upload):
    """An old photo or a photo of an object: checked and re-encoded by core (no EXIF, no GPS); public with the
    item (published and withdrawn with it)."""
    if not rules.may_manage_teams(by.user, item):
        raise PermissionDenied(_("You may not curate the memory of this unit."))
    attachment = store_upload(by=by, upload=upload, allowed={"image"}, owner=item)
    if item.published_at is not None:
        file_access.publish(by=by, attachment=attachment)
    audit.record(by, "participation.memory_photo_added", item, changes={"photo": [None, attachment.pk]})
    return attachment


@transaction.atomic
def publish_memory(*, by: Actor, item: MemoryItem, publish: bool = True) -> MemoryItem:
    m = MemoryItem.objects.select_for_update().get(pk=item.pk)
    if not rules.may_manage_teams(by.user, m):
        raise PermissionDenied(_("You may not curate the memory of this unit."))
    before = m.published_at
    m.published_at = timezone.now() if publish else None
    m.save(update_fields=["published_at"])
    for attachment in photos_of(m):  # the photos are public exactly while the item is
        (file_access.publish if publish else file_access.unpublish)(by=by, attachment=attachment)
    audit.record(by, "participation.memory_published" if publish else "participation.memory_withdrawn", m,
                 changes={"published_at": [str(before) if before else None, str(m.published_at) if publish else None]})
    return m
