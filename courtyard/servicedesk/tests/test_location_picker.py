"""Courtyard → building → entrance on the request form, and the full location for staff (ADR 0012)."""

from django.urls import reverse

from courtyard.servicedesk.location import full_label
from courtyard.servicedesk.models import Request


def _post(sd, **where):
    return {"kind": "repair", "category": sd.leak.pk, "title": "漏水", "urgency": "normal", **where}


def test_options_are_named_and_grouped(sd, login):
    page = login(sd.resident).get(reverse("servicedesk:new"))
    form = page.context["form"]
    html = page.content.decode()
    # buildings are grouped under their courtyard's name, entrances under "courtyard · building"
    groups = [g for g, _opts in form.fields["building"].choices[1:]]
    assert sd.t.courtyard1.name in groups
    entrance_groups = [g for g, _opts in form.fields["entrance"].choices[1:]]
    assert f"{sd.t.courtyard1.name} · {sd.t.building1.name}" in entrance_groups
    assert f'data-parent="{sd.t.building1.pk}"' in html and 'data-location="entrance"' in html
    # the resident's home pre-fills all three
    assert form.initial["entrance"] == sd.t.entrance1.pk and form.initial["building"] == sd.t.building1.pk
    assert form.initial["courtyard"] == sd.t.courtyard1.pk


def test_resident_files_at_an_entrance_and_staff_see_the_full_location(sd, login):
    c = login(sd.resident)
    r = c.post(reverse("servicedesk:new"), _post(sd, courtyard=sd.t.courtyard1.pk, building=sd.t.building1.pk,
                                                 entrance=sd.t.entrance1.pk))
    assert r.status_code == 302
    req = Request.objects.select_related("place__parent__courtyard", "place__courtyard").get()
    assert req.place == sd.t.entrance1
    label = full_label(req.place)
    assert label == f"{sd.t.courtyard1.name} · {sd.t.building1.name} · {sd.t.entrance1.name}"
    detail = login(sd.staff).get(reverse("servicedesk:console_detail", args=[req.pk]))
    assert label in detail.content.decode()


def test_a_building_without_entrance_is_fine(sd, login):
    r = login(sd.resident).post(reverse("servicedesk:new"), _post(sd, building=sd.t.building1.pk))
    assert r.status_code == 302 and Request.objects.get().place == sd.t.building1


def test_mismatched_choices_are_refused_on_their_field(sd, login):
    c = login(sd.resident)
    other = sd.t.building2  # in courtyard2
    r = c.post(reverse("servicedesk:new"), _post(sd, building=sd.t.building1.pk, entrance=sd.t.entrance3.pk))
    assert r.status_code == 200 and "This entrance is not in the chosen building." in r.context["form"].errors["entrance"]
    if other.courtyard_id:
        r = c.post(reverse("servicedesk:new"), _post(sd, courtyard=sd.t.courtyard1.pk, building=other.pk))
        assert "not in the chosen courtyard" in r.context["form"].errors["building"][0]
    r = c.post(reverse("servicedesk:new"), _post(sd))
    assert r.context["form"].errors["building"] == ["Choose the building."]
    r = c.post(reverse("servicedesk:new"), _post(sd, building="abc"))
    assert r.status_code == 200 and "building" in r.context["form"].errors
    assert not Request.objects.exists()


def test_resident_sees_deadlines_labelled_as_deadlines(sd, login, file_one):
    req = file_one()
    html = login(sd.resident).get(reverse("servicedesk:mine_detail", args=[req.pk])).content.decode()
    assert "Deadline to accept" in html or req.accepted_at
    assert "Accepted by" not in html and "Resolved by" not in html
