"""Who may fetch files owned by safety rows (see courtyard.core.file_access)."""

from courtyard.core import file_access

from . import rules


def _hazard(user, hazard) -> bool:
    from .selectors import hazards_for

    return hazard.reported_by_id == user.pk or hazard.owner_id == user.pk or \
        hazards_for(user).filter(pk=hazard.pk).exists()


def _checkin(user, ci) -> bool:
    from .models import CheckIn

    return ci.by_id == user.pk or CheckIn.objects.visible_to(user).filter(pk=ci.pk).exists()


def _care(user, rec) -> bool:
    return rules.may_view_care(user, rec)


def _visit(user, visit) -> bool:
    return rules.may_view_care(user, visit.record)


file_access.register("safety.hazard", can_view=_hazard)
file_access.register("safety.checkin", can_view=_checkin)
file_access.register("safety.carerecord", can_view=_care)
file_access.register("safety.carevisit", can_view=_visit)
