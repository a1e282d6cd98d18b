"""Roster workbooks are not kept: deleted once imported or refused; staged imports expire within 24 hours.
A workbook with a DTD is refused (defusedxml)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from courtyard.core.models import AuditEvent
from courtyard.org import roster_retention
from courtyard.org.models import RosterImport

from . import test_roster as base
from .test_roster import GOOD_ROWS, commit, counts, import_file, xlsx

# The roster tests' fixtures (their own small tree, a staff client, English messages).
tree, staff_client, english = base.tree, base.staff_client, base.english

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_workbook_is_deleted_once_imported(staff_client, media_root, django_capture_on_commit_callbacks):
    response = import_file(staff_client, xlsx(GOOD_ROWS))
    staged = RosterImport.objects.get()
    assert len(stored(media_root)) == 1  # kept while it waits for confirmation
    assert staff_client.get(staged.attachment.url).status_code == 200  # the uploader may download it meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        staged = commit(staff_client, response)
    assert staged.status == RosterImport.Status.COMMITTED
    assert stored(media_root) == []
    staged.attachment.refresh_from_db()
    assert not staged.attachment.file and len(staged.attachment.sha256) == 64  # the record of what was imported
    assert AuditEvent.objects.filter(action="core.attachment.discard", note="imported").count() == 1
    assert staff_client.get(staged.attachment.url).status_code == 404


def test_refused_commit_deletes_the_workbook(staff_client, tree, media_root, django_capture_on_commit_callbacks):
    import_file(staff_client, xlsx(GOOD_ROWS))
    staged = RosterImport.objects.get()
    from courtyard.org.models import Place

    Place.objects.filter(kind="entrance").update(name="9单元")  # the tree changed after the check
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("org:roster_commit", args=[staged.pk]))
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.FAILED
    assert stored(media_root) == []


def test_staged_import_expires_after_24_hours(staff_client, media_root, django_capture_on_commit_callbacks):
    import_file(staff_client, xlsx(GOOD_ROWS))
    staged = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_retention.expire_staged(now=staged.created_at + dt.timedelta(hours=23)) == 0
    assert len(stored(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_retention.expire_staged(now=staged.created_at + dt.timedelta(hours=24, seconds=1)) == 1
    staged.refresh_from_db()
    assert staged.status == RosterImport.Status.FAILED and "24 hours" in staged.errors[0]["message"]
    assert stored(media_root) == []
    assert AuditEvent.objects.filter(action="org.roster.expire").count() == 1
    # An expired import cannot be committed any more.
    staff_client.post(reverse("org:roster_commit", args=[staged.pk]))
    assert counts() == (0, 0, 0, 0)


def test_sweep_command_and_task(staff_client, media_root, django_capture_on_commit_callbacks):
    import_file(staff_client, xlsx(GOOD_ROWS))
    RosterImport.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("roster_sweep", stdout=out)  # the test task backend runs it at once
    assert RosterImport.objects.get().status == RosterImport.Status.FAILED
    assert stored(media_root) == []


def test_import_page_sweeps_as_a_safety_net(staff_client, media_root, django_capture_on_commit_callbacks):
    import_file(staff_client, xlsx(GOOD_ROWS))
    RosterImport.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.get(reverse("org:roster_import")).status_code == 200
    assert RosterImport.objects.get().status == RosterImport.Status.FAILED


def _with_doctype(data: bytes, part: str = "xl/workbook.xml") -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                if body.startswith(b"<?xml"):
                    head, _, rest = body.partition(b"?>")
                    body = head + b"?>" + doctype + rest
                else:
                    body = doctype + body
            dst.writestr(info, body)
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"])
def test_workbook_with_a_dtd_is_refused_and_nothing_stored(staff_client, media_root, part):
    response = import_file(staff_client, _with_doctype(xlsx(GOOD_ROWS), part))
    assert response.status_code == 400
    assert "document type declaration" in response.content.decode()
    assert RosterImport.objects.count() == 0 and counts() == (0, 0, 0, 0)
    assert stored(media_root) == []
