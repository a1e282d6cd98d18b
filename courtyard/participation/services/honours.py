"""Honours (书香家庭, 优秀志愿者 …): a yearly round per unit and honour; nominations carry what the activity
records show for the year; the round is decided by review (the selection signed off by committee members,
each sign-off kept) or by a vote of the unit's adult residents on the deliberation vote machinery, reached
through the named hooks of `courtyard.core.hooks` (participation does not import deliberation).
Honours read the points ledger; they never write it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit, hooks
from courtyard.core.access import roles_over
from courtyard.core.audit import Actor
from courtyard.core.models import Channel

from .. import rules
from ..choices import EntryKind, HonourKind, HonourMethod, HonourState, SignupState
from ..models import HonourNomination, HonourRound, HonourSignoff, PointsEntry, Signup, VolunteerHours

REVIEWER_ROLE = "committee_member"  # who signs off a selection under review


def _field(name: str, message: str) -> ValidationError:
    return ValidationError({name: message})


def activity(unit_id: int, year: int, people=None) -> dict[int, dict]:
    """Per person of the unit, what the records show for `year`: points earned (corrections of earned
    points included), volunteer hours confirmed, events attended. Three grouped queries."""
    out: dict[int, dict] = {}

    def row(pid):
        return out.setdefault(pid, {"points": 0, "hours": 0, "events": 0})

    entries = PointsEntry.objects.filter(account__unit_id=unit_id, earned_on__year=year, act__gt="").exclude(
        kind=EntryKind.REDEEM)
    hours = VolunteerHours.objects.filter(unit_id=unit_id, day__year=year)
    signups = Signup.objects.filter(event__unit_id=unit_id, state=SignupState.ATTENDED, event__starts_at__year=year)
    if people is not None:
        entries = entries.filter(account__person__in=people)
        hours, signups = hours.filter(person__in=people), signups.filter(person__in=people)
    for pid, n in entries.values_list("account__person_id").annotate(n=Sum("points")):
        row(pid)["points"] = n or 0
    for pid, n in hours.values_list("person_id").annotate(n=Sum("hours")):
        row(pid)["hours"] = n or 0
    for pid, n in signups.values_list("person_id").annotate(n=Count("pk")):
        row(pid)["events"] = n
    return out


def suggestions(honour_round: HonourRound, limit: int = 10) -> list[dict]:
    """The unit's most active residents of the year not yet nominated (points, then hours, then events)."""
    from courtyard.org.models import Person

    taken = set(honour_round.nominations.values_list("person_id", flat=True))
    acts = {pid: a for pid, a in activity(honour_round.unit_id, honour_round.year).items() if pid not in taken}
    if honour_round.kind == HonourKind.VOLUNTEER:
        ranked = sorted(acts, key=lambda pid: (-acts[pid]["hours"], -acts[pid]["points"], pid))
    else:
        ranked = sorted(acts, key=lambda pid: (-acts[pid]["points"], -acts[pid]["events"], pid))
    mine = set(Person.objects.filter(pk__in=ranked, unit_id=honour_round.unit_id, active=True)
               .values_list("pk", flat=True))  # cross-courtyard events bring in other units' residents
    ranked = [pid for pid in ranked if pid in mine][:limit]
    people = Person.objects.in_bulk(ranked)
    return [{"person": people[pid], **acts[pid]} for pid in ranked]


@transaction.atomic
def create_round(*, by: Actor, unit, kind: str, year: int, seats: int, method: str,
                 signoffs_needed: int = 2) -> HonourRound:
    if not rules.may_manage_honours(by.user, unit):
        raise PermissionDenied(_("You may not run honours in this unit."))
    if kind not in HonourKind.values:
        raise _field("kind", _("Choose the honour."))
    if method not in HonourMethod.values:
        raise _field("method", _("Choose review or vote."))
    this_year = timezone.localdate().year
    if not this_year - 5 <= year <= this_year:
        raise _field("year", _("Honours are for this year or one of the five years before."))
    if not 1 <= seats <= 50:
        raise _field("seats", _("Honour between 1 and 50 people."))
    if not 1 <= signoffs_needed <= 9:
        raise _field("signoffs_needed", _("Between 1 and 9 sign-offs."))
    try:
        with transaction.atomic():
            r = HonourRound.objects.create(unit=unit, community_id=unit.community_id, kind=kind, year=year,
                                           seats=seats, method=method, signoffs_needed=signoffs_needed,
                                           created_by=by.user)
    except IntegrityError:
        raise _field("kind", _("This honour already has a round for that year.")) from None
    audit.record(by, "participation.honour_round_created", r, changes=audit.diff(None, audit.snapshot(
        r, fields=["kind", "year", "seats", "method", "signoffs_needed"])))
    return r


