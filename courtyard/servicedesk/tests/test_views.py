"""Pages: resident filing with a photo, timeline, rating; console queues, detail, dispatch, bulk,
map, key numbers, QR stickers, settings with an API key; scope and permission checks."""

import pytest
from django.urls import reverse

from courtyard.servicedesk.models import ApiKey, Request

from .conftest import photo


def test_resident_files_with_photo_and_sees_timeline(sd, login):
    c = login(sd.resident)
    page = c.get(reverse("servicedesk:new"))
    assert page.status_code == 200
    assert page.context["form"].initial["place"] == sd.t.entrance1.pk
    r = c.post(reverse("servicedesk:new"), {
        "kind": "repair", "category": sd.leak.pk, "place": sd.t.entrance1.pk, "title": "Pipe bursts",
        "urgency": "normal", "photos": [photo()], "public_anonymous": "on"})
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    req = Request.objects.get()
    assert req.public_anonymous and req.reporter_user == sd.resident and req.channel == "online"
    page = c.get(reverse("servicedesk:mine_detail", args=[req.pk]))
    assert page.status_code == 200 and page.context["events"][0].photos
    assert c.get(reverse("servicedesk:mine")).status_code == 200


def test_qr_link_prefills_the_location(sd, login):
    c = login(sd.resident)
    r = c.get(reverse("servicedesk:new") + f"?place={sd.t.building3.pk}&facility=Charger%202")
    initial = r.context["form"].initial
    assert initial["facility"] == "Charger 2" and initial["place"] == sd.t.building3.pk
    # the three pickers are pre-filled from the sticker: its building, no entrance
    assert initial["building"] == sd.t.building3.pk and initial["entrance"] == ""


def test_resident_cannot_see_someone_elses_request(sd, file_one, login, make_user):
    req = file_one()
    other = make_user(person=sd.t.person2)
    assert login(other).get(reverse("servicedesk:mine_detail", args=[req.pk])).status_code == 404
    assert login(other).get(reverse("servicedesk:console_detail", args=[req.pk])).status_code == 404


def test_resident_rates_on_the_page(sd, file_one, login):
    from courtyard.core.audit import Actor
    from courtyard.servicedesk import services

    req = file_one()
    req.refresh_from_db()
    services.dispatch(by=Actor(user=sd.staff), request=req, to=f"user:{sd.mg_worker.pk}", reason="x")
    services.transition(by=Actor(user=sd.mg_worker), request=req, action="resolve", note="ok")
    c = login(sd.resident)
    r = c.post(reverse("servicedesk:mine_detail", args=[req.pk]), {"stars": "4", "fixed": "yes", "reasons": ["fast"]})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.state == "closed" and req.rating.reasons == ["fast"]


@pytest.mark.parametrize("queue", ["all", "mine", "grid", "overdue", "unassigned", "vendor", "closed"])
def test_queues_render_and_are_scoped(sd, file_one, login, queue):
    req = file_one()
    r = login(sd.staff).get(reverse("servicedesk:queue") + f"?q={queue}")
    assert r.status_code == 200
    if queue in ("all", "unassigned"):
        assert req in r.context["page"].rows
    r = login(sd.staff_b).get(reverse("servicedesk:queue") + f"?q={queue}")
    assert req not in r.context["page"].rows


def test_grid_queue_only_holds_my_grid(sd, file_one, login):
    req = file_one()
    assert req not in login(sd.grid2_worker).get(reverse("servicedesk:queue") + "?q=grid").context["page"].rows
    assert req in login(sd.mg_worker).get(reverse("servicedesk:queue") + "?q=grid").context["page"].rows


def test_console_detail_shows_reasons_and_dispatches(sd, file_one, login):
    req = file_one()
    c = login(sd.staff)
    page = c.get(reverse("servicedesk:console_detail", args=[req.pk]))
    assert page.status_code == 200
    ranked = page.context["ranked"]
    assert ranked and all(isinstance(label, str) for c_ in ranked for label, _p in c_["reasons"])
    r = c.post(reverse("servicedesk:dispatch", args=[req.pk]), {"to": ranked[0]["key"]})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.state == "dispatched"
    # the second dispatcher (same stale page) gets a conflict message, nothing changes
    r = c.post(reverse("servicedesk:dispatch", args=[req.pk]), {"to": ranked[-1]["key"], "reason": "mine"}, follow=True)
    assert req.state == Request.objects.get(pk=req.pk).state


