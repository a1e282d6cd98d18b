"""Who may do what in the safety app. Views ask these to offer a page or button; services ask the
same functions again before writing (and raise PermissionDenied)."""

from __future__ import annotations

import rules

from courtyard.core.access import in_scope

from . import permissions as P
from .choices import HazardState, TaskState


def _authed(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def may_handle_hazard(user, hazard) -> bool:
    return _authed(user) and in_scope(user, P.HANDLE, hazard)


@rules.predicate
def may_rectify(user, hazard) -> bool:
    """The owner, or a handler in scope, reports the hazard rectified."""
    if not _authed(user) or hazard.state != HazardState.OPEN:
        return False
    return hazard.owner_id == user.pk or in_scope(user, P.HANDLE, hazard)


@rules.predicate
def may_reinspect(user, hazard) -> bool:
    """A handler in scope who did not rectify it themselves."""
    return (_authed(user) and hazard.state == HazardState.FIXED and hazard.fixed_by_id != user.pk
            and in_scope(user, P.HANDLE, hazard))


@rules.predicate
def may_check_in(user, task) -> bool:
    """The assigned worker, while the task is not closed as missed without make-ups."""
    if not _authed(user) or task.assignee_id != user.pk:
        return False
    return task.state == TaskState.OPEN or task.plan.make_up


@rules.predicate
def may_view_care(user, record) -> bool:
    """Holders of the narrow care permission over the person, the visiting worker and the person who
    claimed them (包联). Nobody else — not the person's neighbours, not public pages."""
    if not _authed(user):
        return False
    return record.worker_id == user.pk or record.claimed_by_id == user.pk or in_scope(user, P.CARE, record)


@rules.predicate
def may_visit(user, record) -> bool:
    return record.active and may_view_care(user, record)


@rules.predicate
def may_manage_care(user, record) -> bool:
    return _authed(user) and in_scope(user, P.CARE_MANAGE, record)


def sees_own_visits(user, record) -> bool:
    """The person in care (their own login) or a family member linked to the record."""
    if not _authed(user):
        return False
    if user.person_id is not None and user.person_id == record.person_id:
        return True
    return record.family.filter(pk=user.pk).exists()


rules.add_perm("safety.handle", may_handle_hazard)
rules.add_perm("safety.rectify", may_rectify)
rules.add_perm("safety.reinspect", may_reinspect)
rules.add_perm("safety.check_in", may_check_in)
rules.add_perm("safety.see_care_record", may_view_care)
rules.add_perm("safety.log_visit", may_visit)
