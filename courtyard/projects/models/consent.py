"""Household consent campaigns (DLB-10): one standing answer per dwelling, with its channel and helper."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import ConsentAnswer, ConsentChannel, VoteMatter
from .base import VIEW, UnitRow


class ConsentCampaign(UnitRow):
    title = models.CharField(_("title"), max_length=120)
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="campaigns", verbose_name=_("project"))
    target_percent = models.PositiveSmallIntegerField(_("target consent rate (%)"), default=90)
    is_open = models.BooleanField(_("open"), default=True)
    matter = models.CharField(_("owners' vote needed for"), max_length=16, choices=VoteMatter.choices, blank=True,
                              default=VoteMatter.NONE)
    vote_id = models.PositiveBigIntegerField(_("owners' vote"), null=True, blank=True)
    vote_url = models.CharField(max_length=200, blank=True)
    vote_rule = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent campaign")
        verbose_name_plural = _("consent campaigns")
        constraints = [models.CheckConstraint(condition=models.Q(target_percent__gte=1, target_percent__lte=100),
                                              name="campaign_target_percent")]

    def __str__(self) -> str:
        return self.title

    def get_console_url(self) -> str:
        return reverse("projects:campaign", args=[self.pk])


class Consent(ParentScoped, models.Model):
    """A dwelling's current answer; every change is an audit event with the previous values."""

    scope_parent = "campaign"
    scope_lookups = {"path": "campaign__community__path", "unit": "campaign__unit"}
    view_perm = VIEW
    scope_reach_units = True

    campaign = models.ForeignKey(ConsentCampaign, on_delete=models.CASCADE, related_name="consents")
    dwelling = models.ForeignKey("org.Dwelling", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("household"))
    answer = models.CharField(_("answer"), max_length=16, choices=ConsentAnswer.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=ConsentChannel.choices)
    helper = models.CharField(_("collected by"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("who answered"))
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "dwelling"]
        verbose_name = _("household consent")
        verbose_name_plural = _("household consents")
        constraints = [models.UniqueConstraint(fields=["campaign", "dwelling"], name="consent_one_per_dwelling")]
