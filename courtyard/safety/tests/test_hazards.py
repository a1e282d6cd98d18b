"""Hazard register: sources, deadlines by grade, re-inspection by someone other than the fixer,
escalation of overdue hazards, risk notices, and what residents see."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import AuditEvent, Notification
from courtyard.safety import services
from courtyard.safety.models import Hazard

from .conftest import photo


def _hazard(sf, **kw):
    kw.setdefault("place", sf.t.building1)
    kw.setdefault("title", "楼道堆放杂物")
    kw.setdefault("grade", "yellow")
    kw.setdefault("source", "inspection")
    return services.report_hazard(by=Actor(user=sf.staff), **kw)


def test_deadline_follows_grade_and_is_audited(sf):
    h = _hazard(sf, grade="red")
    assert h.deadline - h.found_at == dt.timedelta(days=1)
    assert h.community_id == sf.t.community_a.pk and h.path == sf.t.building1.path
    assert AuditEvent.objects.filter(action="safety.hazard.create", object_id=str(h.pk)).exists()
    services.update_hazard(by=Actor(user=sf.staff), hazard=h, grade="blue", owner=sf.worker, measures="设置警示")
    h.refresh_from_db()
    assert h.deadline - h.found_at == dt.timedelta(days=7) and h.owner == sf.worker
    assert Notification.objects.filter(recipient=sf.worker, kind="safety.hazard").exists()


def test_resident_reports_with_photo_and_sees_it_closed(sf):
    h = services.report_hazard(by=Actor(user=sf.resident), place=sf.t.entrance1, title="电动车楼道充电",
                               source="resident", photos=[photo()])
    assert h.resident_report and h.reported_by == sf.resident and h.grade == "blue"
    services.rectify(by=Actor(user=sf.worker), hazard=h, note="已劝离并张贴告示")
    services.reinspect(by=Actor(user=sf.staff), hazard=h, passed=True, note="复查无电动车")
    h.refresh_from_db()
    assert h.state == "closed" and h.closed_by == sf.staff
    assert Notification.objects.filter(recipient=sf.resident, kind="safety.hazard").exists()


def test_resident_cannot_report_in_another_community(sf):
    with pytest.raises(PermissionDenied):
        services.report_hazard(by=Actor(user=sf.resident), place=sf.t.entrance_b, title="x", source="resident")
    assert not Hazard.objects.exists()


def test_fixer_cannot_reinspect_their_own_fix(sf):
    h = _hazard(sf)
    services.rectify(by=Actor(user=sf.worker), hazard=h, note="清理完毕")
    with pytest.raises(ValidationError):
        services.reinspect(by=Actor(user=sf.worker), hazard=h, passed=True)
    h.refresh_from_db()
    assert h.state == "fixed"
    # the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        Hazard.objects.filter(pk=h.pk).update(state="closed", closed_by=sf.worker)


def test_failed_reinspection_sends_it_back(sf):
    h = _hazard(sf)
    services.rectify(by=Actor(user=sf.worker), hazard=h, note="清理")
    with pytest.raises(ValidationError):
        services.reinspect(by=Actor(user=sf.worker2), hazard=h, passed=False, note="")
    services.reinspect(by=Actor(user=sf.worker2), hazard=h, passed=False, note="仍有纸箱")
    h.refresh_from_db()
    assert h.state == "open" and h.fixed_by is None and h.reinspection_note == "仍有纸箱"


def test_outsiders_cannot_handle(sf):
    h = _hazard(sf)
    for user in (sf.staff_b, sf.grid2_worker, sf.resident):
        with pytest.raises(PermissionDenied):
            services.rectify(by=Actor(user=user), hazard=h, note="x")
        with pytest.raises(PermissionDenied):
            services.update_hazard(by=Actor(user=user), hazard=h, grade="red", owner=None, measures="")


def test_overdue_escalates_one_rung_at_a_time(sf):
    found = timezone.now() - dt.timedelta(days=3, hours=1)
    h = _hazard(sf, grade="red", found_at=found)  # deadline 2 days + 1 h ago → level 3
    blue = _hazard(sf, grade="blue")
    assert services.sweep_overdue() == {"escalated": 1, "whistled": 0}  # no kind, no department
    h.refresh_from_db()
    blue.refresh_from_db()
    assert h.escalation == 3 and blue.escalation == 0
    assert Notification.objects.filter(recipient=sf.subdistrict, kind="safety.hazard_overdue").exists()
    assert Notification.objects.filter(recipient=sf.worker, kind="safety.hazard_overdue").exists()
    assert not Notification.objects.filter(recipient=sf.staff_b, kind="safety.hazard_overdue").exists()
    assert services.sweep_overdue() == {"escalated": 0, "whistled": 0}  # idempotent


def test_risk_notice_reaches_residents_below_the_place(sf):
    h = _hazard(sf, place=sf.t.building1, measures="绕行")
    n = services.send_risk_notice(by=Actor(user=sf.staff), hazard=h)
    assert n == 2  # person1 and person2 live in building 1
    assert Notification.objects.filter(recipient=sf.resident, kind="safety.risk_notice").exists()
    from courtyard.safety.selectors import notices_for
    assert list(notices_for(sf.resident)) == [h]


def test_quarterly_assessment_per_unit(sf, login):
    found = timezone.now() - dt.timedelta(days=2)
    _hazard(sf, grade="red", found_at=found)  # in the unit, overdue
    _hazard(sf, place=sf.t.building3, grade="blue", found_at=found)  # outside the unit: the community's row
    from courtyard.safety.selectors import quarter_of, risk_assessment

    start, end = quarter_of(timezone.localtime(found).date())
    rows = {r["name"]: r for r in risk_assessment(sf.staff, start, end)}
    unit = rows[sf.t.unit.name]
    assert (unit["found"], unit["red"], unit["overdue"], unit["level"]) == (1, 1, 1, "red")
    assert rows[sf.t.community_a.name]["level"] == "blue"
    assert risk_assessment(sf.staff_b, start, end) == []
    assert login(sf.staff).get("/console/safety/hazards/assessment/?q=previous").status_code == 200
