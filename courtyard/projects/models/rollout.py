"""The rollout programme of a subdistrict (挂图作战, PRJ-8): its courtyards in phases, milestones with
owner, deadline and assessment standard, each courtyard's progress, and extension requests that the
subdistrict's party working committee approves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import ExtensionState, MilestoneKind
from .base import VIEW


class Programme(models.Model):
    subdistrict = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("subdistrict"))
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "subdistrict__path", "unit": None}
    view_perm = VIEW

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("rollout programme")
        verbose_name_plural = _("rollout programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.subdistrict.path

    @property
    def scope_unit_id(self) -> None:
        return None

    def get_console_url(self) -> str:
        return reverse("projects:programme", args=[self.pk])


_PROGRAMME = {"path": "programme__subdistrict__path", "unit": None}


class ProgrammeUnit(ParentScoped, models.Model):
    """A courtyard (its self-governance unit) in one phase of the programme."""

    scope_parent = "programme"
    scope_lookups = _PROGRAMME
    view_perm = VIEW

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("org.SelfGovernanceUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("self-governance unit"))
    phase = models.PositiveSmallIntegerField(_("phase"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "phase", "pk"]
        verbose_name = _("courtyard in the programme")
        verbose_name_plural = _("courtyards in the programme")
        constraints = [models.UniqueConstraint(fields=["programme", "unit"], name="programme_unit_once"),
                       models.CheckConstraint(condition=models.Q(phase__gte=1), name="programme_phase")]


class Milestone(ParentScoped, models.Model):
    scope_parent = "programme"
    scope_lookups = _PROGRAMME
    view_perm = VIEW

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    phase = models.PositiveSmallIntegerField(_("phase"))
    kind = models.CharField(_("milestone"), max_length=16, choices=MilestoneKind.choices)
    title = models.CharField(_("title"), max_length=120)
    owner = models.CharField(_("responsible"), max_length=100)
    due_on = models.DateField(_("deadline"))
    standard = models.CharField(_("assessment standard"), max_length=300)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "phase", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class MilestoneProgress(ParentScoped, models.Model):
    """Where one courtyard stands on one milestone: done (with the evidence), or extended to a later date."""

    scope_parent = "milestone"
    scope_lookups = {"path": "milestone__programme__subdistrict__path", "unit": None}
    view_perm = VIEW

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey("org.SelfGovernanceUnit", on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    extended_to = models.DateField(_("extended to"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["milestone", "unit"]
        verbose_name = _("milestone progress")
        verbose_name_plural = _("milestone progress")
        constraints = [models.UniqueConstraint(fields=["milestone", "unit"], name="milestone_progress_once")]


class ExtensionRequest(ParentScoped, models.Model):
    scope_parent = "milestone"
    scope_lookups = {"path": "milestone__programme__subdistrict__path", "unit": None}
    view_perm = VIEW

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("org.SelfGovernanceUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("self-governance unit"))
    new_due = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
