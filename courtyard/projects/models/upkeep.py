"""Keeping facilities up after handover (PRJ-6): preventive work orders filed in the service desk on
schedule, and the revenue share partners pay for the facilities they run, posted to the funds ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from .base import VIEW

_FACILITY = {"path": "facility__community__path", "unit": "facility__unit"}


class PreventiveOrder(ParentScoped, models.Model):
    """One preventive work order, filed in the service desk for one facility and one due date; the pair
    is unique, so the scheduler may run any number of times."""

    scope_parent = "facility"
    scope_lookups = _FACILITY
    view_perm = VIEW
    scope_reach_units = True

    facility = models.ForeignKey("projects.Facility", on_delete=models.CASCADE, related_name="preventive_orders")
    due_on = models.DateField(_("maintenance due"))
    request_id = models.PositiveBigIntegerField(_("service-desk request"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["facility", "-due_on"]
        verbose_name = _("preventive work order")
        verbose_name_plural = _("preventive work orders")
        constraints = [models.UniqueConstraint(fields=["facility", "due_on"], name="preventive_one_per_due_date")]


class RevenueAgreement(ParentScoped, models.Model):
    """A partner runs a revenue facility (chargers, lockers, advertising) and pays the courtyard a share."""

    scope_parent = "facility"
    scope_lookups = _FACILITY
    view_perm = VIEW
    scope_reach_units = True

    facility = models.ForeignKey("projects.Facility", on_delete=models.CASCADE, related_name="revenue_agreements")
    partner = models.ForeignKey("org.PartnerUnit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("operating partner"))
    share_percent = models.DecimalField(_("courtyard's share (%)"), max_digits=5, decimal_places=2)
    account_id = models.PositiveBigIntegerField(_("funds account"))
    account_name = models.CharField(_("funds account"), max_length=120)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reference = models.CharField(_("agreement number"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["facility", "-starts_on", "pk"]
        verbose_name = _("revenue-share agreement")
        verbose_name_plural = _("revenue-share agreements")
        constraints = [models.CheckConstraint(condition=models.Q(share_percent__gt=0, share_percent__lte=100),
                                              name="revenue_share_percent")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.share_percent} %"


class RevenuePosting(ParentScoped, models.Model):
    """One month's revenue of a facility and the courtyard's share, posted once to the ledger."""

    scope_parent = "agreement"
    scope_lookups = {"path": "agreement__facility__community__path", "unit": "agreement__facility__unit"}
    view_perm = VIEW
    scope_reach_units = True

    agreement = models.ForeignKey(RevenueAgreement, on_delete=models.PROTECT, related_name="postings")
    period = models.DateField(_("month"))  # the first day of the month
    gross_fen = models.BigIntegerField(_("revenue (fen)"))
    share_fen = models.BigIntegerField(_("courtyard's share (fen)"))
    entry_id = models.PositiveBigIntegerField(_("ledger entry"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-period"]
        verbose_name = _("revenue-share posting")
        verbose_name_plural = _("revenue-share postings")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period"], name="revenue_one_posting_per_month"),
            models.CheckConstraint(condition=models.Q(gross_fen__gt=0, share_fen__gte=0), name="revenue_amounts"),
        ]
