"""Reads of the deliberation app, always given the acting user (or a public unit)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from courtyard.core.models import Attachment
from courtyard.org import home_cache
from courtyard.org.choices import OWNER_RELATIONS
from courtyard.org.models import DwellingLink

from . import choices as c
from . import permissions as p
from . import tally as t
from .models import Ballot, Elector, ElectorPerson, Notice, Topic, Vote


def my_unit(user):
    person = getattr(user, "person", None)
    return person.unit if person is not None and person.unit_id else None


def unit_topics(unit):
    return Topic.objects.filter(unit=unit, hidden=False, merged_into__isnull=True).select_related("raised_by")


def topics_for_resident(user):
    """Topics of the resident's own unit, plus those staff may see."""
    unit = my_unit(user)
    q = Q(unit=unit, hidden=False) if unit else Q(pk__in=[])
    return Topic.objects.filter(q | Q(pk__in=Topic.objects.visible_to(user, p.VIEW_TOPIC).values("pk")))


def attachments_of(obj):
    return Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(obj), owner_id=str(obj.pk))


def my_votes(user):
    person = getattr(user, "person", None)
    if person is None:
        return Vote.objects.none()
    keys = ElectorPerson.objects.filter(person=person)
    scheduled = Q(status=c.VoteStatus.SCHEDULED, unit_id=person.unit_id) if person.unit_id else Q(pk__in=[])
    return (Vote.objects.filter(Q(pk__in=keys.values("vote")) | scheduled).exclude(status=c.VoteStatus.DRAFT)
            .select_related("unit").order_by("-opens_at"))


def turnout(vote: Vote) -> dict:
    """How many voting keys took part so far (never how they voted): shown while a vote is open."""
    electors = Elector.objects.filter(vote=vote).count()
    voted = _counted_keys(vote).count()
    return {"electors": electors, "voted": voted, "permille": round(voted * 1000 / electors) if electors else 0}


def is_owner_in_unit(user, unit) -> bool:
    person = getattr(user, "person", None)
    if person is None:
        return False
    today = timezone.localdate()
    return DwellingLink.objects.filter(person=person, dwelling__unit=unit, relation__in=OWNER_RELATIONS).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)).exists()


def may_see_result(user, vote: Vote) -> bool:
    if vote.status == c.VoteStatus.DRAFT:
        return False
    if Vote.objects.visible_to(user, p.VIEW_VOTE).filter(pk=vote.pk).exists():
        return True
    person = getattr(user, "person", None)
    return person is not None and person.unit_id == vote.unit_id


def may_see_participants(user, vote: Vote) -> bool:
    if vote.status == c.VoteStatus.DRAFT:
        return False
    return Vote.objects.visible_to(user, p.VIEW_VOTE).filter(pk=vote.pk).exists() or is_owner_in_unit(user, vote.unit)


def participation_list(vote: Vote) -> list[dict]:
    """Each voting key and whether it took part — never the choice."""
    counted = {k for k, _ch in _counted_keys(vote)}
    return [{"label": e.label, "took_part": e.key in counted}
            for e in Elector.objects.filter(vote=vote).order_by("label")]


def _counted_keys(vote):
    return Ballot.objects.filter(vote=vote, is_current=True).filter(
        ~Q(channel=c.BallotChannel.PAPER) | Q(confirmed_at__isnull=False)).values_list("voter_key", "channel")


def vote_stats(vote: Vote) -> dict:
    electors = Elector.objects.filter(vote=vote).count()
    current = Ballot.objects.filter(vote=vote, is_current=True)
    by_channel = {ch: current.filter(channel=ch).count() for ch in c.BallotChannel.values}
    return {"electors": electors, "ballots": current.count(), "by_channel": [
        (c.BallotChannel(ch).label, n) for ch, n in by_channel.items()],
        "pending_paper": current.filter(channel="paper", confirmed_at__isnull=True).count(),
        "superseded": Ballot.objects.filter(vote=vote, is_current=False).count()}


def voters_without_ballot(vote: Vote):
    has = Ballot.objects.filter(vote=vote, is_current=True, voter_key=OuterRef("key"))
    return (ElectorPerson.objects.filter(vote=vote).annotate(voted=Exists(has)).filter(voted=False)
            .select_related("person").order_by("person__path", "person__name"))


def _row(label, part, whole, threshold: t.Threshold | None, met):
    f = t.fraction_of(part, whole)
    return {"label": label, "part": part, "whole": whole,
            "fraction": f"{f.numerator}/{f.denominator}" if f is not None else "—",
            "percent": t.percent(part, whole), "needed": threshold.describe() if threshold else "",
            "met": met}


