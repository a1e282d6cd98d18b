"""Public notices (公示, DLB-8) and objections to them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, diff, record, snapshot

from .. import choices as c
from .. import permissions as p
from ..models import Notice, Objection, Topic
from ._common import _require


# ================================================================ notices (DLB-8)
@transaction.atomic
def publish_notice(*, by: Actor, unit, kind: str, title: str, body: str, decided_at, period_days: int = 7,
                   topic=None, vote=None, meeting=None, published_at=None) -> Notice:
    _require(by, p.PUBLISH, unit) if kind not in (c.NoticeKind.RESULT, c.NoticeKind.DECISION) else None
    notice = Notice.objects.create(unit=unit, kind=kind, title=title[:150], body=body, decided_at=decided_at,
                                   period_days=period_days, topic=topic, vote=vote, meeting=meeting,
                                   published_by=by.user, published_at=published_at or timezone.now())
    record(by, "deliberation.notice.publish", notice, changes=diff(None, snapshot(notice, fields=[
        "kind", "title", "decided_at", "published_at", "period_days"])))
    return notice


@transaction.atomic
def publish_by_hand(*, by: Actor, unit, kind: str, title: str, body: str, decided_at,
                    period_days: int = 7) -> Notice:
    """A notice published by staff from the console (announcements and decisions taken elsewhere)."""
    _require(by, p.PUBLISH, unit)
    if kind not in (c.NoticeKind.ANNOUNCEMENT, c.NoticeKind.DECISION):
        raise ValidationError(_("Results, minutes and adopted documents are published by their own steps."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("A notice needs a title and a text."))
    if decided_at > timezone.now():
        raise ValidationError(_("The decision date cannot lie in the future."))
    if not 1 <= period_days <= 90:
        raise ValidationError(_("The notice period lies between 1 and 90 days."))
    return publish_notice(by=by, unit=unit, kind=kind, title=title.strip(), body=body.strip(), decided_at=decided_at,
                          period_days=period_days)


@transaction.atomic
def object_to_notice(*, by: Actor, notice: Notice, body: str) -> Topic:
    """An objection during the notice period opens a topic (DLB-8)."""
    if not notice.in_period():
        raise ValidationError(_("The notice period has ended."))
    person = by.on_behalf_of or (by.user.person if by.user else None)
    if person is None or person.unit_id != notice.unit_id:
        raise PermissionDenied
    topic = Topic.objects.create(unit=notice.unit, title=(_("Objection: %(t)s") % {"t": notice.title})[:120],
                                 body=body.strip() or notice.title, raised_by=person, entered_by=by.user,
                                 offline_entry=by.on_behalf_of is not None)
    Objection.objects.create(notice=notice, topic=topic)
    record(by, "deliberation.notice.object", notice, changes={"topic": [None, topic.pk]})
    return topic
