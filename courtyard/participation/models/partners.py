"""Partner resources (PTC-5): what partner units give, valued in yuan by a stated method (quantity ×
unit price, integer fen), reported per partner and per year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ScopedQuerySet

from ..choices import ValueMethod
from .base import VIEW


class PartnerContribution(models.Model):
    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", editable=False,
                                  verbose_name=_("community"))
    partner = models.ForeignKey("org.PartnerUnit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("partner unit"))
    day = models.DateField(_("day"))
    title = models.CharField(_("what was given"), max_length=120)
    method = models.CharField(_("valued as"), max_length=16, choices=ValueMethod.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_fen = models.PositiveBigIntegerField(_("unit price (fen)"))
    value_fen = models.PositiveBigIntegerField(_("value (fen)"), editable=False)
    note = models.CharField(_("basis of the price"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": None}
    view_perm = VIEW

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("partner contribution")
        verbose_name_plural = _("partner contributions")
        constraints = [models.CheckConstraint(condition=Q(value_fen=F("quantity") * F("unit_price_fen")),
                                              name="participation_value_is_quantity_times_price"),
                       models.CheckConstraint(condition=Q(quantity__gte=1), name="participation_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.title}"

    @property
    def scope_path(self) -> str:
        return self.community.path

    scope_unit_id = None
