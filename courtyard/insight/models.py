"""Insight's rows: indicator snapshots per node of the place tree and period (INS-2), warning cases
with their actions (INS-3, INS-7) and generated reports (INS-5). Every row carries the path of the
place it measures (a unit's rows: its community's path and the unit), so `visible_to` scopes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.access import ParentScoped, PathScoped, ScopedQuerySet

from . import permissions as P


class ScopeKind(models.TextChoices):
    UNIT = "unit", _("Self-governance unit")
    COMMUNITY = "community", _("Community")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    DISTRICT = "district", _("District")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Colour(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    GREY = "grey", _("No data")


class ScopedRow(PathScoped, models.Model):
    """The node a row measures: `scope_key` is "<kind>:<id>" (a unit or a place)."""

    scope_kind = models.CharField(_("level"), max_length=16, choices=ScopeKind.choices)
    scope_key = models.CharField(max_length=40, db_index=True)
    scope_name = models.CharField(_("where"), max_length=100)
    place = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+",
                              help_text="the place measured; for a unit, its community")
    unit = models.ForeignKey("org.SelfGovernanceUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    path = models.CharField(max_length=255, db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "unit"}
    view_perm = P.VIEW

    class Meta:
        abstract = True


class Snapshot(ScopedRow):
    """One indicator at one node for one period. Recomputing replaces the row (idempotent)."""

    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_key = models.CharField(max_length=8)
    code = models.CharField(max_length=40)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField()
    stage = models.CharField(max_length=10)
    colour = models.CharField(max_length=8, choices=Colour.choices)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["scope_key", "period_start", "code"]
        constraints = [models.UniqueConstraint(fields=["scope_key", "period_kind", "period_start", "code"],
                                               name="insight_snapshot_once")]
        indexes = [models.Index(fields=["scope_key", "period_kind", "code", "period_start"],
                                name="insight_snap_series")]


class Level(models.TextChoices):
    YELLOW = "yellow", _("Yellow: the community residents' committee leads a rectification")
    RED = "red", _("Red: supervised by the subdistrict party committee as a listed case")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("warning case", "Open")
    CLOSED = "closed", pgettext_lazy("warning case", "Closed")


class WarningCase(ScopedRow):
    """A warning that became a case (INS-7): opened when an indicator crossed its threshold."""

    code = models.CharField(_("indicator"), max_length=40)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_key = models.CharField(_("period"), max_length=8)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    status = models.CharField(_("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField()
    lead_place = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("led by"), help_text="the community (yellow) or subdistrict (red)")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=pgettext_lazy("warning case", "owner"))
    deadline = models.DateField(_("deadline"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closure = models.TextField(_("closure"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("warning case")
        verbose_name_plural = _("warning cases")
        constraints = [models.UniqueConstraint(fields=["scope_key", "code"], condition=Q(status="open"),
                                               name="insight_one_open_case")]

    def __str__(self) -> str:
        return f"{self.scope_name} {self.code} {self.period_key}"

    def get_console_url(self) -> str:
        return reverse("insight:case", args=[self.pk])

    @property
    def community_id(self) -> int | None:
        """The community the case belongs to (audit trail filing)."""
        return self.place_id if self.scope_kind in (ScopeKind.UNIT, ScopeKind.COMMUNITY) else None

    @property
    def value_shown(self) -> str:
        """"1/4" or, for money, "¥10.00 / ¥40.00": the reading the case was opened on."""
        from courtyard.core.indicators import Reading, catalogue

        ind = catalogue().get(self.code)
        if ind is None:
            return f"{self.numerator}/{self.denominator}"
        r = Reading(ind, self.numerator, self.denominator)
        return f"{r.numerator_shown} / {r.denominator_shown} ({r.shown})"

    @property
    def overdue(self) -> bool:
        return self.status == CaseStatus.OPEN and self.deadline < timezone.localdate()


class ActionKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    ASSIGNED = "assigned", _("Owner set")
    ACTION = "action", _("Action taken")
    EVIDENCE = "evidence", _("Evidence added")
    ESCALATED = "escalated", _("Raised to red")
    CLOSED = "closed", _("Closed")


class CaseAction(ParentScoped, models.Model):
    """One step of a case: an action, evidence (a file through core.files), a change of owner, closure."""

    scope_lookups = {"path": "case__path", "unit": "case__unit"}
    scope_parent = "case"
    view_perm = P.VIEW

    case = models.ForeignKey(WarningCase, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=12, choices=ActionKind.choices)
    note = models.TextField(_("what was done"), blank=True)
    attachment = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", pgettext_lazy("report", "Failed")


class Report(ScopedRow):
    """A quarterly or yearly report for the third-party evaluator (INS-5), generated in the background."""

    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_key = models.CharField(_("period"), max_length=8)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    pdf = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    xlsx = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    view_perm = P.REPORTS

    class Meta:
        ordering = ["-requested_at", "-id"]

    @property
    def community_id(self) -> int | None:
        return self.place_id if self.scope_kind in (ScopeKind.UNIT, ScopeKind.COMMUNITY) else None
