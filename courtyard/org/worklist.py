"""Registry entries of the console home's work list: roster imports checked and waiting to be confirmed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.worklist import WorkItem

from . import access
from .models import Place, RosterImport


def items(user) -> list[WorkItem]:
    if not user.has_perm(access.IMPORT_ROSTER):
        return []
    waiting = RosterImport.objects.filter(
        status=RosterImport.Status.STAGED,
        community__in=Place.objects.visible_to(user, access.IMPORT_ROSTER).values("pk")).count()
    return [WorkItem("org.imports", _("Roster imports waiting"), waiting, reverse("org:roster_import"),
                     _("Checked spreadsheets waiting for you to confirm or discard"))]
