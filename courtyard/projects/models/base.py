"""Rows that belong to one self-governance unit (and so to its community)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ScopedQuerySet

VIEW = "projects.view_project"


class UnitRow(models.Model):
    """A row of one unit: `visible_to` by the unit's grants and the community's place grants."""

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", editable=False)
    unit = models.ForeignKey("org.SelfGovernanceUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("self-governance unit"))

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": "unit"}
    view_perm = VIEW
    # A grid worker's place grant reaches the units with dwellings in the grid (see the kernel).
    scope_reach_units = True

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
    def scope_unit_id(self) -> int:
        return self.unit_id
