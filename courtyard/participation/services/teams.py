"""Teams (PTC-1, PTC-7): a resident starts a team, neighbours join it themselves, and once two or more
people are in it staff incubate it and then mark it active. The talent pool and training records
(PTC-8) are kept by staff."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor

from .. import rules
from ..choices import TeamState
from ..models import Talent, Team, TeamMember, TrainingRecord

MIN_FOUNDERS = 2


def _refuse(message: str, field: str | None = None) -> ValidationError:
    return ValidationError(message, code=field) if field else ValidationError(message)


def _resident(by: Actor):
    me = rules.person_of(by.user)
    if me is None or me.unit_id is None or not me.active:
        raise PermissionDenied(_("Your account is not linked to a resident; ask your community office."))
    return me


@transaction.atomic
def start_team(*, by: Actor, name: str, kind: str, purpose: str) -> Team:
    me = _resident(by)
    if not name.strip():
        raise _refuse(_("Give the team a name."), "name")
    try:
        with transaction.atomic():
            team = Team.objects.create(unit_id=me.unit_id, community_id=me.community_id, name=name.strip(), kind=kind,
                                       purpose=purpose, started_by=me)
    except IntegrityError:
        raise _refuse(_("A team of that name exists already."), "name") from None
    TeamMember.objects.create(team=team, person=me, leader=True)
    audit.record(by, "participation.team_started", team, changes={"state": [None, team.state]})
    return team


@transaction.atomic
def join_team(*, by: Actor, team: Team) -> TeamMember:
    me = _resident(by)
    t = Team.objects.select_for_update().get(pk=team.pk)
    if me.unit_id != t.unit_id:
        raise PermissionDenied(_("Teams are joined by residents of their unit."))
    if TeamMember.objects.filter(team=t, person=me).exists():
        raise _refuse(_("You are already in this team."))
    member = TeamMember.objects.create(team=t, person=me)
    audit.record(by, "participation.team_joined", t, changes={"member": [None, me.pk]})
    return member


@transaction.atomic
def advance_team(*, by: Actor, team: Team) -> Team:
    """Staff: a proposed team with two or more members is incubated; an incubated team becomes active."""
    t = Team.objects.select_for_update().get(pk=team.pk)
    if not rules.may_manage_teams(by.user, t):
        raise PermissionDenied(_("You may not incubate teams in this unit."))
    before = t.state
    if t.state == TeamState.PROPOSED:
        if TeamMember.objects.filter(team=t).count() < MIN_FOUNDERS:
            raise _refuse(_("A team needs at least two residents before it is incubated."))
        t.state, t.incubated_by = TeamState.INCUBATING, by.user
    elif t.state == TeamState.INCUBATING:
        t.state = TeamState.ACTIVE
    else:
        raise _refuse(_("This team is active already."))
    t.save(update_fields=["state", "incubated_by"])
    audit.record(by, "participation.team_advanced", t, changes={"state": [before, t.state]})
    return t


@transaction.atomic
def list_talent(*, by: Actor, unit, person, kind: str, skills: str, consent: bool) -> Talent:
    if not rules.may_manage_teams(by.user, unit):
        raise PermissionDenied(_("You may not keep the talent pool of this unit."))
    if not consent:
        raise _refuse(_("List someone only with their consent."), "consent")
    if person.unit_id != unit.pk:
        raise _refuse(_("This person does not belong to the unit."), "person")
    talent, _created = Talent.objects.update_or_create(
        unit=unit, person=person, defaults={"community_id": unit.community_id, "kind": kind, "skills": skills,
                                            "consent": True})
    audit.record(by, "participation.talent_listed", talent, changes={"skills": [None, skills]})
    return talent


@transaction.atomic
def record_training(*, by: Actor, unit, person, course: str, level: str, hours: int, day: dt.date) -> TrainingRecord:
    if not rules.may_manage_teams(by.user, unit):
        raise PermissionDenied(_("You may not record training in this unit."))
    if person.community_id != unit.community_id:  # a committee member may live in another of its courtyards
        raise _refuse(_("This person does not belong to the unit."), "person")
    if not 1 <= hours <= 200:
        raise _refuse(_("Hours must be between 1 and 200."), "hours")
    if day > timezone.localdate():
        raise _refuse(_("Record training that took place, not planned."), "day")
    row = TrainingRecord.objects.create(unit=unit, community_id=unit.community_id, person=person, course=course,
                                        level=level, hours=hours, day=day, recorded_by=by.user)
    audit.record(by, "participation.training_recorded", row, changes={"hours": [None, hours]})
    return row
