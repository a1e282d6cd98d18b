"""Residents' concerns during construction (PRJ-4, issue 10 item 6) and third-party test reports. A concern
is a service-desk request (kept there with its clocks, dispatch and escalation) sent to the contractor;
this row only links it to the project. A test report is a published document with its PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from .base import VIEW

_PROJECT = {"path": "project__community__path", "unit": "project__unit"}


class Concern(ParentScoped, models.Model):
    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="concerns")
    request_id = models.PositiveBigIntegerField(_("service-desk request"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-created_at", "-pk"]
        verbose_name = _("residents' concern")
        verbose_name_plural = _("residents' concerns")


class TestReport(ParentScoped, models.Model):
    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="test_reports")
    title = models.CharField(_("title"), max_length=120)
    lab = models.CharField(_("testing body"), max_length=120)
    tested_on = models.DateField(_("tested on"))
    passed = models.BooleanField(_("meets the standard"), default=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-tested_on", "-pk"]
        verbose_name = _("third-party test report")
        verbose_name_plural = _("third-party test reports")
