"""How long a roster workbook is kept (PIPL: no longer than the purpose needs).

A workbook holds names, ID and phone numbers of a whole courtyard in clear. It is kept only while
an import waits for the importer's confirmation: once committed or refused its bytes are deleted
(the row keeps the file name, size and SHA-256 as the record of what was imported), and a staged
import nobody confirms expires after `COURTYARD_ROSTER_STAGE_HOURS` (24 by default) — swept by
`manage.py roster_sweep` (cron, or the `sweep_roster_imports` task on the worker) and, as a
safety net, whenever the import page is opened.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import file_access
from courtyard.core.audit import Actor, record

from .models import RosterImport

DEFAULT_STAGE_HOURS = 24


def stage_hours() -> int:
    return int(getattr(settings, "COURTYARD_ROSTER_STAGE_HOURS", DEFAULT_STAGE_HOURS))


def discard_workbook(*, by: Actor, staged: RosterImport, reason: str) -> None:
    """Delete the workbook's bytes (after commit); the import row and its counts stay."""
    file_access.discard_content(by=by, attachment=staged.attachment, reason=reason)


def expire_staged(*, now: dt.datetime | None = None) -> int:
    """Staged imports older than the limit become failed and lose their workbook. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=stage_hours())
    expired = 0
    stale = RosterImport.objects.filter(status=RosterImport.Status.STAGED, created_at__lt=cutoff)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            staged = (RosterImport.objects.select_for_update().select_related("attachment")
                      .filter(pk=pk, status=RosterImport.Status.STAGED).first())
            if staged is None:
                continue
            message = _("Not confirmed within %(hours)s hours: the file was deleted. Upload it again to import.") % {
                "hours": stage_hours()}
            staged.status = RosterImport.Status.FAILED
            staged.errors = [{"row": None, "column": "", "message": message}]
            staged.save(update_fields=["status", "errors"])
            discard_workbook(by=Actor.system(), staged=staged, reason="expired")
            record(Actor.system(), "org.roster.expire", staged, community_id=staged.community_id)
            expired += 1
    return expired


def discard_finished(*, by: Actor | None = None) -> int:
    """Delete the workbooks of committed or failed imports that still have one (older data, crashes)."""
    count = 0
    for staged in (RosterImport.objects.exclude(status=RosterImport.Status.STAGED)
                   .exclude(attachment__file="").select_related("attachment")):
        discard_workbook(by=by or Actor.system(), staged=staged, reason=staged.status)
        count += 1
    return count


def sweep() -> dict:
    return {"expired": expire_staged(), "discarded": discard_finished()}
