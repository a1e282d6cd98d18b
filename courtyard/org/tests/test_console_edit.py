"""Staff edits in the console: person details, dwelling areas, sensitive records with a legal basis."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courtyard.core.models import AuditEvent, Notification
from courtyard.org import services
from courtyard.org.models import SensitiveRecord


@pytest.fixture
def staff(tree, make_user):
    return make_user("community_staff", tree.community_a)


@pytest.fixture
def en(login):
    def _en(user):
        c = login(user)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    return _en


def test_staff_edits_a_person_and_the_change_is_audited(tree, staff, en):
    c = en(staff)
    url = f"/console/people/{tree.person3.pk}/edit/"
    assert c.get(url).status_code == 200
    response = c.post(url, {"name": "王建国", "gender": "M", "birth_year": "1951", "phone": "139 0000 1111",
                            "residence_status": "floating", "tags": ["volunteer", "veteran"], "notes": ""})
    assert response.status_code == 302
    tree.person3.refresh_from_db()
    assert tree.person3.name == "王建国" and tree.person3.phone == "13900001111"
    assert sorted(tree.person3.tags.values_list("code", flat=True)) == ["veteran", "volunteer"]
    event = AuditEvent.objects.filter(action="org.person.update", object_id=str(tree.person3.pk)).get()
    assert event.actor == staff and event.channel == "offline"
    assert event.changes["residence_status"] == ["permanent", "floating"]
    assert "13900001111" not in str(event.changes)  # audit keeps no plain number


def test_bad_phone_changes_nothing(tree, staff, en):
    c = en(staff)
    before = (tree.person3.name, tree.person3.phone)
    response = c.post(f"/console/people/{tree.person3.pk}/edit/", {
        "name": "改了名", "phone": "12345", "residence_status": "permanent"})
    assert response.status_code == 400
    assert "not a valid mainland mobile number" in response.content.decode()
    tree.person3.refresh_from_db()
    assert (tree.person3.name, tree.person3.phone) == before


def test_person_outside_scope_cannot_be_edited(tree, make_user, en):
    worker = make_user("grid_worker", tree.grid2)
    assert en(worker).get(f"/console/people/{tree.person3.pk}/edit/").status_code == 404
    head = make_user("building_head", tree.building1)
    assert en(head).get(f"/console/people/{tree.person1.pk}/edit/").status_code == 403


def test_area_from_a_better_source_wins(tree, staff, en):
    c = en(staff)
    d = tree.dwelling1
    c.post(f"/console/dwellings/{d.pk}/area/", {"source": "contract", "area_m2": "70.00"})
    c.post(f"/console/dwellings/{d.pk}/area/", {"source": "register", "area_m2": "68.35"})
    c.post(f"/console/dwellings/{d.pk}/area/", {"source": "survey", "area_m2": "69.10"})
    d.refresh_from_db()
    assert d.area_m2 == Decimal("68.35") and d.area_source == "register"


@pytest.mark.parametrize("bad", ["-3", "0", "12.345", "abc", "NaN"])
def test_bad_area_is_refused_with_a_message(tree, staff, en, bad):
    c = en(staff)
    d = tree.dwelling1
    before = d.area_m2
    areas_before = sorted(d.areas.values_list("source", "area_m2"))
    response = c.post(f"/console/dwellings/{d.pk}/area/", {"source": "contract", "area_m2": bad}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "area" in body.lower() and 'class="alert alert-danger"' in body
    d.refresh_from_db()
    assert d.area_m2 == before and sorted(d.areas.values_list("source", "area_m2")) == areas_before


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "PNG")
    return buf.getvalue()


def test_sensitive_record_needs_basis_and_consent_form(tree, staff, en):
    c = en(staff)
    url = f"/console/people/{tree.person1.pk}/sensitive/"
    # Consent without the signed form is refused.
    response = c.post(url, {"category": "care_level", "value": "red", "legal_basis": "consent",
                            "basis_note": "本人书面同意"})
    assert response.status_code == 400 and "signed consent form" in response.content.decode()
    assert not SensitiveRecord.objects.filter(person=tree.person1).exists()
    # A wrong colour is refused.
    response = c.post(url, {"category": "care_level", "value": "purple", "legal_basis": "legal_duty",
                            "basis_note": "民政工作职责"})
    assert response.status_code == 400
    # With the form (checked by content), it is recorded; the audit names the category, not the value.
    upload = SimpleUploadedFile("consent.png", _png(), content_type="image/png")
    response = c.post(url, {"category": "care_level", "value": "red", "legal_basis": "consent",
                            "basis_note": "本人书面同意", "consent_document": upload})
    assert response.status_code == 302
    rec = SensitiveRecord.objects.get(person=tree.person1)
    assert rec.consent_document is not None and rec.consent_document.kind == "image"
    event = AuditEvent.objects.get(action="org.sensitive.create")
    assert "red" not in event.note and "care_level" in event.note


def test_fake_consent_file_is_refused_and_nothing_is_written(tree, staff, en):
    c = en(staff)
    upload = SimpleUploadedFile("consent.pdf", b"not really a pdf", content_type="application/pdf")
    response = c.post(f"/console/people/{tree.person1.pk}/sensitive/", {
        "category": "disability", "value": "二级肢体", "legal_basis": "consent", "basis_note": "书面同意",
        "consent_document": upload})
    assert response.status_code == 400
    assert not SensitiveRecord.objects.exists()


def test_sensitive_records_are_hidden_from_roles_that_do_not_need_them(tree, staff, make_user, en):
    services.add_sensitive_record(by=services.Actor.system(), person=tree.person1, category="disability",
                                  value="二级视力", legal_basis="legal_duty", basis_note="残联登记")
    assert "二级视力" in en(staff).get(f"/console/people/{tree.person1.pk}/").content.decode()
    head = make_user("building_head", tree.building1)
    assert "二级视力" not in en(head).get(f"/console/people/{tree.person1.pk}/").content.decode()


def test_granting_a_role_notifies_the_user(tree, staff, make_user, en):
    target = make_user(person=tree.person1)
    response = en(staff).post("/console/roles/new/", {"phone": target.phone, "role": "building_head",
                                                      "place": tree.building1.pk})
    assert response.status_code == 302
    note = Notification.objects.get(recipient=target)
    assert note.url == "/me/" and note.kind == "org.role.granted"