def test_vendor_sees_only_own_work_orders(sd, file_one, login):
    from courtyard.core.audit import Actor
    from courtyard.servicedesk import services

    req = file_one()
    other = file_one(title="Other")
    services.dispatch(by=Actor(user=sd.staff), request=req, to=f"partner:{sd.vendor.pk}", reason="x")
    v = login(sd.vendor_user)
    assert [r.pk for r in v.get(reverse("servicedesk:workorders")).context["rows"]] == [req.pk]
    assert v.get(reverse("servicedesk:console_detail", args=[req.pk])).status_code == 200
    assert v.get(reverse("servicedesk:console_detail", args=[other.pk])).status_code == 404
    assert v.get(reverse("servicedesk:queue")).status_code == 403
    r = v.post(reverse("servicedesk:act", args=[req.pk]), {"action": "start", "photos": [photo()]})
    assert r.status_code == 302
    assert Request.objects.get(pk=req.pk).state == "in_progress"
    assert login(sd.other_vendor_user).post(reverse("servicedesk:act", args=[req.pk]), {"action": "resolve"}).status_code == 404


def test_bulk_accept(sd, file_one, login):
    a, b = file_one(), file_one(title="b")
    r = login(sd.staff).post(reverse("servicedesk:bulk"), {"ids": [a.pk, b.pk], "action": "accept"})
    assert r.status_code == 302
    assert set(Request.objects.values_list("state", flat=True)) == {"accepted"}
    login(sd.staff_b).post(reverse("servicedesk:bulk"), {"ids": [a.pk], "action": "close"})
    assert Request.objects.get(pk=a.pk).state == "accepted"


