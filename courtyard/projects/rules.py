"""Who may do what with renovation projects: composed django-rules predicates over the access
kernel. Views ask these functions what to offer; services ask the same functions before writing
and raise the refusal (nothing written, nothing audited).

* Staff duties (managing the library, surveys, campaigns; collecting answers on a resident's
  behalf) need a grant carrying the permission over the object (`in_scope`).
* Office duties (the expert panel's disposition, the leading group's approval) need a *role held
  over the project* that carries the permission (`roles_over`): no superuser shortcut, as for
  funds sign-offs.
* Residents need no role: they answer, consent and comment for their own household in their own
  unit (`resident_dwellings`).
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import courtyard.org.rules  # noqa: F401  (the per-permission scope rules this module refines)
from courtyard.core.access import ROLES, in_scope, roles_over
from courtyard.org.models import Dwelling

from . import permissions as p
from .choices import PlanState, SurveyState


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def staff_refusal(user, perm: str, obj) -> Exception | None:
    if not _authenticated(user) or not in_scope(user, perm, obj):
        return PermissionDenied(_("You may not do this."))
    return None


def holds_office(user, perm: str, obj) -> bool:
    """A role held over `obj` that carries `perm` (never a superuser as such)."""
    return _authenticated(user) and any(perm in ROLES[r].perms for r in roles_over(user, obj) if r in ROLES)


def resident_dwellings(user):
    """The dwellings a resident lives in or holds a current link to (their own household only)."""
    person = getattr(user, "person", None) if _authenticated(user) else None
    if person is None:
        return Dwelling.objects.none()
    today = timezone.localdate()
    current = Q(links__person=person) & (Q(links__end_date__isnull=True) | Q(links__end_date__gte=today))
    return Dwelling.objects.filter(current | Q(pk=person.home_id or 0)).distinct()


def resident_unit_ids(user) -> set[int]:
    return set(resident_dwellings(user).exclude(unit=None).values_list("unit_id", flat=True))


def answer_refusal(user, survey) -> Exception | None:
    """May a resident answer `survey` online for themselves (or their household)?"""
    if survey.state != SurveyState.OPEN:
        return ValidationError(_("This survey is not open for answers."))
    if not _authenticated(user) or survey.unit_id not in resident_unit_ids(user):
        return PermissionDenied(_("Only residents of this unit can answer this survey."))
    return None


def consent_refusal(user, campaign, dwelling) -> Exception | None:
    """May a resident give their household's answer online?"""
    if not campaign.is_open:
        return ValidationError(_("This campaign is closed."))
    if dwelling.unit_id != campaign.unit_id or not resident_dwellings(user).filter(pk=dwelling.pk).exists():
        return PermissionDenied(_("You can only answer for your own household."))
    return None


def comment_refusal(user, plan) -> Exception | None:
    if plan.state != PlanState.PUBLISHED:
        return ValidationError(_("This plan is not open for opinions."))
    if not _authenticated(user) or plan.project.unit_id not in resident_unit_ids(user):
        return PermissionDenied(_("Only residents of this unit can give an opinion on this plan."))
    return None


def dispose_refusal(user, opinion) -> Exception | None:
    if opinion.plan.state not in (PlanState.PUBLISHED,):
        return ValidationError(_("Opinions are disposed of while the plan is published."))
    if not holds_office(user, p.DISPOSE, opinion.plan.project):
        return PermissionDenied(_("Only the expert panel disposes of opinions."))
    return None


def approve_refusal(user, plan, *, undisposed: int | None = None) -> Exception | None:
    if plan.state != PlanState.PUBLISHED:
        return ValidationError(_("Only a published plan can be approved."))
    if not holds_office(user, p.APPROVE_PLAN, plan.project):
        return PermissionDenied(_("Only the leading group approves the final plan."))
    if undisposed is None:
        undisposed = plan.opinions.filter(disposition="").count()
    if undisposed:
        return ValidationError(_("Every opinion needs a disposition before the plan is approved."))
    return None


@rules.predicate
def may_dispose(user, opinion=None) -> bool:
    if opinion is None:
        return in_scope(user, p.DISPOSE, None)
    return dispose_refusal(user, opinion) is None


@rules.predicate
def may_approve(user, plan=None) -> bool:
    if plan is None:
        return in_scope(user, p.APPROVE_PLAN, None)
    return approve_refusal(user, plan) is None


rules.set_perm(p.DISPOSE, may_dispose)
rules.set_perm(p.APPROVE_PLAN, may_approve)


# ---------------------------------------------------------------- works (PRJ-4, PRJ-5)
def office_for(user, perm: str, obj, roles) -> str | None:
    """The first of `roles` that `user` holds over `obj` and that carries `perm` (never a superuser as such)."""
    if not _authenticated(user):
        return None
    held = roles_over(user, obj)
    return next((r for r in roles if r in held and r in ROLES and perm in ROLES[r].perms), None)


def sign_inspection_refusal(user, inspection) -> Exception | None:
    if inspection.signed_by_id:
        return ValidationError(_("This inspection is already signed."))
    if _authenticated(user) and inspection.recorded_by_id == user.pk:
        return ValidationError(_("The person who recorded an inspection cannot also sign it."))
    if office_for(user, p.SIGN, inspection.project, p.SIGN_ROLES) is None:
        return PermissionDenied(_("Only a resident representative or committee member signs an inspection."))
    return None


def stage_refusal(user, project, stage: str) -> Exception | None:
    if office_for(user, p.INSPECT, project, p.STAGE_ROLES.get(stage, ())) is None:
        return PermissionDenied(_("You do not hold the office that records this acceptance stage."))
    return None


# ---------------------------------------------------------------- rollout programme (PRJ-8)
def extension_refusal(user, extension) -> Exception | None:
    """Only the subdistrict party working committee, as an office held over the programme, decides."""
    if extension.state != "pending":
        return ValidationError(_("This extension request is already decided."))
    if office_for(user, p.APPROVE_EXTENSION, extension.milestone.programme, p.EXTENSION_ROLES) is None:
        return PermissionDenied(_("Only the subdistrict party working committee approves extensions."))
    if _authenticated(user) and extension.requested_by_id == user.pk:
        return ValidationError(_("Nobody decides their own extension request."))
    return None
