"""Mediation writes: a resident asks for a mediator; mediators open cases, hold sessions with
minutes, move a case up a tier, and close it with an agreement or a referral and an anonymised
outcome for publication."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import notify
from courtyard.core.access import holders, in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.notify import Text
from courtyard.core.text import within

from .. import permissions as P
from ..choices import CaseState, Tier
from ..models import MediationCase, MediationSession
from ._common import refuse

FIELDS = ["title", "tier", "state", "mediator", "closed_at", "referred_to"]
CLOSED = (CaseState.AGREED, CaseState.REFERRED, CaseState.FAILED)


def _text(value: str, *, limit: int, what: str, code: str, required: bool = True) -> str:
    value = within((value or "").strip(), limit=limit, what=what)
    if required and not value:
        raise ValidationError(_("This field is required."), code=code)
    return value


@transaction.atomic
def request_mediator(*, by: Actor, title: str, summary: str) -> MediationCase:
    """A resident asks for a mediator about a dispute at home (the case waits to be taken)."""
    person = getattr(by.user, "person", None)
    refuse(person is not None, _("Your account is not linked to a community yet."))
    place = person.home.entrance if person.home_id else person.community
    case = MediationCase(title=_text(title, limit=120, what=_("Dispute"), code="title"),
                         summary=_text(summary, limit=2000, what=_("Summary"), code="summary", required=False),
                         parties=person.name, state=CaseState.REQUESTED, requested_by=by.user,
                         opened_at=timezone.now())
    case.locate(place)
    case.save()
    record(by, "safety.mediation.request", case, changes=diff(None, snapshot(case, FIELDS)))
    notify.notify(recipients=holders(["community_staff", "grid_worker"], case), kind="safety.mediation",
                  title=Text(N_("A resident asks for a mediator: %(title)s"), title=case.title),
                  url=reverse("safety:case", args=[case.pk]))
    return case


@transaction.atomic
def open_case(*, by: Actor, place, title: str, parties: str, summary: str = "", tier: int = Tier.NEIGHBOUR,
              mediator=None, opened_at: dt.datetime | None = None) -> MediationCase:
    refuse(in_scope(by.user, P.MEDIATE, place))
    if tier not in Tier.values:
        raise ValidationError(_("Choose a tier."), code="tier")
    case = MediationCase(title=_text(title, limit=120, what=_("Dispute"), code="title"),
                         parties=_text(parties, limit=1000, what=_("Parties"), code="parties"),
                         summary=_text(summary, limit=2000, what=_("Summary"), code="summary", required=False),
                         tier=tier, mediator=mediator or by.user, opened_at=min(opened_at or timezone.now(), timezone.now()))
    case.locate(place)
    case.save()
    record(by, "safety.mediation.create", case, changes=diff(None, snapshot(case, FIELDS)))
    return case


def _locked(by: Actor, case: MediationCase) -> MediationCase:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    refuse(in_scope(by.user, P.MEDIATE, case))
    if case.state in CLOSED:
        raise ValidationError(_("This case is closed."), code="minutes")
    return case


@transaction.atomic
def take_case(*, by: Actor, case: MediationCase, parties: str) -> MediationCase:
    case = _locked(by, case)
    before = snapshot(case, FIELDS)
    case.state, case.mediator = CaseState.OPEN, by.user
    case.parties = _text(parties, limit=1000, what=_("Parties"), code="parties")
    case.save()
    record(by, "safety.mediation.take", case, changes=diff(before, snapshot(case, FIELDS)))
    return case


@transaction.atomic
def record_session(*, by: Actor, case: MediationCase, attendees: str, minutes: str,
                   held_at: dt.datetime | None = None) -> MediationSession:
    case = _locked(by, case)
    if case.state == CaseState.REQUESTED:
        raise ValidationError(_("Take the case first."), code="minutes")
    held_at = held_at or timezone.now()
    if held_at > timezone.now() + dt.timedelta(minutes=5) or held_at < case.opened_at:
        raise ValidationError(_("A session is held between the case's opening and now."), code="held_at")
    session = MediationSession.objects.create(
        case=case, tier=case.tier, held_at=held_at, by=by.user,
        attendees=_text(attendees, limit=1000, what=_("Attendees"), code="attendees"),
        minutes=_text(minutes, limit=5000, what=_("Minutes"), code="minutes"))
    record(by, "safety.mediation.session", session, community_id=case.community_id)
    return session


@transaction.atomic
def raise_tier(*, by: Actor, case: MediationCase, reason: str) -> MediationCase:
    """Up one tier: to professionals (lawyer, social worker), then to a multi-party consultation."""
    case = _locked(by, case)
    if case.tier >= Tier.CONSULTATION:
        raise ValidationError(_("This case is already at a multi-party consultation."), code="reason")
    reason = _text(reason, limit=500, what=_("Reason"), code="reason")
    before = snapshot(case, FIELDS)
    case.tier = F("tier") + 1
    case.save(update_fields=["tier"])
    case.refresh_from_db()
    record(by, "safety.mediation.tier", case, changes=diff(before, snapshot(case, FIELDS)), note=reason)
    roles = ["lawyer", "social_worker"] if case.tier == Tier.PROFESSIONAL else ["community_staff", "party_secretary"]
    notify.notify(recipients=holders(roles, case), kind="safety.mediation",
                  title=Text(N_("Mediation moved to %(tier)s: %(title)s"), tier=case.get_tier_display(),
                             title=case.title),
                  url=reverse("safety:case", args=[case.pk]))
    return case


@transaction.atomic
def close_case(*, by: Actor, case: MediationCase, result: str, outcome: str, published_outcome: str,
               referred_to: str = "", closed_at: dt.datetime | None = None) -> MediationCase:
    case = _locked(by, case)
    if result not in CLOSED:
        raise ValidationError(_("Choose how the case ended."), code="result")
    outcome = _text(outcome, limit=5000, what=_("Agreement or referral"), code="outcome")
    published = _text(published_outcome, limit=1000, what=_("Published outcome"), code="published_outcome")
    named = [n for n in case.party_names() if len(n) >= 2 and n in published]
    if named:
        raise ValidationError(_("The published outcome names a party (%(names)s): anonymise it."),
                              params={"names": "、".join(named)}, code="published_outcome")
    if result == CaseState.REFERRED and not referred_to.strip():
        raise ValidationError(_("Say where the case was referred."), code="referred_to")
    before = snapshot(case, FIELDS)
    case.state, case.outcome, case.published_outcome = result, outcome, published
    case.referred_to = referred_to.strip()[:120]
    case.closed_at = max(min(closed_at or timezone.now(), timezone.now()), case.opened_at)
    case.save()
    record(by, "safety.mediation.close", case, changes=diff(before, snapshot(case, FIELDS)))
    if case.requested_by_id:
        notify.notify(recipients=[case.requested_by], kind="safety.mediation",
                      title=Text(N_("Your mediation request is closed: %(title)s"), title=case.title),
                      url=reverse("safety:my_mediation"))
    return case


def rates(cases) -> dict:
    """Success rate (agreements ÷ closed cases) and mean cycle time in days, both exact."""
    closed = [c for c in cases if c.state in CLOSED and c.closed_at]
    agreed = sum(1 for c in closed if c.state == CaseState.AGREED)
    days = sum((Fraction((c.closed_at - c.opened_at).total_seconds()) / 86400 for c in closed), Fraction(0))
    return {"closed": len(closed), "agreed": agreed,
            "success": Fraction(agreed, len(closed)) if closed else None,
            "cycle_days": days / len(closed) if closed else None}
