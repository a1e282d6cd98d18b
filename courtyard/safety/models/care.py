"""Special-group care (五色管理, SVC-10). Sensitive personal data: each record names its legal basis
(or the consent document), is visible only under `safety.view_care`, and every read is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, PathScoped, ScopedQuerySet
from courtyard.org.choices import CareLevel, LegalBasis

from ..choices import CareGroup, WarningReason, Wellbeing

CARE = "safety.view_care"


class CareRecord(PathScoped, models.Model):
    """A person in care: their group, care colour, legal basis, visiting worker and 包联 claim."""
    scope_lookups = {"path": "path", "unit": "unit"}
    view_perm = CARE

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    grid = models.ForeignKey("org.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("grid"))
    path = models.CharField(max_length=255, db_index=True, editable=False)
    unit = models.ForeignKey("org.SelfGovernanceUnit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", editable=False)
    group = models.CharField(_("group"), max_length=16, choices=CareGroup.choices)
    colour = models.CharField(_("care colour"), max_length=8, choices=CareLevel.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    basis_note = models.CharField(_("basis details"), max_length=200)
    consent_document = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("consent document"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("visiting worker"))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("care assignment (包联)"))
    family = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                    verbose_name=_("family members who may see the visits"))
    needs = models.TextField(_("needs"), blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"))
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["path", "pk"]
        verbose_name = _("person in care")
        verbose_name_plural = _("people in care")
        constraints = [
            models.CheckConstraint(condition=~Q(basis_note=""), name="safety_care_basis_required"),
            models.UniqueConstraint(fields=["person"], condition=Q(active=True), name="safety_care_once"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class CareVisit(ParentScoped, models.Model):
    """走访: one visit, logged on the phone."""
    scope_lookups = {"path": "record__path", "unit": "record__unit"}
    scope_parent = "record"
    view_perm = CARE

    record = models.ForeignKey(CareRecord, on_delete=models.CASCADE, related_name="visits")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("visited by"))
    at = models.DateTimeField(_("visited"))
    wellbeing = models.CharField(_("how they are"), max_length=12, choices=Wellbeing.choices)
    note = models.TextField(_("what was seen"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("care visit")

    def __str__(self) -> str:
        return f"{self.record} {self.at:%Y-%m-%d}"


class CareWarning(ParentScoped, models.Model):
    """分级预警: a lapsed visit or a visit reporting trouble, graded 1 (worker) … 3 (community)."""
    scope_lookups = {"path": "record__path", "unit": "record__unit"}
    scope_parent = "record"
    view_perm = CARE

    record = models.ForeignKey(CareRecord, on_delete=models.CASCADE, related_name="warnings")
    reason = models.CharField(_("reason"), max_length=8, choices=WarningReason.choices)
    grade = models.PositiveSmallIntegerField(_("grade"))
    raised_at = models.DateTimeField(_("raised"))
    visit = models.ForeignKey(CareVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-grade", "-raised_at", "pk"]
        verbose_name = _("care warning")
        constraints = [
            models.UniqueConstraint(fields=["record", "reason"], condition=Q(resolved_at__isnull=True),
                                    name="safety_one_open_warning"),
        ]

    def __str__(self) -> str:
        return f"{self.record} · {self.get_reason_display()}"
