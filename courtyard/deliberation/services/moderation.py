"""Moderation of topics and comments: hiding, merging duplicates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, record

from .. import choices as c
from .. import permissions as p
from ..models import Topic, TopicComment
from ._common import _require


@transaction.atomic
def hide(*, by: Actor, obj: Topic | TopicComment, reason: str):
    """Moderation: hides a topic or a comment with a reason; nothing is deleted."""
    topic = obj if isinstance(obj, Topic) else obj.topic
    _require(by, p.MODERATE, topic)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for hiding."))
    obj.hidden, obj.hidden_reason = True, reason[:200]
    obj.save(update_fields=["hidden", "hidden_reason"])
    what = "topic" if isinstance(obj, Topic) else "comment"
    record(by, f"deliberation.{what}.hide", topic, changes={"hidden": [False, True], "id": [None, obj.pk]},
           note=reason)
    return obj


@transaction.atomic
def merge_topics(*, by: Actor, source: Topic, into: Topic) -> Topic:
    _require(by, p.MANAGE_TOPIC, source)
    if source.pk == into.pk or source.unit_id != into.unit_id:
        raise ValidationError(_("Only two different topics of the same unit can be merged."))
    if into.merged_into_id:
        raise ValidationError(_("That topic was itself merged into another."))
    if source.step not in (c.Step.PROPOSED, c.Step.DISCUSSION):
        raise ValidationError(_("Only topics still in proposal or discussion can be merged."))
    source.merged_into, source.step, source.closed_at = into, c.Step.CLOSED, timezone.now()
    source.save(update_fields=["merged_into", "step", "closed_at"])
    record(by, "deliberation.topic.merge", source, changes={"merged_into": [None, into.pk]})
    return into
