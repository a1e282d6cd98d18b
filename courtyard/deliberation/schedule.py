"""Votes before they open: editing drafts and scheduled votes, and the job that opens scheduled votes
when their time comes (ADR 0012). Keyword-only, one transaction, one audit event each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, diff, record, snapshot

from . import choices as c
from . import permissions as p
from .models import Vote
from .services import check_vote, open_vote
from .services._common import _require

EDITABLE = (c.VoteStatus.DRAFT, c.VoteStatus.SCHEDULED)
FIELDS = ["topic", "title", "description", "electorate", "choice_kind", "options", "max_choices", "rule",
          "custom_participation", "custom_approval", "custom_approval_strict", "follow_majority", "opens_at",
          "closes_at", "notice_days", "allow_change", "show_interim", "may_close_early"]


@transaction.atomic
def update_vote(*, by: Actor, vote: Vote, **fields) -> Vote:
    """Change a draft or a scheduled vote. Once it is open, the question and the rule are fixed."""
    _require(by, p.MANAGE_VOTE, vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a scheduled vote can be changed."))
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = snapshot(vote, fields=FIELDS)
    for name, value in fields.items():
        setattr(vote, name, value.strip() if name == "title" else value)
    check_vote(vote)
    vote.save()
    record(by, "deliberation.vote.update", vote, changes=diff(before, snapshot(vote, fields=FIELDS)))
    return vote


def open_due_votes(*, now=None) -> list[int]:
    """Open every scheduled vote whose opening time has come (run every few minutes: the
    `deliberation_sweep` command or the `open_scheduled_votes` task). Returns the ids opened."""
    now = now or timezone.now()
    opened = []
    for pk in Vote.objects.filter(status=c.VoteStatus.SCHEDULED, opens_at__lte=now).values_list("pk", flat=True):
        vote = Vote.objects.get(pk=pk)
        try:
            open_vote(by=Actor.system(), vote=vote, now=now)
        except ValidationError:
            continue  # e.g. nobody entitled yet; stays scheduled, staff see it in the console
        opened.append(pk)
    return opened


@transaction.atomic
def unschedule_vote(*, by: Actor, vote: Vote) -> Vote:
    """A scheduled vote back to draft (nobody was notified yet, nothing to undo)."""
    _require(by, p.MANAGE_VOTE, vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.status != c.VoteStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled vote can go back to draft."))
    vote.status = c.VoteStatus.DRAFT
    vote.save(update_fields=["status"])
    record(by, "deliberation.vote.unschedule", vote, changes={"status": ["scheduled", "draft"]})
    return vote
