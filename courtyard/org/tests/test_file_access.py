"""A signed consent form belongs to its sensitive record and opens only for people who may see it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courtyard.core.audit import Actor
from courtyard.core.files import store_upload
from courtyard.org import services

pytestmark = pytest.mark.django_db


def test_consent_form_is_owned_by_its_record_and_scoped(tree, make_user, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = make_user("community_staff", tree.community_a)
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    doc = store_upload(by=Actor(user=staff), upload=SimpleUploadedFile("consent.png", out.getvalue()))
    record = services.add_sensitive_record(by=Actor(user=staff), person=tree.person1, category="care_level",
                                           value="red", legal_basis="consent", basis_note="signed",
                                           consent_document=doc)
    doc.refresh_from_db()
    assert doc.owner == record
    assert login(staff).get(doc.url).status_code == 200
    assert login(make_user("community_staff", tree.community_b)).get(doc.url).status_code == 404
    assert login(make_user(person=tree.person1)).get(doc.url).status_code == 404  # not even the person's login
