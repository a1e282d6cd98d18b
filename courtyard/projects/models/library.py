"""The project library and its funnel: suggestions → consensus items → key projects (PRJ-2, DLB-10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import Category, ProjectStatus, Source
from .base import VIEW, UnitRow


class Project(UnitRow):
    """重点项目: one renovation project of the unit's project library."""

    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices,
                              default=ProjectStatus.LIBRARY)
    owner = models.CharField(_("responsible party"), max_length=100,
                             help_text=_("Who carries the project out, e.g. the subdistrict office or the committee."))
    place = models.ForeignKey("org.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place"))
    budget_fen = models.BigIntegerField(_("budget (fen)"), default=0)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit", "category", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [models.CheckConstraint(condition=models.Q(budget_fen__gte=0), name="project_budget_nonneg")]

    def __str__(self) -> str:
        return self.title

    def get_console_url(self) -> str:
        return reverse("projects:project", args=[self.pk])


class ConsensusItem(UnitRow):
    """改造共识: one point residents agreed on after discussing suggestions."""

    title = models.CharField(_("title"), max_length=200)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="consensus_items", verbose_name=_("project"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit", "pk"]
        verbose_name = _("consensus item")
        verbose_name_plural = _("consensus items")

    def __str__(self) -> str:
        return self.title


class Suggestion(UnitRow):
    """意见建议: one suggestion, with where it came from."""

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("The topic, survey, patrol or request it came from (number or title)."))
    text = models.CharField(_("suggestion"), max_length=500)
    consensus = models.ForeignKey(ConsensusItem, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="suggestions", verbose_name=_("consensus item"))
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["unit", "-received_on", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return self.text[:60]


class RectificationItem(ParentScoped, models.Model):
    """整治清单: one thing to fix under a project, ticked off when done."""

    scope_parent = "project"
    scope_lookups = {"path": "project__community__path", "unit": "project__unit"}
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rectifications",
                                verbose_name=_("project"))
    text = models.CharField(_("item"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification list")

    def __str__(self) -> str:
        return self.text[:60]
