"""Construction supervision (PRJ-4), staged acceptance and handover (PRJ-5), and the facility register
that keeps the courtyard maintained afterwards (PRJ-6)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import AcceptanceStage, AwardMethod, ContractRole, FacilityKind, InspectionKind, StructureStatus
from .base import VIEW, UnitRow

_PROJECT = {"path": "project__community__path", "unit": "project__unit"}


class Inspection(ParentScoped, models.Model):
    """One entry of the inspection ledger, with photos (attachments) and a resident representative's
    sign-off."""

    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("inspected on"), default=timezone.localdate)
    findings = models.TextField(_("findings"))
    satisfactory = models.BooleanField(_("satisfactory"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspection ledger")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inspected_on}"


class Acceptance(ParentScoped, models.Model):
    """One acceptance stage. The joint final one lists the parties present and the four judgements."""

    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="acceptances")
    stage = models.CharField(_("stage"), max_length=16, choices=AcceptanceStage.choices)
    held_on = models.DateField(pgettext_lazy("acceptance", "held on"), default=timezone.localdate)
    parties = models.JSONField(_("parties present"), default=list, blank=True)
    criteria = models.JSONField(_("judgements"), default=dict, blank=True)  # criterion → true/false
    passed = models.BooleanField(_("passed"), default=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("acceptance stage")
        verbose_name_plural = _("acceptance stages")

    def __str__(self) -> str:
        return self.get_stage_display()


class Snag(ParentScoped, models.Model):
    """整改事项 found at acceptance, closed item by item."""

    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="snags")
    acceptance = models.ForeignKey(Acceptance, null=True, blank=True, on_delete=models.SET_NULL, related_name="snags")
    text = models.CharField(_("snag"), max_length=300)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("snag")
        verbose_name_plural = _("snag list")

    def __str__(self) -> str:
        return self.text[:60]


class Handover(ParentScoped, models.Model):
    """The archive handed to the committee, with the signed receipt (an attachment)."""

    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="handover")
    items = models.JSONField(_("archive contents"), default=list)
    received_by = models.CharField(_("received by"), max_length=60)
    handed_over_on = models.DateField(_("handed over on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive handover")
        verbose_name_plural = _("archive handovers")

    def __str__(self) -> str:
        return str(self.project)


class Facility(UnitRow):
    """One facility of the courtyard, kept maintained on a schedule (PRJ-6)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=FacilityKind.choices)
    place = models.ForeignKey("org.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("building or entrance"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    owner = models.CharField(_("owner"), max_length=100)
    owner_partner = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("owner (partner unit)"),
                                      help_text=_("The service desk sends this facility's repairs to it first."))
    maintenance_standard = models.CharField(_("maintenance standard"), max_length=300, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    maintenance_every_days = models.PositiveSmallIntegerField(_("maintenance every (days)"), default=90)
    last_maintained_on = models.DateField(_("last maintained on"), null=True, blank=True)
    warranty_ends = models.DateField(_("warranty ends"), null=True, blank=True)
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="facilities", verbose_name=_("project"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit", "kind", "name", "pk"]
        verbose_name = _("facility")
        verbose_name_plural = _("facility register")
        constraints = [models.CheckConstraint(condition=models.Q(maintenance_every_days__gte=1),
                                              name="facility_maintenance_interval")]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        """The facility's code on its sticker and in a request's facility text ("路灯〔F-12〕")."""
        return f"F-{self.pk}"

    @property
    def marker(self) -> str:
        return f"〔{self.code}〕"

    @property
    def request_text(self) -> str:
        """What the request form's facility field is pre-filled with: name, location and the code."""
        where = f" {self.location}" if self.location else ""
        return f"{self.name[:60]}{where[:30]}{self.marker}"

    @property
    def next_due(self) -> dt.date | None:
        base = self.last_maintained_on or (timezone.localtime(self.created_at).date() if self.created_at else None)
        return base + dt.timedelta(days=self.maintenance_every_days) if base else None


class IllegalStructure(UnitRow):
    """违建: one illegal structure, its demolition plan and whether its owner removed it themselves."""

    description = models.CharField(_("description"), max_length=200)
    place = models.ForeignKey("org.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("building or entrance"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    demolition_plan = models.TextField(_("demolition plan"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=StructureStatus.choices,
                              default=StructureStatus.REGISTERED)
    self_removed = models.BooleanField(_("removed by its owner"), default=False)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit", "pk"]
        verbose_name = _("illegal structure")
        verbose_name_plural = _("illegal structures")
        constraints = [models.CheckConstraint(
            condition=models.Q(status="removed", removed_on__isnull=False) | ~models.Q(status="removed"),
            name="structure_removed_has_date")]

    def __str__(self) -> str:
        return self.description


class Contract(ParentScoped, models.Model):
    """The contract with the contractor or the supervisor: how they were chosen, amount (fen), schedule
    and retention. Payments go through funds' three-party sign-off, citing this contract by number."""

    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="contracts")
    role = models.CharField(_("role"), max_length=16, choices=ContractRole.choices)
    method = models.CharField(_("award method"), max_length=16, choices=AwardMethod.choices)
    reason = models.TextField(_("reason for the choice"), blank=True)
    quotes = models.JSONField(_("quotations"), default=list, blank=True)  # [{"party": …, "amount_fen": …}]
    party = models.CharField(_("contracting party"), max_length=120)
    number = models.CharField(_("contract number"), max_length=60)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    retention_percent = models.PositiveSmallIntegerField(_("retention (%)"), default=3)
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=24,
                                                       help_text=_("The retention is released this long after the "
                                                                   "joint final acceptance."))
    partner = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("partner unit"),
                                help_text=_("The contractor as a partner unit: residents' concerns reach it."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_dates"),
            models.CheckConstraint(condition=models.Q(retention_percent__lte=10), name="contract_retention"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party}"

    @property
    def retention_fen(self) -> int:
        return self.amount_fen * self.retention_percent // 100
