"""Ledger files: internal unless a bookkeeper published a redacted copy (named public-…, audited)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courtyard.core.models import AuditEvent
from courtyard.funds import services

from .factories import account, actor, signers

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def entry_files(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = signers(tree)
    acc = account(tree, people, funded=0)
    entry = services.record_income(
        by=actor(people["finance"]), account=acc, amount_fen=500_00, basis="donation", counterparty_name="某公司",
        counterparty_kind="organisation", receipt_no="R-1",
        uploads=[SimpleUploadedFile("public-receipt.pdf", PDF), SimpleUploadedFile("receipt.pdf", PDF + b"%x")])
    from courtyard.funds.selectors import attachments_for

    files = {a.original_name: a for a in attachments_for([entry], public=False)[entry.pk]}
    return people, entry, files["public-receipt.pdf"], files["receipt.pdf"]


def test_only_the_published_copy_is_public(tree, entry_files, login):
    people, entry, public, internal = entry_files
    assert public.published_at is not None and internal.published_at is None
    assert AuditEvent.objects.filter(action="core.attachment.publish", object_id=str(public.pk)).exists()
    anonymous = Client()
    page = anonymous.get(reverse("funds:public_ledger", args=[tree.unit.slug]))
    assert reverse("funds:public_file", args=[tree.unit.slug, public.pk]).encode() in page.content
    assert reverse("funds:public_file", args=[tree.unit.slug, internal.pk]).encode() not in page.content
    r = anonymous.get(reverse("funds:public_file", args=[tree.unit.slug, public.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert anonymous.get(reverse("funds:public_file", args=[tree.unit.slug, internal.pk])).status_code == 404
    assert anonymous.get(public.url).status_code == 200
    assert anonymous.get(internal.url).status_code == 302  # to the login page


def test_internal_receipt_for_ledger_viewers_in_scope_only(entry_files, login):
    people, entry, public, internal = entry_files
    assert login(people["finance"]).get(internal.url).status_code == 200
    assert login(people["outsider"]).get(internal.url).status_code == 404
