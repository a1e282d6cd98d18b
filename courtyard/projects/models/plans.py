"""Plan versions and residents' opinions (PRJ-3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import Disposition, PlanState
from .base import VIEW


class PlanVersion(ParentScoped, models.Model):
    """One version of a project's plan; drawings are attachments (core.files) owned by it."""

    scope_parent = "project"
    scope_lookups = {"path": "project__community__path", "unit": "project__unit"}
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="plans",
                                verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"))
    state = models.CharField(_("state"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("approved by"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def get_console_url(self) -> str:
        return reverse("projects:plan", args=[self.pk])


class Opinion(ParentScoped, models.Model):
    scope_parent = "plan"
    scope_lookups = {"path": "plan__project__community__path", "unit": "plan__project__unit"}
    view_perm = VIEW
    scope_reach_units = True

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_label = models.CharField(_("from"), max_length=60)
    text = models.TextField(_("opinion"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    disposition = models.CharField(_("disposition"), max_length=16, choices=Disposition.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    disposed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")

    def __str__(self) -> str:
        return self.text[:60]
