"""Deliberation's side of the core vote extension point (courtyard/core/votes.py): other apps (the
participation app's honours) open a choice vote on the unit's adult residents and read the counts, without
importing deliberation. Every guarantee of votes (electorate snapshot, one ballot per voter, paper and
assisted ballots, exact count, published result) holds as for any vote."""

from __future__ import annotations

from django.urls import reverse

from . import choices as c
from .models import Vote


def start_choice_vote(*, by, unit, title: str, description: str, options: list[str], max_choices: int, opens_at,
                      closes_at) -> int:
    from .services.votes import create_vote, open_vote

    vote = create_vote(by=by, unit=unit, title=title[:120], opens_at=opens_at, closes_at=closes_at,
                       description=description, electorate=c.Electorate.ADULTS,
                       choice_kind=c.ChoiceKind.SINGLE if max_choices == 1 else c.ChoiceKind.MULTIPLE,
                       options=options, max_choices=max_choices, rule=c.RuleCode.SIMPLE_MAJORITY)
    open_vote(by=by, vote=vote)
    return vote.pk


def choice_counts(vote_id: int) -> dict[str, int] | None:
    vote = Vote.objects.filter(pk=vote_id).only("status", "result").first()
    if vote is None or vote.status != c.VoteStatus.CLOSED:
        return None
    options = (vote.result or {}).get("options", {})
    return {o: int(r["approval"]["owners"]) for o, r in options.items()}


def vote_url(vote_id: int) -> str:
    return reverse("deliberation:console_vote", args=[vote_id])
