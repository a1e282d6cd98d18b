"""The courtyard site plan (request map ground), kept out of models.py for size."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ScopedQuerySet

from .models import Courtyard


class SitePlan(models.Model):
    """A courtyard's site plan (总平面图): an uploaded, checked image that the request map draws under
    the buildings. Building positions (`Place.map_x`, `map_y`) are pixels of this image from its
    top-left corner."""

    courtyard = models.OneToOneField(Courtyard, on_delete=models.CASCADE, related_name="site_plan",
                                     verbose_name=_("courtyard"))
    image = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("plan image"))
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("plan updated"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "courtyard__community__path", "unit": "courtyard__unit"}
    view_perm = "org.view_place"

    class Meta:
        verbose_name = _("site plan")
        verbose_name_plural = _("site plans")

    def __str__(self) -> str:
        return str(self.courtyard)

    @property
    def scope_path(self) -> str:
        return self.courtyard.community.path

    @property
    def scope_unit_id(self) -> int | None:
        return self.courtyard.unit_id
