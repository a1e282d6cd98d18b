"""The courtyard's memory (PTC-6): stories, oral histories, old photos and objects, family mottos and the
courtyard's essay (学道苑赋), collected with the contributor's consent, curated, shown on the unit's public
page. The contributor's name is shown only if they agreed to be named."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ScopedQuerySet

from ..choices import MemoryKind
from .base import UnitRow


class MemoryItem(UnitRow):
    kind = models.CharField(_("kind"), max_length=16, choices=MemoryKind.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    contributor = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("contributor"))
    credit = models.CharField(_("shown as"), max_length=60, blank=True,
                              help_text=_("Leave empty to show no name"))
    consent = models.BooleanField(_("the contributor agreed to publication"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "kind", "-created_at"]
        verbose_name = _("memory item")
        verbose_name_plural = _("courtyard memory")
        constraints = [models.CheckConstraint(condition=Q(consent=True), name="participation_memory_consent")]

    def __str__(self) -> str:
        return self.title
