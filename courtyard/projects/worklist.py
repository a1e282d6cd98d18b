"""Projects entries of the console home's work list: opinions waiting for the expert panel, inspections
waiting for a resident representative's signature (a fixed number of queries each)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.access import current_grants
from courtyard.core.worklist import WorkItem

from . import permissions as p
from .models import Inspection, Opinion


def _offices(user, perm: str, roles=None) -> bool:
    from courtyard.core.access import ROLES

    return any(g.role in ROLES and perm in ROLES[g.role].perms and (roles is None or g.role in roles)
               for g in current_grants(user))


def items(user) -> list[WorkItem]:
    out = []
    if _offices(user, p.DISPOSE):
        waiting = Opinion.objects.visible_to(user).filter(disposition="", plan__state="published")
        first = waiting.order_by("pk").values_list("plan_id", flat=True).first()
        out.append(WorkItem("projects.dispose", _("Opinions waiting for the expert panel"), waiting.count(),
                            reverse("projects:plan", args=[first]) if first else reverse("projects:library"),
                            _("Record a disposition for each residents' opinion on a published plan")))
    if _offices(user, p.SIGN, p.SIGN_ROLES):
        waiting = Inspection.objects.visible_to(user).filter(signed_by__isnull=True).exclude(recorded_by=user)
        first = waiting.order_by("pk").values_list("project_id", flat=True).first()
        out.append(WorkItem("projects.sign", _("Inspections waiting for my signature"), waiting.count(),
                            reverse("projects:works", args=[first]) if first else reverse("projects:library"),
                            _("Check the works and sign the inspection ledger")))
    return out
