"""Mediation in three tiers (SVC-8): neighbour mediators → professionals → multi-party consultation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import CaseState, Tier
from ._base import Placed

VIEW = "safety.view_safety"


class MediationCase(Placed):
    """A dispute: its parties and summary are private to mediators; only `published_outcome`
    (anonymised, checked not to name a party) is ever shown publicly."""
    view_perm = "safety.mediate"

    title = models.CharField(_("dispute"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    parties = models.TextField(_("parties"), help_text="one per line")
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, default=Tier.NEIGHBOUR)
    state = models.CharField(_("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("mediator"))
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.TextField(_("agreement or referral"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=120, blank=True)
    published_outcome = models.TextField(_("published outcome (anonymised)"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("mediation case")

    def __str__(self) -> str:
        return self.title

    def party_names(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class MediationSession(ParentScoped, models.Model):
    scope_lookups = {"path": "case__path", "unit": "case__unit"}
    scope_parent = "case"
    view_perm = "safety.mediate"

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    held_at = models.DateTimeField(_("held"))
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(_("minutes"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["held_at", "pk"]
        verbose_name = _("mediation session")
