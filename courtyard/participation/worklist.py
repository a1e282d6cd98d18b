"""Participation entries of the console home's work list (courtyard.core.worklist)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.worklist import WorkItem

from . import permissions as P
from .choices import RedemptionState
from .models import Redemption, Rota
from .services.rotas import uncovered


def items(user) -> list[WorkItem]:
    if not user.has_perm(P.VIEW):
        return []
    out = []
    if user.has_perm(P.MANAGE_ROTAS):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        gaps = uncovered(list(Rota.objects.visible_to(user, P.MANAGE_ROTAS).filter(active=True, daily=True)), tomorrow)
        out.append(WorkItem("participation.uncovered", _("Nobody on duty tomorrow"), len(gaps),
                            reverse("participation:rotas"), _("Rotas with an empty day tomorrow: put someone on them"),
                            urgent=True))
    if user.has_perm(P.MANAGE_POINTS):
        n = Redemption.objects.visible_to(user, P.MANAGE_POINTS).filter(state=RedemptionState.PLACED).count()
        out.append(WorkItem("participation.redemptions", _("Redemptions to hand over"), n,
                            reverse("participation:redemptions"), _("Residents waiting for what they redeemed")))
    return out
