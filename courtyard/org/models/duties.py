"""The four-party rights-and-duties list (权责清单, ORG-10): versioned per self-governance unit, adopted
and published; each duty tracked as covered (someone named does it, checked on a date) or not."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from .places import SelfGovernanceUnit


class DutyParty(models.TextChoices):
    RESIDENTS = "residents", _("Residents")
    SELF_GOVERNANCE = "self_governance", _("Self-governance body")
    PROPERTY = "property", _("Property company")
    GOVERNMENT = "government", _("Government")


class DutyKind(models.TextChoices):
    RIGHT = "right", _("Right")
    DUTY = "duty", _("Duty")


class DutyListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class DutyList(models.Model):
    unit = models.ForeignKey(SelfGovernanceUnit, on_delete=models.PROTECT, related_name="duty_lists",
                             verbose_name=_("unit"))
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    status = models.CharField(_("status"), max_length=12, choices=DutyListStatus.choices, default=DutyListStatus.DRAFT)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_ref = models.CharField(_("adopted by (resolution or vote)"), max_length=200, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    target_percent = models.PositiveSmallIntegerField(_("coverage target (%)"), default=90)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "unit__community__path", "unit": "unit"}
    view_perm = "org.view_orgs"

    class Meta:
        ordering = ["unit", "-version"]
        verbose_name = _("rights and duties list")
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="duty_list_version_once"),
            models.UniqueConstraint(fields=["unit"], condition=Q(status="adopted"), name="duty_list_one_adopted"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class DutyItem(ParentScoped, models.Model):
    scope_lookups = {"path": "duty_list__unit__community__path", "unit": "duty_list__unit"}
    scope_parent = "duty_list"
    view_perm = "org.view_orgs"

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="items")
    party = models.CharField(_("party"), max_length=16, choices=DutyParty.choices)
    kind = models.CharField(_("right or duty"), max_length=8, choices=DutyKind.choices)
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    covered = models.BooleanField(_("covered"), default=False)  # duties: someone named does it
    covered_by = models.CharField(_("who does it"), max_length=120, blank=True)
    checked_at = models.DateField(_("last checked"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["duty_list", "party", "kind", "position", "id"]
        verbose_name = _("rights and duties item")
        verbose_name_plural = _("rights and duties items")

    def __str__(self) -> str:
        return self.text