def test_map_stats_qr_and_staff_filing(sd, file_one, login):
    req = file_one()
    c = login(sd.staff)
    assert c.get(reverse("servicedesk:map")).status_code == 200
    data = c.get(reverse("servicedesk:map_data"), {"courtyard": sd.t.courtyard1.pk}).json()
    assert [x["id"] for x in data["requests"]] == [req.pk]
    stats = c.get(reverse("servicedesk:stats"))
    assert stats.status_code == 200 and any(r["n"] for r in stats.context["rows"])
    pdf = c.get(reverse("servicedesk:qr", args=[sd.t.building1.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert login(sd.staff_b).get(reverse("servicedesk:qr", args=[sd.t.building1.pk])).status_code == 404
    r = c.post(reverse("servicedesk:staff_new"), {
        "kind": "complaint", "category": sd.noise.pk, "place": sd.t.entrance3.pk, "title": "Phoned in",
        "urgency": "normal", "source": "phone", "reporter_name": "Mr Zhao"})
    assert r.status_code == 302
    filed = Request.objects.get(title="Phoned in")
    assert filed.channel == "offline" and filed.reporter_name == "Mr Zhao" and filed.filed_by == sd.staff


def test_settings_creates_a_hashed_key(sd, login):
    c = login(sd.staff)
    r = c.post(reverse("servicedesk:settings"), {"action": "key", "name": "WeChat bot"})
    key = r.context["new_key"]
    obj = ApiKey.objects.get()
    assert key.startswith("o311_") and key not in obj.key_hash and obj.prefix == key[:8]
    assert login(sd.mg_worker).get(reverse("servicedesk:settings")).status_code == 403


def test_orders_needs_and_menu_pages(sd, login):
    from courtyard.servicedesk.models import ServiceItem

    ServiceItem.objects.create(community=sd.t.community_a, menu="basic", name="Stair cleaning")
    item = ServiceItem.objects.create(community=sd.t.community_a, menu="value_added", name="Haircut", price_fen=1000)
    c = login(sd.resident)
    assert c.get(reverse("servicedesk:menu")).status_code == 200
    assert c.post(reverse("servicedesk:menu"), {"item": item.pk}).status_code == 302
    s = login(sd.committee)
    assert s.get(reverse("servicedesk:orders")).status_code == 200
    order = sd.t.community_a and __import__("courtyard.servicedesk.models", fromlist=["ServiceOrder"]).ServiceOrder.objects.get()
    s.post(reverse("servicedesk:orders"), {"order": order.pk, "party": "committee"})
    order.refresh_from_db()
    assert order.stage == "assessed"
    from courtyard.servicedesk.models import Demand, Offer

    Offer.objects.create(community=sd.t.community_a, kind="space", title="Tea house", partner=sd.vendor)
    Offer.objects.create(community=sd.t.community_a, kind="skill", title="Electrician", person=sd.t.person3)
    Demand.objects.create(community=sd.t.community_a, kind="space", title="Room for elders")
    page = login(sd.staff).get(reverse("servicedesk:needs"))
    assert page.status_code == 200 and page.context["demands"][0].suggested


@pytest.mark.parametrize("role_attr, url_name, expected", [
    ("resident", "queue", 403), ("vendor_user", "queue", 403), ("mg_worker", "queue", 200),
    ("committee", "queue", 200), ("subdistrict", "stats", 200), ("mg_worker", "stats", 403),
    ("committee", "orders", 200), ("mg_worker", "orders", 403), ("vendor_user", "workorders", 200),
    ("staff", "workorders", 403), ("staff", "settings", 200), ("committee", "settings", 403),
    ("resident", "staff_new", 403), ("mg_worker", "staff_new", 200),
])
def test_permission_matrix(sd, login, role_attr, url_name, expected):
    assert login(getattr(sd, role_attr)).get(reverse(f"servicedesk:{url_name}")).status_code == expected


def test_platform_admins_keep_the_shared_calendar(sd, login, make_user):
    """The calendar is shared by every community: community staff cannot change it (issue 8), a
    platform administrator of the district can, and the district's staff see it in the audit trail."""
    import datetime as dt

    from courtyard.core.models import AuditEvent
    from courtyard.servicedesk.models import CalendarDay

    staff = login(sd.staff)
    staff.post(reverse("servicedesk:settings"), {"action": "day", "date": "2027-01-01", "name": "元旦", "is_workday": "0"})
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()
    assert not AuditEvent.objects.filter(action__startswith="servicedesk.calendar").exists()
    assert "day_remove" not in staff.get(reverse("servicedesk:settings")).content.decode()

    admin = make_user("platform_admin", sd.t.district)
    c = login(admin)
    c.post(reverse("servicedesk:settings"), {"action": "day", "date": "2027-01-01", "name": "元旦", "is_workday": "0"})
    assert CalendarDay.objects.get(date=dt.date(2027, 1, 1)).is_workday is False
    c.post(reverse("servicedesk:settings"), {"action": "day", "date": "2027-01-04", "name": "x", "is_workday": "1"})
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 4)).exists()  # a Monday cannot be a make-up day
    day = CalendarDay.objects.get(date=dt.date(2027, 1, 1))
    staff.post(reverse("servicedesk:settings"), {"action": "day_remove", "day": day.pk})
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    c.post(reverse("servicedesk:settings"), {"action": "day_remove", "day": day.pk})
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    events = AuditEvent.objects.filter(action__startswith="servicedesk.calendar")
    assert events.count() == 2 and {e.community_id for e in events} == {sd.t.district.pk}
    officer = make_user("subdistrict_officer", sd.t.district)
    assert AuditEvent.objects.visible_to(officer).filter(action__startswith="servicedesk.calendar").count() == 2
    assert not AuditEvent.objects.visible_to(sd.staff).filter(action__startswith="servicedesk.calendar").exists()
    login(sd.mg_worker).post(reverse("servicedesk:settings"), {"action": "day", "date": "2027-01-02", "name": "x"})
    assert not CalendarDay.objects.filter(date=dt.date(2027, 1, 2)).exists()


@pytest.mark.parametrize("url_name", ["queue", "map", "stats", "orders", "needs", "settings", "staff_new"])
def test_district_admin_pages_render(sd, login, make_user, url_name):
    admin = make_user("platform_admin", sd.t.district)
    assert login(admin).get(reverse(f"servicedesk:{url_name}")).status_code == 200


def test_queue_pages_through_every_open_request_in_deadline_order(sd, file_one, login, django_assert_max_num_queries):
    reqs = [file_one(title=f"Leak {i}") for i in range(7)]
    client = login(sd.staff)
    url = reverse("servicedesk:queue")
    from courtyard.servicedesk.lists import RequestQueue

    RequestQueue.per_page = 3
    try:
        seen, page_url = [], url + "?q=all"
        for _ in range(5):
            with django_assert_max_num_queries(14):
                r = client.get(page_url)
            page = r.context["page"]
            seen += [x.pk for x in page.rows]
            if not page.has_next:
                break
            page_url = url + "?q=all&after=" + page.next_cursor
    finally:
        RequestQueue.per_page = 50
    assert sorted(seen) == sorted(x.pk for x in reqs) and len(seen) == len(set(seen))
    dues = [Request.objects.get(pk=pk).next_due for pk in seen]
    assert dues == sorted(dues)  # soonest deadline first, across pages


def test_queue_searches_by_number_and_title_and_exports(sd, file_one, login):
    a = file_one(title="Leaking pipe on the roof")
    b = file_one(title="Broken lamp")
    client = login(sd.staff)
    url = reverse("servicedesk:queue")
    assert [r.pk for r in client.get(url + "?q=all&text=lamp").context["page"].rows] == [b.pk]
    assert [r.pk for r in client.get(url + f"?q=all&text=%23{a.pk}").context["page"].rows] == [a.pk]
    export = client.get(url + "?q=all&text=lamp&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Broken lamp"]
