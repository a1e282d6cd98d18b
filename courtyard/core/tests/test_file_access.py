"""Uploaded files are served only through the authorising view (courtyard.core.file_access)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from PIL import Image

from courtyard.core import file_access
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload
from courtyard.core.models import AuditEvent

from .factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def user_rule(monkeypatch):
    """Files owned by a user row: visible to that user only; publishable."""
    rules = dict(file_access._RULES)
    monkeypatch.setattr(file_access, "_RULES", rules)
    file_access.register("core.user", can_view=lambda user, owner: user.pk == owner.pk, publishable=True)


def photo(name="p.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def xlsx(name="list.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return SimpleUploadedFile(name, out.getvalue())


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user, backend="courtyard.core.auth.PhoneBackend")
    return c


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_owner_sees_the_file_with_safe_headers(user_rule):
    alice = make_user()
    att = store_upload(by=Actor(user=alice), upload=photo(), owner=alice)
    response = logged_in(alice).get(att.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert body(response).startswith(b"\x89PNG")
    assert att.url == f"/files/{att.pk}/"


def test_others_get_404_and_anonymous_is_sent_to_login(user_rule):
    alice, bob = make_user(), make_user()
    att = store_upload(by=Actor(user=alice), upload=photo(), owner=alice)
    assert logged_in(bob).get(att.url).status_code == 404
    anonymous = Client().get(att.url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_files_without_owner_or_with_unregistered_owner_are_served_to_nobody():
    alice = make_user()
    alice.is_superuser = True
    alice.save()
    orphan = store_upload(by=Actor(user=alice), upload=photo())
    owned_by_user = store_upload(by=Actor(user=alice), upload=photo("b.png"), owner=alice)  # core.user: unregistered
    for att in (orphan, owned_by_user):
        assert logged_in(alice).get(att.url).status_code == 404


def test_spreadsheets_download_as_attachments_with_their_name(user_rule):
    alice = make_user()
    att = store_upload(by=Actor(user=alice), upload=xlsx("名单.xlsx"), allowed={"spreadsheet"}, owner=alice)
    response = logged_in(alice).get(att.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E5%90%8D%E5%8D%95.xlsx" in response["Content-Disposition"]


def test_published_files_are_public_and_publishing_is_audited(user_rule):
    alice, bob = make_user(), make_user()
    att = store_upload(by=Actor(user=alice), upload=photo(), owner=alice)
    file_access.publish(by=Actor(user=alice), attachment=att)
    assert AuditEvent.objects.filter(action="core.attachment.publish").count() == 1
    response = Client().get(att.url)
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    assert logged_in(bob).get(att.url).status_code == 200
    file_access.unpublish(by=Actor(user=alice), attachment=att)
    assert logged_in(bob).get(att.url).status_code == 404


def test_x_accel_redirect_in_production(user_rule, settings):
    settings.COURTYARD_FILES_X_ACCEL_PREFIX = "/_protected/"
    alice = make_user()
    att = store_upload(by=Actor(user=alice), upload=photo(), owner=alice)
    response = logged_in(alice).get(att.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected/" + att.file.name
    assert response.content == b""
    assert response["Content-Type"] == "image/png" and response["Cache-Control"].startswith("private")


def test_discarded_content_is_gone_but_the_record_stays(user_rule, media_root, django_capture_on_commit_callbacks):
    alice = make_user()
    att = store_upload(by=Actor(user=alice), upload=photo(), owner=alice)
    path = media_root / att.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        file_access.discard_content(by=Actor(user=alice), attachment=att, reason="imported")
    att.refresh_from_db()
    assert not path.exists() and not att.file and att.sha256
    assert logged_in(alice).get(att.url).status_code == 404


def test_media_url_is_not_routed():
    from django.conf import settings
    from django.urls import Resolver404

    with pytest.raises(Resolver404):
        get_resolver().resolve("/" + settings.MEDIA_URL.strip("/") + "/attachments/2026/01/ab/x.jpg")


def test_every_owner_model_that_stores_files_is_registered():
    # The upload paths of the apps (services that call store_upload with an owner) and the SensitiveRecord
    # consent form: a new owner without a rule would be served to nobody, which is safe but broken.
    assert {"deliberation.topic", "deliberation.vote", "servicedesk.requestevent", "funds.ledgerentry",
            "funds.grantproposal", "org.sensitiverecord", "org.rosterimport"} <= set(file_access.registered())


def test_no_template_links_storage_urls():
    from pathlib import Path

    import courtyard

    offenders = [str(p) for p in Path(courtyard.__file__).parent.rglob("*.html") if ".file.url" in p.read_text()]
    assert offenders == []


def test_reverse_name():
    assert reverse("core_file", args=[7]) == "/files/7/"

