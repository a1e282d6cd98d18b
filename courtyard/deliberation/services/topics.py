"""Topics (议题): raising them, the steps they go through, comments (DLB-1, DLB-2)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import text as text_limits
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload
from courtyard.org.models import Person

from .. import choices as c
from .. import permissions as p
from ..models import Topic, TopicComment
from ._common import _require
from .notices import publish_notice


# ================================================================ topics (DLB-1, DLB-2)
@transaction.atomic
def raise_topic(*, by: Actor, unit, title: str, body: str, channel: str = c.TopicChannel.ONLINE,
                raised_by: Person | None = None, files=()) -> Topic:
    """A resident raises a topic online, or staff / a helper enter one raised offline on someone's behalf."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError(_("A topic needs a title and a description."))
    text_limits.within(title, limit=Topic._meta.get_field("title").max_length, what=_("The title"))
    text_limits.within(body, limit=text_limits.BODY_MAX, what=_("The description"))
    offline = channel != c.TopicChannel.ONLINE or by.on_behalf_of is not None
    if offline:
        _require(by, p.MANAGE_TOPIC, unit) if channel != c.TopicChannel.ONLINE else _require(by, p.ASSIST_VOTE, unit)
        raised_by = raised_by or by.on_behalf_of
    else:
        raised_by = by.user.person if by.user else raised_by
        if by.user is not None and (raised_by is None or raised_by.unit_id != unit.pk):
            raise PermissionDenied
    topic = Topic.objects.create(unit=unit, title=title[:120], body=body, channel=channel, raised_by=raised_by,
                                 entered_by=by.user, offline_entry=offline)
    for f in files:
        store_upload(by=by, upload=f, allowed={"image", "video"}, owner=topic)
    record(by, "deliberation.topic.raise", topic, changes=diff(None, snapshot(topic, fields=[
        "title", "channel", "raised_by", "offline_entry"])))
    return topic


# Which step may follow which, by handling tier (phase-gated).
NEXT_STEPS = {
    c.Step.PROPOSED: {c.Step.DISCUSSION, c.Step.CLOSED},
    c.Step.DISCUSSION: {c.Step.VOTING, c.Step.PUBLICITY, c.Step.CLOSED},
    c.Step.VOTING: {c.Step.PUBLICITY},
    c.Step.PUBLICITY: {c.Step.EXECUTION, c.Step.CLOSED},
    c.Step.EXECUTION: {c.Step.REVIEW},
    c.Step.REVIEW: {c.Step.CLOSED},
    c.Step.CLOSED: set(),
}


@transaction.atomic
def advance_topic(*, by: Actor, topic: Topic, to: str, tier: str | None = None, decision: str = "",
                  note: str = "") -> Topic:
    _require(by, p.MANAGE_TOPIC, topic)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    before = snapshot(topic, fields=["step", "tier", "decision"])
    if to not in NEXT_STEPS[topic.step]:
        raise ValidationError(_("A topic in step “%(step)s” cannot move to “%(to)s”.") % {
            "step": topic.get_step_display(), "to": c.Step(to).label})
    if tier:
        topic.tier = tier
    if to in (c.Step.VOTING, c.Step.PUBLICITY) and topic.step == c.Step.DISCUSSION:
        if not topic.tier:
            raise ValidationError(_("Choose how the topic is handled before leaving the discussion."))
        if to == c.Step.VOTING and topic.tier != c.Tier.ASSEMBLY:
            raise ValidationError(_("Only topics handled by a residents' vote go to a vote."))
        if to == c.Step.PUBLICITY and topic.tier == c.Tier.ASSEMBLY:
            raise ValidationError(_("This topic must be decided by a vote first."))
        if to == c.Step.PUBLICITY and not decision.strip():
            raise ValidationError(_("Write down the decision before publishing it."))
    if to == c.Step.PUBLICITY and topic.step == c.Step.VOTING:
        if not topic.votes.filter(status=c.VoteStatus.CLOSED).exists():
            raise ValidationError(_("The vote on this topic has not closed yet."))
    if to == c.Step.CLOSED and topic.step == c.Step.REVIEW and not (note or topic.review_note).strip():
        raise ValidationError(_("Record the follow-up review before closing."))
    now = timezone.now()
    topic.step = to
    if to != c.Step.CLOSED:
        setattr(topic, f"{to}_at", now)
    else:
        topic.closed_at = now
    if decision:
        topic.decision = decision.strip()
    if note:
        topic.review_note = note.strip()
    topic.save()
    record(by, "deliberation.topic.step", topic, changes=diff(before, snapshot(topic, fields=["step", "tier",
                                                                                              "decision"])), note=note)
    if to == c.Step.PUBLICITY and topic.decision and not topic.notices.exists():
        publish_notice(by=by, unit=topic.unit, kind=c.NoticeKind.DECISION, title=topic.title, body=topic.decision,
                       decided_at=now, topic=topic)
    return topic


@transaction.atomic
def comment_topic(*, by: Actor, topic: Topic, body: str) -> TopicComment:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    text_limits.within(body, limit=text_limits.COMMENT_MAX, what=_("The comment"))
    if topic.step != c.Step.DISCUSSION or topic.hidden:
        raise ValidationError(_("Comments are open only while the topic is in discussion."))
    person = by.on_behalf_of or (by.user.person if by.user else None)
    if by.on_behalf_of is not None:
        _require(by, p.ASSIST_VOTE, topic)
    elif person is None or person.unit_id != topic.unit_id:
        if not (by.user and by.user.has_perm(p.MANAGE_TOPIC, topic)):
            raise PermissionDenied
    comment = TopicComment.objects.create(topic=topic, author=by.user, person=person, body=body[:2000],
                                          channel=by.channel)
    record(by, "deliberation.topic.comment", topic, changes={"comment": [None, comment.pk]})
    return comment
