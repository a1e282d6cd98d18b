"""Staged roster imports (ORG-7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from .places import Place


class RosterImport(ParentScoped, models.Model):
    """One spreadsheet roster upload (ORG-7): checked and staged first, written only on commit."""
    scope_lookups = {"path": "community__path", "unit": None}
    scope_parent = "community"
    view_perm = "org.import_roster"

    class Status(models.TextChoices):
        STAGED = "staged", _("Checked, waiting for confirmation")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    attachment = models.ForeignKey(
        "core.Attachment", on_delete=models.PROTECT, related_name="+", verbose_name=_("spreadsheet")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.STAGED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.attachment.original_name} ({self.get_status_display()})"
