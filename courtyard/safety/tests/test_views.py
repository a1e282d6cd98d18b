"""Pages: console lists with bounded queries, hazard detail actions, the phone patrol and scan
pages, residents' report / own reports / notices, scope and permission checks."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.safety import services
from courtyard.safety.models import CheckIn, Hazard, PatrolTask

from .conftest import OK2, photo


def _hazards(sf, n):
    return [services.report_hazard(by=Actor(user=sf.staff), place=sf.t.building1, title=f"隐患{i}", grade="yellow",
                                   source="inspection") for i in range(n)]


@pytest.mark.parametrize("n", [1, 12])
def test_hazard_list_queries_do_not_grow(sf, login, django_assert_max_num_queries, n):
    _hazards(sf, n)
    c = login(sf.staff)
    with django_assert_max_num_queries(14):
        r = c.get(reverse("safety:hazards"))
    assert r.status_code == 200 and "隐患0" in r.content.decode()
    assert c.get(reverse("safety:hazards") + "?overdue=true&grade=yellow").status_code == 200
    assert c.get(reverse("safety:hazards") + "?export=xlsx").status_code == 200


def test_hazards_are_scoped(sf, login):
    (h,) = _hazards(sf, 1)
    assert login(sf.staff_b).get(reverse("safety:hazard", args=[h.pk])).status_code == 404
    assert "隐患0" not in login(sf.staff_b).get(reverse("safety:hazards")).content.decode()
    assert login(sf.resident).get(reverse("safety:hazards")).status_code == 403


def test_detail_rectify_then_reinspect_by_another(sf, login):
    (h,) = _hazards(sf, 1)
    c = login(sf.worker)
    r = c.post(reverse("safety:hazard", args=[h.pk]), {"action": "rectify", "note": "已清理", "photo": photo()})
    assert r.status_code == 302
    page = c.get(reverse("safety:hazard", args=[h.pk]))
    assert page.context["reinspect"] is None  # the fixer is not offered the re-inspection
    r = login(sf.worker2).post(reverse("safety:hazard", args=[h.pk]), {"action": "reinspect", "passed": "yes"})
    assert r.status_code == 302
    h.refresh_from_db()
    assert h.state == "closed" and h.closed_by == sf.worker2


def test_bad_input_lands_on_the_field(sf, login):
    (h,) = _hazards(sf, 1)
    r = login(sf.worker).post(reverse("safety:hazard", args=[h.pk]), {"action": "rectify", "note": ""})
    assert r.status_code == 400 and r.context["rectify"].errors["note"]
    h.refresh_from_db()
    assert h.state == "open"


def test_risk_notice_and_pdf(sf, login):
    (h,) = _hazards(sf, 1)
    c = login(sf.staff)
    assert c.post(reverse("safety:hazard_notice", args=[h.pk])).status_code == 302
    pdf = c.get(reverse("safety:hazard_pdf", args=[h.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    page = login(sf.resident).get(reverse("safety:notices"))
    assert "隐患0" in page.content.decode()


def test_resident_reports_and_sees_only_their_own(sf, login):
    c = login(sf.resident)
    assert c.get(reverse("safety:report")).status_code == 200
    r = c.post(reverse("safety:report"), {"place": sf.t.entrance1.pk, "title": "井盖松动", "photo": photo()})
    assert r.status_code == 302
    h = Hazard.objects.get()
    assert h.source == "resident" and h.reported_by == sf.resident
    assert "井盖松动" in c.get(reverse("safety:my_hazards")).content.decode()
    assert "井盖松动" not in login(sf.neighbour).get(reverse("safety:my_hazards")).content.decode()
    r = c.post(reverse("safety:report"), {"place": sf.t.entrance_b.pk, "title": "x"})
    assert r.status_code == 400 and Hazard.objects.count() == 1


def test_phone_patrol_scan_and_abnormal_check_in(sf, route, login):
    services.generate_tasks(timezone.localdate())
    c = login(sf.worker)
    page = c.get(reverse("safety:patrol"))
    assert page.status_code == 200 and route.p1.name in page.content.decode()
    url = reverse("safety:scan", args=[route.p2.code])
    assert c.get(url).context["task"] is not None
    r = c.post(url, {"q1": "ok", "q2": "有", "note": "飞线"})
    assert r.status_code == 302
    ci = CheckIn.objects.get()
    assert ci.abnormal and Hazard.objects.get().check_in == ci
    # someone without a task here sees a polite page, not a form
    assert login(sf.worker2).get(url).context["task"] is None


def test_scan_keeps_answers_on_error(sf, route, login):
    services.generate_tasks(timezone.localdate())
    r = login(sf.worker).post(reverse("safety:scan", args=[route.p2.code]), {"q1": "ok"})
    assert r.status_code == 400 and not CheckIn.objects.exists()


def test_console_patrol_pages(sf, route, login, django_assert_max_num_queries):
    services.generate_tasks(timezone.localdate())
    task = PatrolTask.objects.first()
    services.check_in(by=Actor(user=sf.worker), task=task, point=route.p2, answers=OK2,
                      at=max(task.window_start, timezone.now() - dt.timedelta(minutes=1)))
    c = login(sf.staff)
    for name in ("points", "routes", "plans", "tasks", "coverage", "point_new", "route_new", "plan_new"):
        with django_assert_max_num_queries(20):
            assert c.get(reverse(f"safety:{name}")).status_code == 200, name
    pdf = c.get(reverse("safety:points_qr"))
    assert pdf.content.startswith(b"%PDF")
    assert c.get(reverse("safety:point_qr", args=[route.p1.pk])).status_code == 200
    assert login(sf.staff_b).get(reverse("safety:point_qr", args=[route.p1.pk])).status_code == 404


def test_new_point_form_reports_checklist_errors(sf, login):
    c = login(sf.staff)
    r = c.post(reverse("safety:point_new"), {"place": sf.t.building1.pk, "name": "x", "checklist": "灭火器 [正常]",
                                             "active": "on"})
    assert r.status_code == 400 and r.context["form"].errors["checklist"]
    r = c.post(reverse("safety:point_new"), {"place": sf.t.building1.pk, "name": "1栋楼道", "checklist": "楼道畅通",
                                             "active": "on"})
    assert r.status_code == 302


def test_worklist_shows_overdue_hazards(sf, login):
    services.report_hazard(by=Actor(user=sf.staff), place=sf.t.building1, title="过期", grade="red",
                           source="inspection", found_at=timezone.now() - dt.timedelta(days=2))
    from courtyard.safety.worklist import items

    overdue = next(i for i in items(sf.staff) if i.key == "safety.hazards_overdue")
    assert overdue.count == 1 and overdue.urgent
    assert next(i for i in items(sf.staff_b) if i.key == "safety.hazards_overdue").count == 0


@pytest.mark.parametrize("role_user", ["committee", "subdistrict", "mg_worker"])
def test_shown_links_lead_to_pages_the_user_may_open(sf, route, login, role_user):
    """Every console link a safety list shows to a role opens for that role (no 403 behind a link)."""
    import re

    _hazards(sf, 1)
    c = login(getattr(sf, role_user))
    for name in ("hazards", "points", "routes", "plans", "tasks", "whistles", "eplans", "incidents"):
        page = c.get(reverse(f"safety:{name}"))
        if page.status_code != 200:
            continue
        for href in set(re.findall(r'href="(/console/safety/[^"?]*)', page.content.decode())):
            assert c.get(href).status_code == 200, (name, href)
