"""Emergencies (SVC-11): plans per unit with contacts and material reserves checked on schedule,
incident reports with a response log and an after-action review, drills; and escalations to
departments (吹哨, SVC-14) with their response times."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import EmergencyKind
from ._base import Placed

VIEW = "safety.view_safety"


class EmergencyPlan(Placed):
    view_perm = VIEW

    kind = models.CharField(_("kind"), max_length=8, choices=EmergencyKind.choices)
    title = models.CharField(_("plan"), max_length=120)
    contacts = models.TextField(_("contacts"), help_text="one per line: role, name, phone")
    steps = models.TextField(_("what to do"))

    class Meta:
        ordering = ["path", "kind", "pk"]
        verbose_name = _("emergency plan")

    def __str__(self) -> str:
        return self.title


class Reserve(ParentScoped, models.Model):
    """物资储备: what is kept, where, how often it is checked."""
    scope_lookups = {"path": "plan__path", "unit": "plan__unit"}
    scope_parent = "plan"
    view_perm = VIEW

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="reserves")
    name = models.CharField(_("material"), max_length=80)
    quantity = models.PositiveIntegerField(_("quantity"))
    location = models.CharField(_("kept at"), max_length=80)
    check_every_days = models.PositiveSmallIntegerField(_("check every (days)"), default=30)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "name", "pk"]
        verbose_name = _("material reserve")


class Drill(ParentScoped, models.Model):
    scope_lookups = {"path": "plan__path", "unit": "plan__unit"}
    scope_parent = "plan"
    view_perm = VIEW

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="drills")
    held_on = models.DateField(_("held on"))
    participants = models.PositiveIntegerField(_("participants"))
    findings = models.TextField(_("findings"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("drill")


class Incident(Placed):
    view_perm = VIEW

    kind = models.CharField(_("kind"), max_length=8, choices=EmergencyKind.choices)
    title = models.CharField(_("incident"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    review = models.TextField(_("after-action review"), blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("incident")

    def __str__(self) -> str:
        return self.title


class IncidentLog(ParentScoped, models.Model):
    scope_lookups = {"path": "incident__path", "unit": "incident__unit"}
    scope_parent = "incident"
    view_perm = VIEW

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("response"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("response log entry")


class Whistle(Placed):
    """吹哨: a hazard, an incident or a service request (by number) escalated to a department, which
    must respond (报到) by `due_at`. Not answering, or answering late, is listed per department."""
    view_perm = VIEW

    department = models.ForeignKey("org.PartnerUnit", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    subject = models.CharField(_("matter"), max_length=160)
    hazard = models.ForeignKey("safety.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    request_id = models.PositiveIntegerField(_("service request number"), null=True, blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("called by"))  # none: the automatic sweep
    called_at = models.DateTimeField(_("called"))
    due_at = models.DateTimeField(_("respond by"))
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("responded by"))
    response = models.TextField(_("response"), blank=True)
    automatic = models.BooleanField(_("escalated automatically"), default=False)

    class Meta:
        ordering = ["-called_at", "-pk"]
        verbose_name = _("escalation to a department")
        constraints = [
            # an overdue red hazard is escalated automatically once, whatever runs the sweep
            models.UniqueConstraint(fields=["hazard"], condition=models.Q(automatic=True),
                                    name="safety_whistle_automatic_once"),
        ]

    def __str__(self) -> str:
        return self.subject
