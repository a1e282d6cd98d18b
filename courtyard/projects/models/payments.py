"""Works payments (PRJ-5, issue 10 item 5): a payment request citing the contract and the inspection or
acceptance stage it pays for. The money moves only through funds' three-party sign-off; this row keeps
the citation and the funds request's number."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import PaysFor
from .base import VIEW


class WorksPayment(ParentScoped, models.Model):
    scope_parent = "contract"
    scope_lookups = {"path": "contract__project__community__path", "unit": "contract__project__unit"}
    view_perm = VIEW
    scope_reach_units = True

    contract = models.ForeignKey("projects.Contract", on_delete=models.PROTECT, related_name="payments")
    pays_for = models.CharField(_("pays for"), max_length=16, choices=PaysFor.choices)
    inspection = models.ForeignKey("projects.Inspection", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="payments", verbose_name=_("inspection"))
    acceptance = models.ForeignKey("projects.Acceptance", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="payments", verbose_name=_("acceptance stage"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    account_id = models.PositiveBigIntegerField(_("funds account"))
    funds_request_id = models.PositiveBigIntegerField(_("payment request"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "pk"]
        verbose_name = _("works payment")
        verbose_name_plural = _("works payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="works_payment_positive"),
            models.CheckConstraint(
                condition=(models.Q(pays_for="inspection", inspection__isnull=False, acceptance__isnull=True)
                           | models.Q(pays_for="acceptance", acceptance__isnull=False, inspection__isnull=True)),
                name="works_payment_cites_one"),
        ]
