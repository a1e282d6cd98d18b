from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import PathScoped, ScopedQuerySet


class Placed(PathScoped, models.Model):
    """A row at a place of the tree: carries copies of the place's path and unit for scoped queries."""
    scope_lookups = {"path": "path", "unit": "unit"}

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    place = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("location"))
    path = models.CharField(max_length=255, db_index=True, editable=False)
    unit = models.ForeignKey("org.SelfGovernanceUnit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def locate(self, place) -> None:
        """Copies the place's community, path and unit (a building's courtyard's unit)."""
        self.place = place
        self.community_id = place.community_id if place.community_id else place.pk
        self.path = place.path
        courtyard = getattr(place, "courtyard", None)
        if courtyard is None and place.parent_id is not None:
            courtyard = getattr(place.parent, "courtyard", None)
        self.unit_id = courtyard.unit_id if courtyard is not None else None
