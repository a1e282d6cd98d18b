"""The one abstract base for rows that belong to a self-governance unit (topics, projects, teams…).

`community` is copied from the unit on save, so scoped queries filter on the community's path
without a join through the unit. Apps subclass it (abstract) to name their view permission and,
where a grid worker's place grant should reach the unit's rows, set `scope_reach_units = True`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ScopedQuerySet


class UnitRow(models.Model):
    unit = models.ForeignKey("org.SelfGovernanceUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("self-governance unit"))
    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", editable=False,
                                  verbose_name=_("community"))

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": "unit"}

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
