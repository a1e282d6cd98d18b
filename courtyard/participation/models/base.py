"""What every participation row shares: it belongs to a self-governance unit (and its community)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW = "participation.view"


class UnitRow(models.Model):
    """A row of one self-governance unit; `community` is copied from the unit for scoped queries."""

    unit = models.ForeignKey("org.SelfGovernanceUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("self-governance unit"))
    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", editable=False,
                                  verbose_name=_("community"))

    scope_lookups = {"path": "community__path", "unit": "unit"}
    view_perm = VIEW

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.unit_id and not self.community_id:
            self.community_id = self.unit.community_id
        super().save(*args, **kwargs)

    @property
    def scope_path(self) -> str:
        return self.community.path

    @property
    def scope_unit_id(self) -> int | None:
        return self.unit_id
