"""What deliberation offers its sibling apps through named hooks (courtyard.core.hooks, ADR 0026): a draft
owners' vote with the Civil Code rule a matter needs, created by deliberation's own `create_vote` (its
permission check, its checks of the rule, its audit entry). Staff then set the dates and open it on
deliberation's console as any other vote."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.hooks import provides
from courtyard.org.models import SelfGovernanceUnit

from . import choices as c
from .models import Vote
from .services.votes import create_vote

# Civil Code art. 278: adding a lift rebuilds the building's appurtenances (item 7); changing the use of
# common parts or running a business on them is item 8. Both are major matters (≥ 2/3 take part,
# ≥ 3/4 of them agree).
MATTER_RULES = {"lift": c.RuleCode.ART278_MAJOR, "common_parts": c.RuleCode.ART278_MAJOR}
NOTICE_DAYS = 7
OPEN_DAYS = 14


@provides("deliberation.draft_owners_vote")
def draft_owners_vote(*, by, unit_id: int, title: str, description: str, matter: str) -> dict:
    if matter not in MATTER_RULES:
        raise ValidationError(_("This matter does not need an owners' vote."))
    unit = SelfGovernanceUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError(_("Choose a self-governance unit."))
    opens = timezone.now().replace(microsecond=0) + dt.timedelta(days=NOTICE_DAYS)
    vote = create_vote(by=by, unit=unit, title=title[:120], opens_at=opens, closes_at=opens + dt.timedelta(days=OPEN_DAYS),
                       description=description, electorate=c.Electorate.OWNERS, choice_kind=c.ChoiceKind.YES_NO,
                       rule=MATTER_RULES[matter], notice_days=NOTICE_DAYS)
    return {"id": vote.pk, "url": vote.get_console_url(), "rule": vote.get_rule_display()}


# Choice votes for sibling apps (participation's honours): every guarantee of votes (electorate snapshot,
# one ballot per voter, paper and assisted ballots, exact count, published result) holds as for any vote.
@provides("deliberation.start_choice_vote")
def start_choice_vote(*, by, unit_id: int, title: str, description: str, options: list[str], max_choices: int, opens_at,
                      closes_at) -> int:
    from .services.votes import open_vote

    unit = SelfGovernanceUnit.objects.get(pk=unit_id)
    vote = create_vote(by=by, unit=unit, title=title[:120], opens_at=opens_at, closes_at=closes_at,
                       description=description, electorate=c.Electorate.ADULTS,
                       choice_kind=c.ChoiceKind.SINGLE if max_choices == 1 else c.ChoiceKind.MULTIPLE,
                       options=options, max_choices=max_choices, rule=c.RuleCode.SIMPLE_MAJORITY)
    open_vote(by=by, vote=vote)
    return vote.pk


@provides("deliberation.choice_counts")
def choice_counts(*, vote_id: int) -> dict[str, int] | None:
    vote = Vote.objects.filter(pk=vote_id).only("status", "result").first()
    if vote is None or vote.status != c.VoteStatus.CLOSED:
        return None
    options = (vote.result or {}).get("options", {})
    return {o: int(r["approval"]["owners"]) for o, r in options.items()}


@provides("deliberation.vote_url")
def vote_url(*, vote_id: int) -> str:
    return reverse("deliberation:console_vote", args=[vote_id])
