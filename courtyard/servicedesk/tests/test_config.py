"""Console forms for categories, SLA policies, framework agreements and the service menu; the
resident's page to post a need or offer a resource; the bulk-dispatch select of ranked candidates.
Happy paths, bad input writes nothing, 403 without CONFIGURE, 404 outside the scope, audit events."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent
from courtyard.org.choices import PartnerKind
from courtyard.org.models import PartnerUnit
from courtyard.servicedesk import services
from courtyard.servicedesk.models import Agreement, Category, Demand, Offer, ServiceItem, SlaPolicy


def _counts():
    return (Category.objects.count(), SlaPolicy.objects.count(), Agreement.objects.count(),
            ServiceItem.objects.count(), Demand.objects.count(), Offer.objects.count(), AuditEvent.objects.count())


# ---------------------------------------------------------------- yuan → fen
@pytest.mark.parametrize("text,fen", [("0", 0), ("12", 1200), ("12.5", 1250), ("0.1", 10), ("19.99", 1999),
                                      (" 3.00 ", 300), ("0.07", 7)])
def test_yuan_to_fen_is_exact(text, fen):
    assert services.yuan_to_fen(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "-1", "1.234", "NaN", "Infinity", "1e30", "0.001"])
def test_yuan_to_fen_rejects(text):
    with pytest.raises(ValidationError):
        services.yuan_to_fen(text)


# ---------------------------------------------------------------- categories
def test_staff_creates_and_edits_a_community_category(sd, login):
    c = login(sd.staff)
    water = Category.objects.get(code="water")
    r = c.post(reverse("servicedesk:category_new"), {"parent": water.pk, "code": "well-pump", "name": "Well pump",
                                                     "default_kind": "repair", "sort": "3", "active": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    cat = Category.objects.get(code="well-pump")
    assert cat.community == sd.t.community_a and cat.parent == water
    assert AuditEvent.objects.filter(action="servicedesk.category.create", object_id=str(cat.pk)).exists()
    r = c.post(reverse("servicedesk:category_edit", args=[cat.pk]), {
        "parent": water.pk, "code": "well-pump", "name": "Well pump (deep)", "default_kind": "repair", "sort": "3"})
    assert r.status_code == 302
    cat.refresh_from_db()
    assert cat.name == "Well pump (deep)" and not cat.active
    assert AuditEvent.objects.filter(action="servicedesk.category.update").exists()
    # settings page links it; residents of community A see it, residents of B do not
    page = c.get(reverse("servicedesk:settings"))
    assert reverse("servicedesk:category_edit", args=[cat.pk]) in page.content.decode()


def test_category_bad_input_writes_nothing(sd, login):
    c = login(sd.staff)
    water = Category.objects.get(code="water")
    leak = Category.objects.get(code="water-leak")
    before = _counts()
    for data in [
        {"parent": water.pk, "code": "water-leak", "name": "Dup", "default_kind": "repair", "sort": "0"},  # code taken
        {"parent": leak.pk, "code": "deep", "name": "Third level", "default_kind": "repair", "sort": "0"},
        {"parent": water.pk, "code": "bad code!", "name": "x", "default_kind": "repair", "sort": "0"},
        {"parent": water.pk, "code": "ok-code", "name": "", "default_kind": "repair", "sort": "0"},
    ]:
        r = c.post(reverse("servicedesk:category_new"), data)
        assert r.status_code == 400
    assert _counts() == before


def test_shared_categories_are_for_platform_admins_only(sd, login, make_user):
    water = Category.objects.get(code="water")
    assert login(sd.staff).get(reverse("servicedesk:category_edit", args=[water.pk])).status_code == 404
    admin = make_user("platform_admin", sd.t.district)
    r = login(admin).post(reverse("servicedesk:category_edit", args=[water.pk]), {
        "code": "water", "name": "Water supply", "default_kind": "repair", "sort": "1", "active": "on"})
    assert r.status_code == 302
    water.refresh_from_db()
    assert water.name == "Water supply" and water.community_id is None


def test_category_forbidden_and_out_of_scope(sd, login):
    cat = services.save_category(by=Actor(user=sd.staff), community=sd.t.community_a,
                                 parent=Category.objects.get(code="water"), code="a-only", name="A only")
    assert login(sd.committee).get(reverse("servicedesk:category_new")).status_code == 403
    assert login(sd.committee).get(reverse("servicedesk:category_edit", args=[cat.pk])).status_code == 403
    assert login(sd.staff_b).get(reverse("servicedesk:category_edit", args=[cat.pk])).status_code == 404
    before = _counts()
    r = login(sd.staff_b).post(reverse("servicedesk:category_edit", args=[cat.pk]), {
        "code": "a-only", "name": "hijack", "default_kind": "repair", "sort": "0"})
    assert r.status_code == 404 and _counts() == before


# ---------------------------------------------------------------- SLA policies
def _sla(cat, **kw):
    data = {"category": cat.pk, "urgency": "urgent", "unit": "hours", "accept_within": "2", "onsite_within": "8",
            "resolve_within": "48", "pause_when_waiting": "on"}
    data.update(kw)
    return data


def test_staff_creates_and_edits_an_sla_policy(sd, login):
    c = login(sd.staff)
    cat = services.save_category(by=Actor(user=sd.staff), community=sd.t.community_a,
                                 parent=Category.objects.get(code="water"), code="a-pump", name="Pump")
    r = c.post(reverse("servicedesk:sla_new"), _sla(cat))
    assert r.status_code == 302, r.content.decode()[:2000]
    pol = SlaPolicy.objects.get(category=cat, urgency="urgent")
    assert (pol.accept_within, pol.onsite_within, pol.resolve_within) == (2, 8, 48)
    r = c.post(reverse("servicedesk:sla_edit", args=[pol.pk]), _sla(cat, unit="workdays", resolve_within="5",
                                                                      onsite_within="2", accept_within="1"))
    assert r.status_code == 302
    pol.refresh_from_db()
    assert pol.unit == "workdays" and pol.resolve_within == 5
    assert AuditEvent.objects.filter(action="servicedesk.sla.update", object_id=str(pol.pk)).exists()


def test_sla_bad_input_writes_nothing(sd, login):
    c = login(sd.staff)
    cat = services.save_category(by=Actor(user=sd.staff), community=sd.t.community_a,
                                 parent=Category.objects.get(code="water"), code="a-pump2", name="Pump")
    services.save_sla_policy(by=Actor(user=sd.staff), category=cat, urgency="normal", unit="hours",
                             accept_within=1, onsite_within=2, resolve_within=3)
    before = _counts()
    for data in [_sla(cat, accept_within="0"), _sla(cat, onsite_within="-1"), _sla(cat, resolve_within="1.5"),
                 _sla(cat, accept_within="10", onsite_within="5"), _sla(cat, onsite_within="50"),
                 _sla(cat, unit="weeks"), _sla(cat, urgency="normal"),  # already has a policy
                 _sla(Category.objects.get(code="water"))]:  # shared category: not for community staff
        assert c.post(reverse("servicedesk:sla_new"), data).status_code == 400
    assert _counts() == before


def test_sla_forbidden_and_out_of_scope(sd, login):
    cat = services.save_category(by=Actor(user=sd.staff), community=sd.t.community_a,
                                 parent=Category.objects.get(code="water"), code="a-pump3", name="Pump")
    pol = services.save_sla_policy(by=Actor(user=sd.staff), category=cat, urgency="normal", unit="hours",
                                   accept_within=1, onsite_within=2, resolve_within=3)
    assert login(sd.mg_worker).get(reverse("servicedesk:sla_new")).status_code == 403
    assert login(sd.staff_b).get(reverse("servicedesk:sla_edit", args=[pol.pk])).status_code == 404
    shared = SlaPolicy.objects.filter(category__community__isnull=True).first() or SlaPolicy.objects.filter(
        category__isnull=True).first()
    if shared is not None:
        assert login(sd.staff).get(reverse("servicedesk:sla_edit", args=[shared.pk])).status_code == 404


# ---------------------------------------------------------------- framework agreements
def _agr(sd, **kw):
    data = {"vendor": sd.other_vendor.pk, "title": "Lighting FA",
            "categories": [Category.objects.get(code="water-leak").pk], "onsite_hours": "24",
            "emergency_hours": "2", "starts": "2026-03-01", "ends": "2027-02-28", "max_open": "10"}
    data.update(kw)
    return data


def test_staff_creates_and_edits_an_agreement(sd, login):
    c = login(sd.staff)
    r = c.post(reverse("servicedesk:agreement_new"), _agr(sd))
    assert r.status_code == 302, r.content.decode()[:2000]
    a = Agreement.objects.get(title="Lighting FA")
    assert a.community == sd.t.community_a and a.vendor == sd.other_vendor and a.onsite_hours == 24
    assert list(a.categories.values_list("code", flat=True)) == ["water-leak"]
    r = c.post(reverse("servicedesk:agreement_edit", args=[a.pk]), _agr(sd, ends="", onsite_hours="12"))
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.ends is None and a.onsite_hours == 12
    assert AuditEvent.objects.filter(action="servicedesk.agreement.update", object_id=str(a.pk)).exists()


def test_agreement_bad_input_writes_nothing(sd, login):
    c = login(sd.staff)
    vendor_b = PartnerUnit.objects.create(community=sd.t.community_b, kind=PartnerKind.MERCHANT, name="B vendor")
    before = _counts()
    for data in [_agr(sd, ends="2026-02-01"), _agr(sd, onsite_hours="0"), _agr(sd, vendor=vendor_b.pk),
                 _agr(sd, categories=[]), _agr(sd, title=""), _agr(sd, starts="")]:
        assert c.post(reverse("servicedesk:agreement_new"), data).status_code == 400
    assert _counts() == before


def test_agreement_forbidden_and_out_of_scope(sd, login):
    assert login(sd.committee).get(reverse("servicedesk:agreement_new")).status_code == 403
    assert login(sd.vendor_user).get(reverse("servicedesk:agreement_edit", args=[sd.agreement.pk])).status_code == 403
    assert login(sd.staff_b).get(reverse("servicedesk:agreement_edit", args=[sd.agreement.pk])).status_code == 404
    assert login(sd.staff).get(reverse("servicedesk:agreement_edit", args=[sd.agreement.pk])).status_code == 200


# ---------------------------------------------------------------- service menu
def test_staff_creates_and_edits_a_service_item(sd, login):
    c = login(sd.staff)
    r = c.post(reverse("servicedesk:item_new"), {"menu": "value_added", "name": "Haircut at home", "price": "12.5",
                                                 "provider": sd.vendor.pk, "active": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    item = ServiceItem.objects.get(name="Haircut at home")
    assert item.price_fen == 1250 and item.community == sd.t.community_a
    page = c.get(reverse("servicedesk:item_edit", args=[item.pk]))
    assert 'value="12.50"' in page.content.decode()
    r = c.post(reverse("servicedesk:item_edit", args=[item.pk]), {"menu": "basic", "name": "Haircut", "price": "0"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.menu, item.price_fen, item.active) == ("basic", 0, False)
    assert AuditEvent.objects.filter(action="servicedesk.item.update", object_id=str(item.pk)).exists()


def test_service_item_bad_input_writes_nothing(sd, login):
    c = login(sd.staff)
    before = _counts()
    for price in ["1.234", "-3", "abc", "", "1e9"]:
        r = c.post(reverse("servicedesk:item_new"), {"menu": "basic", "name": "X", "price": price})
        assert r.status_code == 400, price
    assert c.post(reverse("servicedesk:item_new"), {"menu": "other", "name": "X", "price": "1"}).status_code == 400
    assert _counts() == before


def test_service_item_forbidden_and_out_of_scope(sd, login):
    item = services.save_service_item(by=Actor(user=sd.staff), community=sd.t.community_a, menu="basic",
                                      name="Help", price_fen=0)
    assert login(sd.committee).get(reverse("servicedesk:item_edit", args=[item.pk])).status_code == 403
    assert login(sd.staff_b).get(reverse("servicedesk:item_edit", args=[item.pk])).status_code == 404


# ---------------------------------------------------------------- resident: needs and offers
def test_resident_posts_a_need_supports_one_and_offers(sd, login, make_user):
    c = login(sd.resident)
    assert c.get(reverse("servicedesk:resident_needs")).status_code == 200
    r = c.post(reverse("servicedesk:resident_needs"), {"action": "need", "need-title": "Someone to walk my dog",
                                                       "need-kind": "service", "need-urgency": "normal"})
    assert r.status_code == 302
    d = Demand.objects.get()
    assert d.community == sd.t.community_a and list(d.supporters.all()) == [sd.t.person1]
    assert AuditEvent.objects.filter(action="servicedesk.demand.post").exists()
    neighbour = login(make_user(person=sd.t.person2))
    assert neighbour.post(reverse("servicedesk:resident_needs"), {"action": "support", "demand": d.pk}).status_code == 302
    assert d.supporters.count() == 2
    r = c.post(reverse("servicedesk:resident_needs"), {"action": "offer", "offer-title": "I can teach chess",
                                                       "offer-kind": "skill", "offer-availability": "Sat pm"})
    assert r.status_code == 302
    o = Offer.objects.get()
    assert o.person == sd.t.person1 and o.availability == "Sat pm"
    # staff see it on the needs console
    assert "Someone to walk my dog" in login(sd.staff).get(reverse("servicedesk:needs")).content.decode()


def test_resident_need_bad_input_writes_nothing(sd, login):
    c = login(sd.resident)
    before = _counts()
    for data in [{"action": "need", "need-title": "", "need-kind": "service", "need-urgency": "normal"},
                 {"action": "need", "need-title": "x", "need-kind": "dragons", "need-urgency": "normal"},
                 {"action": "offer", "offer-title": "", "offer-kind": "skill"}]:
        assert c.post(reverse("servicedesk:resident_needs"), data).status_code == 400
    assert _counts() == before


def test_resident_cannot_support_another_communitys_need(sd, login):
    d = Demand.objects.create(community=sd.t.community_b, title="B need", kind="service")
    r = login(sd.resident).post(reverse("servicedesk:resident_needs"), {"action": "support", "demand": d.pk})
    assert r.status_code == 404 and d.supporters.count() == 0


def test_resident_needs_page_in_elderly_mode(sd, login):
    sd.resident.elderly_mode = True
    sd.resident.save(update_fields=["elderly_mode"])
    r = login(sd.resident).get(reverse("servicedesk:resident_needs"))
    assert r.status_code == 200 and re.search(r'<body class="[^"]*elderly', r.content.decode())


# ---------------------------------------------------------------- bulk dispatch select
def test_bulk_dispatch_offers_ranked_candidates(sd, file_one, login):
    reqs = [file_one(title=f"Leak {i}") for i in range(3)]
    c = login(sd.staff)
    html = c.get(reverse("servicedesk:queue")).content.decode()
    assert re.search(r'<select[^>]*id="bulk-to"[^>]*hx-get="[^"]*/bulk/targets/', html)
    assert "user:ID or partner:ID" not in html
    options = c.get(reverse("servicedesk:bulk_targets") + "?q=unassigned")
    targets = options.context["targets"]
    assert targets and targets[0]["top"] == 3
    assert f'value="{targets[0]["key"]}"' in options.content.decode()
    assert login(sd.resident).get(reverse("servicedesk:bulk_targets")).status_code == 403
    r = c.post(reverse("servicedesk:bulk"), {"ids": [r.pk for r in reqs], "action": "dispatch",
                                             "to": targets[0]["key"]})
    assert r.status_code == 302
    for req in reqs:
        req.refresh_from_db()
        assert req.state == "dispatched"


def test_bulk_candidates_is_bounded(sd, file_one):
    reqs = [file_one(title=f"Leak {i}") for i in range(5)]
    ranked = services.bulk_candidates(reqs, limit=1)
    assert ranked and all(r["fits"] == 5 for r in ranked if r["top"])


def test_community_staff_cannot_take_over_shared_rows(sd, login, make_user):
    """Issue 8's attack: staff grant themselves platform_admin on their community (refused), then try to
    rename a shared category and change shared SLA policies and the calendar through the services."""
    from django.core.exceptions import PermissionDenied

    from courtyard.core.models import AuditEvent
    from courtyard.org import services as org_services
    from courtyard.org.models import RoleGrant
    from courtyard.servicedesk.models import CalendarDay

    by = Actor(user=sd.staff)
    for place in (sd.t.community_a, sd.t.district):
        with pytest.raises((PermissionDenied, ValidationError)):
            org_services.grant_role(by=by, user=sd.staff, role="platform_admin", place=place)
    r = login(sd.staff).post("/console/roles/new/", {"phone": sd.staff.phone, "role": "platform_admin",
                                                     "place": sd.t.community_a.pk})
    assert r.status_code in (400, 403)
    assert not RoleGrant.objects.filter(user=sd.staff, role="platform_admin").exists()

    water = Category.objects.get(code="water")
    before = _counts(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.save_category(by=by, category=water, community=None, parent=None, code="water", name="hijacked")
    with pytest.raises(PermissionDenied):  # nor by moving it into their community
        services.save_category(by=by, category=water, community=sd.t.community_a, parent=None, code="water",
                               name="hijacked")
    with pytest.raises(PermissionDenied):
        services.save_sla_policy(by=by, category=None, urgency="urgent", unit="hours", accept_within=1,
                                 onsite_within=2, resolve_within=3)
    with pytest.raises(PermissionDenied):
        services.set_calendar_day(by=by, date=dt.date(2027, 10, 1), is_workday=False, name="国庆")
    assert (_counts(), AuditEvent.objects.count()) == before
    water.refresh_from_db()
    assert water.name != "hijacked" and not CalendarDay.objects.filter(date=dt.date(2027, 10, 1)).exists()
    # a superuser account is no shortcut either
    from courtyard.org.tests.factories import make_superuser

    with pytest.raises(PermissionDenied):
        services.save_category(by=Actor(user=make_superuser()), category=water, community=None,
                               parent=None, code="water", name="hijacked")
