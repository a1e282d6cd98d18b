"""Scoped role grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import GrantQuerySet, PathScoped

from .partners import PartnerUnit
from .places import Place, SelfGovernanceUnit


class RoleGrant(PathScoped, models.Model):
    """A role held by a user on one scope: a place-tree node or a self-governance unit (ORG-6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=32)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
                              verbose_name=_("place"))
    unit = models.ForeignKey(SelfGovernanceUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
                             verbose_name=_("unit"))
    partner = models.ForeignKey(PartnerUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
                                verbose_name=_("partner unit"))
    title = models.CharField(_("title"), max_length=50, blank=True)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The community the scope lies in, for scoped lists of grants.
    community = models.ForeignKey(Place, null=True, on_delete=models.PROTECT, related_name="+", editable=False)
    path = models.CharField(max_length=255, db_index=True, editable=False)

    objects = GrantQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "unit"}
    scope_kind_lookup = "place__kind"  # read by the access kernel (courtyard.core.access.grants)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(place__isnull=False) & Q(unit__isnull=True)) | (Q(place__isnull=True) & Q(unit__isnull=False)),
                name="grant_one_scope",
            )
        ]

    def __str__(self) -> str:
        from courtyard.core.access import ROLES

        role = ROLES.get(self.role)
        return f"{role.label if role else self.role} @ {self.scope}"

    @property
    def scope(self):
        return self.place if self.place_id else self.unit

    # For object-level checks (scopes.in_scope): a grant lies where its scope lies.
    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)