def _locked(honour_round: HonourRound, by: Actor) -> HonourRound:
    r = HonourRound.objects.select_for_update().select_related("unit").get(pk=honour_round.pk)
    if not rules.may_manage_honours(by.user, r):
        raise PermissionDenied(_("You may not run honours in this unit."))
    return r


@transaction.atomic
def nominate(*, by: Actor, honour_round: HonourRound, person, reason: str = "") -> HonourNomination:
    r = _locked(honour_round, by)
    if r.state != HonourState.NOMINATING:
        raise ValidationError(_("Nominations are closed for this round."))
    if person.unit_id != r.unit_id or not person.active:
        raise _field("person", _("This person does not belong to the unit."))
    if r.nominations.filter(person=person).exists():
        raise _field("person", _("Already nominated."))
    a = activity(r.unit_id, r.year, [person.pk]).get(person.pk, {"points": 0, "hours": 0, "events": 0})
    n = HonourNomination.objects.create(round=r, person=person, reason=reason.strip()[:300], nominated_by=by.user, **a)
    audit.record(by, "participation.honour_nominated", r, changes={"nominee": [None, person.pk], **{
        k: [None, v] for k, v in a.items()}}, note=reason.strip()[:200])
    return n


@transaction.atomic
def start_review(*, by: Actor, honour_round: HonourRound, nominations) -> HonourRound:
    """Put a selection (at most `seats` nominees) under review; a changed selection needs new sign-offs."""
    r = _locked(honour_round, by)
    if r.method != HonourMethod.REVIEW:
        raise ValidationError(_("This round is decided by a vote."))
    if r.state == HonourState.DECIDED:
        raise ValidationError(_("This round is decided."))
    ids = sorted({n.pk for n in nominations})
    if not ids:
        raise _field("nominations", _("Select at least one nominee."))
    if len(ids) > r.seats:
        raise _field("nominations", _("Select at most %(n)d nominees.") % {"n": r.seats})
    if r.nominations.filter(pk__in=ids).count() != len(ids):
        raise _field("nominations", _("Select nominees of this round."))
    before = (r.state, r.selection)
    r.state, r.selection = HonourState.DECIDING, ids
    r.save(update_fields=["state", "selection"])
    audit.record(by, "participation.honour_review_started", r,
                 changes={"state": [before[0], r.state], "selection": [before[1], ids]})
    return r


def may_sign_off(user, honour_round: HonourRound) -> bool:
    return user is not None and user.is_authenticated and REVIEWER_ROLE in roles_over(user, honour_round)


@transaction.atomic
def sign_off(*, by: Actor, honour_round: HonourRound, note: str = "") -> HonourRound:
    """A committee member agrees with the selection under review; the round is decided when enough distinct
    members signed off the same selection. A nominee signs off no selection that includes them."""
    r = HonourRound.objects.select_for_update().select_related("unit").get(pk=honour_round.pk)
    if not may_sign_off(by.user, r):
        raise PermissionDenied(_("Only committee members of the unit sign off honours."))
    if r.method != HonourMethod.REVIEW or r.state != HonourState.DECIDING:
        raise ValidationError(_("Nothing is under review in this round."))
    me = rules.person_of(by.user)
    if me is not None and r.nominations.filter(pk__in=r.selection, person=me).exists():
        raise ValidationError(_("You are among the selected nominees; others sign off."))
    if HonourSignoff.objects.filter(round=r, user=by.user, selection=r.selection).exists():
        raise ValidationError(_("You have signed off this selection already."))
    s = HonourSignoff.objects.create(round=r, user=by.user, selection=r.selection, note=note.strip()[:200])
    audit.record(by, "participation.honour_signed_off", r, changes={"selection": [None, r.selection]},
                 note=s.note)
    done = HonourSignoff.objects.filter(round=r, selection=r.selection).values("user").distinct().count()
    if done >= r.signoffs_needed:
        _decide(by, r, r.selection, f"signoffs={done}")
    return r


def _decide(by: Actor, r: HonourRound, winners: list[int], outcome: str) -> None:
    HonourNomination.objects.filter(round=r, pk__in=winners).update(awarded=True)
    r.state, r.decided_at, r.outcome = HonourState.DECIDED, timezone.now(), outcome[:300]
    r.save(update_fields=["state", "decided_at", "outcome"])
    audit.record(by, "participation.honour_decided", r, changes={"state": [HonourState.DECIDING, r.state],
                                                                 "honoured": [None, sorted(winners)]}, note=r.outcome)


