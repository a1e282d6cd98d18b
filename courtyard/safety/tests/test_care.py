"""Special-group care: enrolment needs a legal basis, the register is visible only to the roles that
need it (plus the visiting worker and the 包联 volunteer), every view is audited, visits and graded
warnings, and a person in care (or family) sees only their own visits."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent, Notification
from courtyard.safety import rules, selectors, services
from courtyard.safety.models import CareRecord, CareWarning

from .conftest import photo


@pytest.fixture
def rec(sf):
    return services.enrol(by=Actor(user=sf.staff), person=sf.t.person1, group="elderly_alone", colour="yellow",
                          legal_basis="legal_duty", basis_note="民政认定", worker=sf.worker,
                          at=timezone.now() - dt.timedelta(days=30))


def test_enrol_needs_a_legal_basis_and_consent_document(sf):
    by = Actor(user=sf.staff)
    with pytest.raises(ValidationError):
        services.enrol(by=by, person=sf.t.person3, group="disabled", colour="red", legal_basis="legal_duty",
                       basis_note=" ")
    with pytest.raises(ValidationError):
        services.enrol(by=by, person=sf.t.person3, group="disabled", colour="red", legal_basis="consent",
                       basis_note="本人同意")
    r = services.enrol(by=by, person=sf.t.person3, group="disabled", colour="red", legal_basis="consent",
                       basis_note="本人同意", consent=photo())
    assert r.consent_document is not None and r.path == sf.t.person3.path
    with pytest.raises(ValidationError):  # once
        services.enrol(by=by, person=sf.t.person3, group="disabled", colour="red", legal_basis="legal_duty",
                       basis_note="x")
    with pytest.raises(PermissionDenied):
        services.enrol(by=Actor(user=sf.staff_b), person=sf.t.person4, group="disabled", colour="red",
                       legal_basis="legal_duty", basis_note="x")


@pytest.mark.parametrize("who,sees", [
    ("staff", True), ("worker", True), ("mg_worker", True), ("volunteer", False), ("committee", False),
    ("staff_b", False), ("grid2_worker", False), ("subdistrict", False), ("resident", False), ("neighbour", False),
])
def test_who_can_see_a_person_in_care(sf, rec, who, sees):
    user = getattr(sf, who)
    assert rules.may_view_care(user, rec) is sees
    assert selectors.care_records_for(user).filter(pk=rec.pk).exists() is sees


def test_the_claiming_volunteer_sees_and_visits_them(sf, rec):
    assert not rules.may_view_care(sf.volunteer, rec)
    with pytest.raises(ValidationError):  # a grid worker is no 包联 volunteer
        services.update_record(by=Actor(user=sf.staff), rec=rec, colour="yellow", worker=sf.worker,
                               claimed_by=sf.worker2, needs="")
    services.update_record(by=Actor(user=sf.staff), rec=rec, colour="yellow", worker=sf.worker,
                           claimed_by=sf.volunteer, needs="代购")
    rec.refresh_from_db()
    assert rules.may_view_care(sf.volunteer, rec) and rules.may_visit(sf.volunteer, rec)
    services.log_visit(by=Actor(user=sf.volunteer), rec=rec, wellbeing="well")


def test_every_view_is_audited(sf, rec, login):
    c = login(sf.worker)
    before = AuditEvent.objects.filter(action__in=("safety.care.view", "safety.care.list")).count()
    assert c.get(reverse("safety:care")).status_code == 200
    assert c.get(reverse("safety:care_detail", args=[rec.pk])).status_code == 200
    assert c.get(reverse("safety:visit_new", args=[rec.pk])).status_code == 200
    events = AuditEvent.objects.filter(action__in=("safety.care.view", "safety.care.list")).order_by("pk")
    assert events.count() == before + 3
    listed = events.get(action="safety.care.list")
    assert listed.actor == sf.worker and str(rec.pk) in listed.note.split(",")
    assert events.filter(action="safety.care.view", object_id=str(rec.pk), actor=sf.worker).count() == 2


def test_outsiders_get_no_page_and_leave_no_read(sf, rec, login):
    for user in (sf.staff_b, sf.volunteer, sf.resident):
        c = login(user)
        assert c.get(reverse("safety:care_detail", args=[rec.pk])).status_code in (403, 404)
        assert c.get(reverse("safety:visit_new", args=[rec.pk])).status_code in (403, 404)
    assert c.get(reverse("safety:care")).status_code == 403
    assert not AuditEvent.objects.filter(action="safety.care.view").exists()


def test_lapsed_visit_warnings_grade_up_and_clear(sf, rec):
    now = timezone.now()
    services.log_visit(by=Actor(user=sf.worker), rec=rec, wellbeing="well", at=now - dt.timedelta(days=9))
    assert services.sweep_lapses(now) == {"raised": 1}  # due 2 days ago: grade 1
    w = CareWarning.objects.get()
    assert (w.reason, w.grade) == ("lapsed", 1)
    assert Notification.objects.filter(recipient=sf.worker, kind="safety.care_warning").exists()
    assert not Notification.objects.filter(recipient=sf.staff, kind="safety.care_warning").exists()
    assert services.sweep_lapses(now) == {"raised": 0}
    assert services.sweep_lapses(now + dt.timedelta(days=15)) == {"raised": 1}  # grade 3: the community hears
    w.refresh_from_db()
    assert w.grade == 3 and Notification.objects.filter(recipient=sf.staff, kind="safety.care_warning").exists()
    services.log_visit(by=Actor(user=sf.worker), rec=rec, wellbeing="well")
    w.refresh_from_db()
    assert w.resolved_at is not None


def test_a_visit_reporting_trouble_warns_the_grid_chief(sf, rec):
    with pytest.raises(ValidationError):
        services.log_visit(by=Actor(user=sf.worker), rec=rec, wellbeing="needs_help")
    services.log_visit(by=Actor(user=sf.worker), rec=rec, wellbeing="needs_help", follow_up="联系助餐")
    w = CareWarning.objects.get(reason="trouble")
    assert w.grade == 2
    assert Notification.objects.filter(recipient=sf.worker2, kind="safety.care_warning").exists()
    note = Notification.objects.filter(kind="safety.care_warning").first()
    assert sf.t.person1.name not in note.title + note.body  # no sensitive detail in a message


def test_person_in_care_and_family_see_only_their_own_visits(sf, rec, login):
    other = services.enrol(by=Actor(user=sf.staff), person=sf.t.person3, group="low_income", colour="blue",
                           legal_basis="legal_duty", basis_note="低保", worker=sf.worker)
    services.log_visit(by=Actor(user=sf.worker), rec=rec, wellbeing="well", note="很好")
    services.log_visit(by=Actor(user=sf.worker), rec=other, wellbeing="well", note="其他")
    assert [v.record_id for v in selectors.own_visits(sf.resident)] == [rec.pk]
    assert not selectors.own_visits(sf.neighbour).exists()
    rec.family.add(sf.neighbour)
    assert [v.record_id for v in selectors.own_visits(sf.neighbour)] == [rec.pk]
    page = login(sf.resident).get(reverse("safety:my_visits"))
    assert page.status_code == 200 and len(page.context["rows"]) == 1


def test_care_pages_query_budget(sf, rec, login, django_assert_max_num_queries):
    for p in (sf.t.person2, sf.t.person3, sf.t.person4):
        services.enrol(by=Actor(user=sf.staff), person=p, group="other", colour="green", legal_basis="legal_duty",
                       basis_note="x", worker=sf.grid2_worker if p == sf.t.person4 else sf.worker)
    c = login(sf.staff)
    for name in ("care", "care_warnings"):
        with django_assert_max_num_queries(14):
            assert c.get(reverse(f"safety:{name}")).status_code == 200
    w = login(sf.worker)
    with django_assert_max_num_queries(14):
        assert w.get(reverse("safety:visits_mine")).status_code == 200
    assert CareRecord.objects.count() == 4


def test_enrol_and_visit_pages(sf, login):
    c = login(sf.staff)
    r = c.get(reverse("safety:care_new") + "?q=王")
    assert sf.t.person1 in list(r.context["matches"])
    url = reverse("safety:care_new") + f"?person={sf.t.person1.pk}"
    r = c.post(url, {"person": sf.t.person1.pk, "group": "elderly_alone", "colour": "red",
                     "legal_basis": "legal_duty", "basis_note": ""})
    assert r.status_code == 400 and r.context["form"].errors["basis_note"]
    r = c.post(url, {"person": sf.t.person1.pk, "group": "elderly_alone", "colour": "red",
                     "legal_basis": "legal_duty", "basis_note": "民政认定", "worker": sf.worker.pk})
    rec = CareRecord.objects.get()
    assert r.status_code == 302 and rec.worker == sf.worker
    r = login(sf.worker).post(reverse("safety:visit_new", args=[rec.pk]), {"wellbeing": "well", "photo": photo()})
    assert r.status_code == 302 and rec.visits.count() == 1


def test_staff_link_a_family_member_by_mobile_number(sf, rec, login):
    services.log_visit(by=Actor(user=sf.worker), rec=rec, wellbeing="well", note="很好")
    c = login(sf.staff)
    url = reverse("safety:care_detail", args=[rec.pk])
    r = c.post(url, {"action": "family", "fam-phone": "139 0000 0000"})
    assert r.status_code == 400 and r.context["family"].errors["phone"]  # nobody has this number
    assert c.post(url, {"action": "family", "fam-phone": sf.neighbour.phone}).status_code == 302
    assert list(rec.family.all()) == [sf.neighbour]
    assert [v.record_id for v in selectors.own_visits(sf.neighbour)] == [rec.pk]
    assert AuditEvent.objects.filter(action="safety.care.family_add").exists()
    assert c.post(url, {"action": "unfamily", "user": sf.neighbour.pk}).status_code == 302
    assert not rec.family.exists() and not selectors.own_visits(sf.neighbour).exists()
    # a volunteer who may not manage the record cannot add anyone
    assert login(sf.volunteer).post(url, {"action": "family", "fam-phone": sf.neighbour.phone}).status_code in (403, 404)


def test_the_home_shows_visits_to_the_person_and_to_family_as_soon_as_they_are_logged(sf, rec, login):
    """The resident home is kept per login (ADR 0035): a visit, and a family link, show on the next view."""
    resident, family = login(sf.resident), login(sf.neighbour)
    assert "hvisit-h" not in resident.get("/").content.decode()
    assert "hvisit-h" not in family.get("/").content.decode()
    services.log_visit(by=Actor(user=sf.worker), rec=rec, wellbeing="well")
    assert "hvisit-h" in resident.get("/").content.decode()
    assert "hvisit-h" not in family.get("/").content.decode()
    rec.family.add(sf.neighbour)
    assert "hvisit-h" in family.get("/").content.decode()
    rec.family.remove(sf.neighbour)
    assert "hvisit-h" not in family.get("/").content.decode()
