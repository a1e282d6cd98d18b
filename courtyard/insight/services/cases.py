"""Warnings that are cases (INS-3, INS-7). When a unit's or a community's monthly snapshot turns
yellow or red, a case opens (one open case per node and indicator): yellow — the community
residents' committee leads a rectification; red — the subdistrict party committee supervises it as
a listed case (挂牌督办). A yellow case whose indicator turns red is raised to red. Each case has an
owner, a deadline, actions and evidence (files through core.files) and a closure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core import text as text_limits
from courtyard.core.access import holders
from courtyard.core.audit import Actor, record
from courtyard.core.files import store_upload
from courtyard.core.indicators import RED, YELLOW, Period, catalogue
from courtyard.core.notify import Text, notify
from courtyard.org.models import Place

from ..models import ActionKind, CaseAction, CaseStatus, Level, ScopeKind, Snapshot, WarningCase

DEADLINE_DAYS = {Level.YELLOW: 30, Level.RED: 20}
LEADS = {Level.YELLOW: ("party_secretary", "community_staff"), Level.RED: ("subdistrict_officer",)}
CASE_SCOPES = (ScopeKind.UNIT, ScopeKind.COMMUNITY)


def lead_place(snapshot_place: Place, level: str) -> Place:
    """Yellow: the community; red: its subdistrict (the community's parent)."""
    community = snapshot_place
    if level == Level.RED and community.parent_id:
        return community.parent
    return community


def _tell_leads(case: WarningCase, title: Text) -> None:
    notify(recipients=holders(LEADS[case.level], case.lead_place), kind="insight.case", title=title,
           body=Text(gettext_lazy("%(where)s: %(indicator)s %(num)s/%(den)s in %(period)s."), where=case.scope_name,
                     indicator=catalogue()[case.code].label, num=case.numerator, den=case.denominator,
                     period=case.period_key),
           url=case.get_console_url())


def open_cases_for(period: Period, *, now: dt.datetime | None = None) -> dict[str, int]:
    """Open (or raise) cases for the period's yellow and red snapshots of units and communities."""
    now = now or timezone.now()
    counts = {"opened": 0, "raised": 0}
    flagged = (Snapshot.objects.filter(period_kind=period.kind, period_start=period.start, colour__in=(YELLOW, RED),
                                       scope_kind__in=CASE_SCOPES, code__in=list(catalogue()))
               .select_related("place", "place__parent"))
    for snap in flagged:
        with transaction.atomic():
            case = WarningCase.objects.select_for_update().filter(scope_key=snap.scope_key, code=snap.code,
                                                                   status=CaseStatus.OPEN).first()
            if case is None:
                counts["opened"] += _open(snap, now) is not None
            elif case.level == Level.YELLOW and snap.colour == RED:
                _raise(case, snap, now)
                counts["raised"] += 1
    return counts


def _open(snap: Snapshot, now) -> WarningCase | None:
    level = Level.RED if snap.colour == RED else Level.YELLOW
    lead = lead_place(snap.place, level)
    try:
        with transaction.atomic():
            case = WarningCase.objects.create(
                scope_kind=snap.scope_kind, scope_key=snap.scope_key, scope_name=snap.scope_name, place=snap.place,
                unit_id=snap.unit_id, path=snap.path, code=snap.code, period_kind=snap.period_kind,
                period_key=snap.period_key, level=level, numerator=snap.numerator, denominator=snap.denominator,
                lead_place=lead, deadline=timezone.localdate(now) + dt.timedelta(days=DEADLINE_DAYS[level]),
                opened_at=now)
    except IntegrityError:  # another run opened it a moment ago
        return None
    CaseAction.objects.create(case=case, kind=ActionKind.OPENED, at=now, note=f"{snap.numerator}/{snap.denominator}")
    record(Actor.system(), "insight.case.open", case, changes={"level": [None, level], "code": [None, snap.code]})
    _tell_leads(case, Text(gettext_lazy("Listed case opened: %(indicator)s") if level == Level.RED else
                           gettext_lazy("Warning case opened: %(indicator)s"), indicator=catalogue()[case.code].label))
    return case


def _raise(case: WarningCase, snap: Snapshot, now) -> None:
    case.level = Level.RED
    case.lead_place = lead_place(snap.place, Level.RED)
    case.numerator, case.denominator, case.period_key = snap.numerator, snap.denominator, snap.period_key
    case.deadline = min(case.deadline, timezone.localdate(now) + dt.timedelta(days=DEADLINE_DAYS[Level.RED]))
    case.save(update_fields=["level", "lead_place", "numerator", "denominator", "period_key", "deadline"])
    CaseAction.objects.create(case=case, kind=ActionKind.ESCALATED, at=now, note=f"{snap.numerator}/{snap.denominator}")
    record(Actor.system(), "insight.case.raise", case, changes={"level": [Level.YELLOW, Level.RED]})
    _tell_leads(case, Text(gettext_lazy("Listed case opened: %(indicator)s"), indicator=catalogue()[case.code].label))


def _require(by: Actor, perm: str, case: WarningCase) -> None:
    if by.user is None or not by.user.has_perm(perm, case):
        raise PermissionDenied


@transaction.atomic
def add_action(*, by: Actor, case: WarningCase, note: str, upload=None) -> CaseAction:
    """Log what was done, optionally with evidence (a photo or PDF, checked by core.files)."""
    case = WarningCase.objects.select_for_update().get(pk=case.pk)
    _require(by, "insight.act_on_case", case)
    note = text_limits.within((note or "").strip(), limit=text_limits.COMMENT_MAX, what=_("The note"))
    if not note and upload is None:
        raise ValidationError({"note": _("Say what was done, or attach the evidence.")})
    attachment = None
    if upload is not None:
        attachment = store_upload(by=by, upload=upload, allowed={"image", "pdf"}, owner=case)
    action = CaseAction.objects.create(case=case, kind=ActionKind.EVIDENCE if attachment else ActionKind.ACTION,
                                       note=note, attachment=attachment, by=by.user)
    record(by, "insight.case.action", case, changes={"note": [None, note[:200]]})
    return action


@transaction.atomic
def set_owner(*, by: Actor, case: WarningCase, owner, deadline: dt.date | None = None) -> WarningCase:
    case = WarningCase.objects.select_for_update().get(pk=case.pk)
    _require(by, "insight.steer_case", case)
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot lie in the past.")})
    before = {"owner": case.owner_id, "deadline": str(case.deadline)}
    case.owner = owner
    if deadline is not None:
        case.deadline = deadline
    case.save(update_fields=["owner", "deadline"])
    CaseAction.objects.create(case=case, kind=ActionKind.ASSIGNED, by=by.user,
                              note=f"{owner.display_name if owner else ''} · {case.deadline}")
    record(by, "insight.case.assign", case, changes={"owner": [before["owner"], case.owner_id],
                                                     "deadline": [before["deadline"], str(case.deadline)]})
    return case


@transaction.atomic
def close_case(*, by: Actor, case: WarningCase, closure: str) -> WarningCase:
    """Close with a written result (what was rectified and how the indicator stands)."""
    case = WarningCase.objects.select_for_update().get(pk=case.pk)
    _require(by, "insight.steer_case", case)
    closure = text_limits.within((closure or "").strip(), limit=text_limits.COMMENT_MAX, what=_("The closure"))
    if not closure:
        raise ValidationError({"closure": _("Say what was rectified before closing the case.")})
    if not case.actions.filter(kind__in=(ActionKind.ACTION, ActionKind.EVIDENCE)).exists():
        raise ValidationError({"closure": _("Record at least one action or piece of evidence before closing.")})
    now = timezone.now()
    case.status, case.closed_at, case.closed_by, case.closure = CaseStatus.CLOSED, now, by.user, closure
    case.save(update_fields=["status", "closed_at", "closed_by", "closure"])
    CaseAction.objects.create(case=case, kind=ActionKind.CLOSED, by=by.user, note=closure, at=now)
    record(by, "insight.case.close", case, changes={"status": [CaseStatus.OPEN, CaseStatus.CLOSED]})
    return case