def _ballot_names(nominations: list[HonourNomination]) -> list[str]:
    """One option per nominee; namesakes get their home so a voter can tell them apart."""
    names = [n.person.name for n in nominations]
    out = []
    for n in nominations:
        label = n.person.name
        if names.count(label) > 1:
            label = f"{label}（{n.person.home.label if n.person.home_id else n.person.pk}）"
        out.append(label)
    return out


@transaction.atomic
def start_vote(*, by: Actor, honour_round: HonourRound, opens_at: dt.datetime, closes_at: dt.datetime) -> HonourRound:
    """The nominees go on a ballot of the unit's adult residents (deliberation's vote machinery)."""
    r = _locked(honour_round, by)
    if r.method != HonourMethod.VOTE:
        raise ValidationError(_("This round is decided by review."))
    if r.state != HonourState.NOMINATING:
        raise ValidationError(_("The vote has started already."))
    nominations = list(r.nominations.select_related("person__home").order_by("pk"))
    if len(nominations) <= r.seats:
        raise ValidationError(_("A vote needs more nominees than honours (%(n)d).") % {"n": r.seats})
    options = _ballot_names(nominations)
    title = _("%(year)s %(honour)s") % {"year": r.year, "honour": r.get_kind_display()}
    description = _("Choose up to %(n)d. The nominees with the most votes are honoured; a tie for the last place "
                    "is left to the committee.") % {"n": r.seats}
    vote_id = hooks.call("deliberation.start_choice_vote", by=by, unit_id=r.unit_id, title=title,
                         description=description, options=options, max_choices=r.seats, opens_at=opens_at,
                         closes_at=closes_at)
    r.state, r.vote_id = HonourState.DECIDING, vote_id
    r.selection = [[n.pk, o] for n, o in zip(nominations, options, strict=True)]
    r.save(update_fields=["state", "vote_id", "selection"])
    audit.record(by, "participation.honour_vote_started", r, changes={"state": [HonourState.NOMINATING, r.state],
                                                                      "vote": [None, vote_id]})
    return r


@transaction.atomic
def decide_by_vote(*, by: Actor, honour_round: HonourRound) -> HonourRound:
    """Once the vote is closed and counted: the `seats` nominees with the most votes (at least one each).
    A tie for the last place honours none of the tied; the committee settles it (never the software)."""
    r = _locked(honour_round, by)
    if r.method != HonourMethod.VOTE or r.state != HonourState.DECIDING or r.vote_id is None:
        raise ValidationError(_("This round has no vote to count."))
    counts = hooks.call("deliberation.choice_counts", vote_id=r.vote_id)
    if counts is None:
        raise ValidationError(_("The vote is not closed and counted yet."))
    got = {pk: counts.get(option, 0) for pk, option in r.selection}
    for pk, n in got.items():
        HonourNomination.objects.filter(pk=pk).update(votes=n)
    ranked = sorted((n for n in got.values() if n > 0), reverse=True)
    winners: list[int] = []
    tie = False
    if ranked:
        cut = ranked[min(r.seats, len(ranked)) - 1]
        above = [pk for pk, n in got.items() if n > cut]
        at_cut = [pk for pk, n in got.items() if n == cut]
        winners = above + at_cut if len(above) + len(at_cut) <= r.seats else above
        tie = len(above) + len(at_cut) > r.seats
    # Stored as a code (shown in words by the page, in the reader's language): places a tie left open.
    _decide(by, r, winners, f"open={r.seats - len(winners) if tie else 0}")
    return r


@transaction.atomic
def set_public_consent(*, by: Actor, nomination: HonourNomination, consent: bool) -> HonourNomination:
    """The honouree agrees (or no longer agrees) to be named on the unit's public page; staff may record a
    consent given on paper, in the honouree's name."""
    n = HonourNomination.objects.select_for_update(of=("self",)).select_related("round", "person").get(
        pk=nomination.pk)
    me = rules.person_of(by.user)
    if me is None or me.pk != n.person_id:
        if not rules.may_manage_honours(by.user, n.round):
            raise PermissionDenied(_("Only the honouree decides whether their name is shown."))
        by = Actor(user=by.user, on_behalf_of=n.person, channel=Channel.OFFLINE, ip=by.ip)
    before = n.public_consent
    n.public_consent = consent
    n.save(update_fields=["public_consent"])
    audit.record(by, "participation.honour_consent", n.round, changes={"public_consent": [before, consent],
                                                                       "nominee": [None, n.person_id]})
    return n
