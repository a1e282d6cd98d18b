"""The hazard register (风险隐患清单, SVC-9)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import Grade, HazardSource, HazardState
from ._base import Placed

VIEW = "safety.view_safety"


class HazardKind(Placed):
    """隐患类别 of a community, with the department responsible for it: a red hazard of this kind still
    open `whistle_after_days` after its deadline is escalated (吹哨) to that department automatically,
    once. No department: no automatic escalation."""
    view_perm = VIEW

    name = models.CharField(_("kind of hazard"), max_length=60)
    department = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("responsible department"))
    whistle_after_days = models.PositiveSmallIntegerField(_("escalate red hazards open this many days late"),
                                                          default=2)
    respond_within_hours = models.PositiveSmallIntegerField(_("department to respond within (hours)"), default=48)

    class Meta:
        ordering = ["path", "name", "pk"]
        verbose_name = _("kind of hazard")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="safety_hazard_kind_once")]

    def __str__(self) -> str:
        return self.name


class Hazard(Placed):
    view_perm = VIEW

    title = models.CharField(_("hazard"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices)
    source = models.CharField(_("source"), max_length=12, choices=HazardSource.choices)
    kind = models.ForeignKey(HazardKind, null=True, blank=True, on_delete=models.SET_NULL, related_name="hazards",
                             verbose_name=_("kind of hazard"))
    state = models.CharField(_("state"), max_length=8, choices=HazardState.choices, default=HazardState.OPEN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("person responsible"))
    measures = models.TextField(_("measures"), blank=True)
    found_at = models.DateTimeField(_("found"))
    deadline = models.DateTimeField(_("rectify by"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("reported by"))
    resident_report = models.BooleanField(default=False, editable=False)
    request_id = models.PositiveIntegerField(_("service request number"), null=True, blank=True)
    check_in = models.ForeignKey("safety.CheckIn", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="hazards", verbose_name=_("patrol check-in"))
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("rectified by"))
    fixed_at = models.DateTimeField(_("rectified"), null=True, blank=True)
    fix_note = models.TextField(_("rectification"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("re-inspected by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reinspection_note = models.TextField(_("re-inspection"), blank=True)
    escalation = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    notice_sent_at = models.DateTimeField(_("risk notice sent"), null=True, blank=True)

    class Meta:
        ordering = ["state", "deadline", "pk"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        constraints = [
            # closed only after a re-inspection by someone other than the fixer
            models.CheckConstraint(
                condition=~Q(state="closed") | (Q(closed_by__isnull=False) & Q(fixed_by__isnull=False)
                                                & ~Q(closed_by=models.F("fixed_by"))),
                name="safety_hazard_reinspected_by_another"),
        ]

    def __str__(self) -> str:
        return self.title