def result_view(vote: Vote) -> dict:
    """Totals, fractions, percentages and which condition passed (computed exactly from the ballots)."""
    from .services import compute, vote_rule

    result = compute(vote)
    rule = vote_rule(vote)
    if isinstance(result, t.Result):
        r = result
        rows = [
            _row("participation_area", r.participating.area, r.total.area, rule.participation,
                 r.participation_area_met),
            _row("participation_heads", r.participating.heads, r.total.heads, rule.participation,
                 r.participation_heads_met),
            _row("approval_area", r.approving.area, r.approval_base.area, rule.approval, r.approval_area_met),
            _row("approval_heads", r.approving.heads, r.approval_base.heads, rule.approval, r.approval_heads_met),
        ]
        if not rule.by_area:
            rows = [rows[1], rows[3]]
        return {"result": r, "rows": rows, "passed": r.passed, "choices": r.choices, "options": None,
                "by_area": rule.by_area}
    options = [{"option": o, "heads": r.approving.heads, "area": r.approving.area,
                "percent": t.percent(r.approving.heads, r.participating.heads), "passed": r.passed}
               for o, r in result.items()]
    first = next(iter(result.values()))
    return {"result": first, "rows": [], "passed": None, "options": options, "by_area": rule.by_area}


def notice_extra(notice: Notice) -> dict:
    extra: dict = {}
    if notice.vote_id and notice.vote.status == c.VoteStatus.CLOSED:
        from .result_words import summarise

        view = result_view(notice.vote)
        extra.update(view, summary=summarise(notice.vote, view), vote=notice.vote)
    return extra


def public_notices(unit) -> dict:
    notices = Notice.objects.filter(unit=unit, withdrawn=False).select_related("unit").order_by("-published_at")[:20]
    return {"notices": list(notices), "now": timezone.now()}


def home_notices(user, home) -> dict:
    """The resident home's "now" section: current notices of my unit (in their notice period or from
    the last 30 days) and the votes open or scheduled for me. Both are cached (`org.home_cache`: a
    saved notice or vote bumps the version; TTL 5 minutes) — the notices per unit, shared by all its
    residents, the votes per person; at most two queries when the cache is cold."""
    now = timezone.now()
    unit = getattr(home, "unit", None)
    notices = []
    if unit is not None:
        recent = home_cache.cached("notices", f"{unit.pk}:{now:%Y%m%d%H}", lambda: list(
            Notice.objects.filter(unit=unit, withdrawn=False, published_at__gte=now - timedelta(days=61))
            .select_related("unit").order_by("-published_at")[:8]))
        notices = [n for n in recent if n.published_at <= now and n.published_at >= now - timedelta(days=60)
                   and (n.period_ends > now or n.published_at >= now - timedelta(days=30))][:5]
    person_id = getattr(user, "person_id", None)
    votes = home_cache.cached("live-votes", f"{user.pk}:{person_id}", lambda: list(
        my_votes(user).filter(status__in=[c.VoteStatus.OPEN, c.VoteStatus.SCHEDULED])[:3]))
    return {"notices": notices, "votes": votes, "now": now, "unit": unit}


def console_flags(user) -> dict:
    """Late notices, decisions not yet published after 24 h, and the missed meeting cadences (staff console)."""
    now = timezone.now()
    notices = Notice.objects.visible_to(user, p.VIEW_NOTICE)
    late = [n for n in notices.filter(published_at__gte=now - timedelta(days=90)).select_related("unit")
            if n.is_late]
    unpublished = list(Vote.objects.visible_to(user, p.VIEW_VOTE).filter(
        status=c.VoteStatus.CLOSED, closed_at__lt=now - timedelta(hours=24)).exclude(
        Exists(Notice.objects.filter(vote=OuterRef("pk")))))
    return {"late": late, "unpublished": unpublished}


def units_for(user, perm: str):
    """Units the user works on: those their grants cover, plus units with dwellings inside a
    place grant (the same reach as `scoped`, for the unit rows themselves)."""
    from courtyard.org.models import Dwelling, SelfGovernanceUnit

    inside = Dwelling.objects.visible_to(user, perm).filter(unit__isnull=False).values("unit_id")
    direct = SelfGovernanceUnit.objects.visible_to(user, perm).values("pk")
    return SelfGovernanceUnit.objects.filter(Q(pk__in=direct) | Q(pk__in=inside))


def public_elections(unit) -> dict:
    """The unit's public page: decided committee elections — who was elected, the term, each candidate's
    votes (public facts of an election; nothing else about the candidates)."""
    from .election_models import Election

    return {"elections": list(Election.objects.filter(unit=unit, status=c.ElectionStatus.DECIDED)
                              .order_by("-decided_at")[:3])}
