"""Household fees (SVC-13): fee plans with published rates and uses, bills per dwelling and period,
payments with receipts. Income is booked on the plan's ledger account through `append_entry`; the bill
and the payment point at the ledger entry (the chain itself is unchanged)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from .choices import FeeBasis, FeeKind, FeePeriod, PaymentMethod
from .models import VIEW, Account, LedgerEntry, _UnitScoped


class HouseholdFeePlan(_UnitScoped):
    """A fee the unit's households pay: what for, how much (per household or per m²), how often, what
    the money is used for, and the ledger account it is paid into. Public once published."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="household_fee_plans",
                                verbose_name=_("paid into account"))
    kind = models.CharField(_("fee"), max_length=16, choices=FeeKind.choices)
    name = models.CharField(_("name"), max_length=120)
    basis = models.CharField(_("charged"), max_length=10, choices=FeeBasis.choices)
    # Per household: whole fen per period. Per m²: fen per m² per period, two decimals (exact Decimal).
    rate_fen = models.DecimalField(_("rate (fen)"), max_digits=12, decimal_places=2)
    period = models.CharField(_("billed"), max_length=8, choices=FeePeriod.choices, default=FeePeriod.MONTHLY)
    uses = models.TextField(_("what the money is used for"))
    resolution_ref = models.CharField(_("decided by (resolution or vote)"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    active = models.BooleanField(_("in force"), default=True)
    # Points offsetting part of a bill (积分抵扣, ADR 0028): published with the rate; 0 means not allowed.
    points_per_yuan = models.PositiveIntegerField(_("points per yuan of offset"), default=0)
    offset_share = models.PositiveSmallIntegerField(_("points may pay at most this share of a bill (%)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["account__unit", "kind", "name"]
        verbose_name = _("household fee")
        verbose_name_plural = _("household fees")
        constraints = [models.CheckConstraint(condition=Q(rate_fen__gt=0), name="funds_fee_rate_positive"),
                       models.CheckConstraint(condition=Q(offset_share__lte=100), name="funds_fee_offset_share_pct")]

    def __str__(self) -> str:
        return self.name

    @property
    def allows_offset(self) -> bool:
        return self.points_per_yuan > 0 and self.offset_share > 0


class FeeBill(ParentScoped, models.Model):
    """One dwelling's bill for one period of a plan; the amount is fixed when the bill is issued."""
    scope_lookups = {"path": "plan__account__community__path", "unit": "plan__account__unit"}
    scope_parent = "plan"
    view_perm = VIEW

    plan = models.ForeignKey(HouseholdFeePlan, on_delete=models.PROTECT, related_name="bills")
    dwelling = models.ForeignKey("org.Dwelling", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    due_on = models.DateField(_("due by"))
    area_m2 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_fen = models.BigIntegerField(_("amount"))
    paid_fen = models.BigIntegerField(default=0, editable=False)
    offset_fen = models.BigIntegerField(default=0, editable=False)  # points offset (hook, see docs/fees.md)
    issued_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "building", "dwelling"]
        verbose_name = _("fee bill")
        verbose_name_plural = _("fee bills")
        constraints = [
            models.UniqueConstraint(fields=["plan", "dwelling", "period_start"], name="funds_fee_bill_once"),
            models.CheckConstraint(condition=Q(paid_fen__gte=0) & Q(offset_fen__gte=0)
                                   & Q(amount_fen__gte=models.F("paid_fen") + models.F("offset_fen")),
                                   name="funds_fee_bill_not_overpaid"),
        ]
        indexes = [models.Index(fields=["plan", "building"])]

    @property
    def owed_fen(self) -> int:
        return self.amount_fen - self.paid_fen - self.offset_fen

    @property
    def is_paid(self) -> bool:
        return self.owed_fen <= 0


class FeePayment(ParentScoped, models.Model):
    """A payment of a bill, with its receipt; `entry` is the income entry on the plan's account."""
    scope_lookups = {"path": "bill__plan__account__community__path", "unit": "bill__plan__account__unit"}
    scope_parent = "bill"
    view_perm = VIEW

    bill = models.ForeignKey(FeeBill, on_delete=models.PROTECT, related_name="payments")
    amount_fen = models.BigIntegerField()
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    adapter_ref = models.CharField(max_length=80, blank=True)  # the payment provider's transaction id
    receipt_no = models.CharField(_("receipt number"), max_length=40, unique=True)
    payer_name = models.CharField(max_length=50, blank=True)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="fee_payment")
    paid_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = _("fee payment")
        verbose_name_plural = _("fee payments")
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="funds_fee_payment_positive")]
