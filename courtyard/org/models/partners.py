"""Partner units and co-building items."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet
from courtyard.core.fields import EncryptedTextField

from ..choices import CoBuildingStatus, PartnerKind
from .places import Place


class PartnerUnit(models.Model):
    """党建联盟 member: resident unit, merchant, social organisation or department (ORG-5)."""

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="partners", verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=120)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    alliance_member = models.BooleanField(_("party-building alliance member"), default=False)
    joined = models.DateField(_("joined"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": None}
    view_perm = "org.view_orgs"

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.community.path

    scope_unit_id = None


class CoBuildingItem(ParentScoped, models.Model):
    """One line of a partner's co-building responsibility list (共建责任清单)."""
    scope_lookups = {"path": "partner__community__path", "unit": None}
    scope_parent = "partner"
    view_perm = "org.view_orgs"

    partner = models.ForeignKey(PartnerUnit, on_delete=models.CASCADE, related_name="responsibilities")
    title = models.CharField(_("commitment"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CoBuildingStatus.choices, default=CoBuildingStatus.ACTIVE)
    due = models.DateField(_("due"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "title"]

    def __str__(self) -> str:
        return self.title
