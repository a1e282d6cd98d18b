"""Inspections with representatives' sign-off, acceptance stages in order with the joint final's
parties and four judgements, snags closed one by one, the archive handover, the facility register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courtyard.core.models import AuditEvent
from courtyard.org.tests import factories as org
from courtyard.projects import services
from courtyard.projects.choices import ArchiveItem, Criterion, Party
from courtyard.projects.models import Acceptance, Facility, Handover

from .factories import actor, people

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def w(tree):
    who = people(tree)
    who.rep = org.make_user("representative", tree.unit, display_name="居民代表")
    who.supervisor = org.make_user("works_supervisor", tree.unit, display_name="监理")
    who.contractor = org.make_user("contractor", tree.unit, display_name="施工方")
    who.project = services.create_project(by=actor(who.staff), unit=tree.unit, title="排水", category="basic",
                                          owner="街道")
    return who


def test_inspection_signed_by_a_representative_not_by_its_recorder(w):
    ins = services.record_inspection(by=actor(w.supervisor), project=w.project, kind="concealed",
                                     findings="管沟坡度合格")
    with pytest.raises(PermissionDenied):  # staff carry the permission (to appoint) but hold no such office
        services.sign_inspection(by=actor(w.staff), inspection=ins)
    with pytest.raises(PermissionDenied):
        services.sign_inspection(by=actor(w.resident), inspection=ins)
    services.sign_inspection(by=actor(w.rep), inspection=ins)
    with pytest.raises(ValidationError):
        services.sign_inspection(by=actor(w.committee), inspection=ins)
    own = services.record_inspection(by=actor(w.staff), project=w.project, kind="biweekly", findings="正常")
    with pytest.raises(ValidationError):
        services.record_inspection(by=actor(w.staff), project=w.project, kind="biweekly", findings="",
                                   inspected_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.record_inspection(by=actor(w.staff), project=w.project, kind="biweekly", findings="x",
                                   inspected_on=timezone.localdate() + dt.timedelta(days=1))
    assert own.signed_by is None
    assert AuditEvent.objects.filter(action="projects.inspection.sign").count() == 1


def _final(w, **kw):
    args = {"parties": list(Party.values), "criteria": dict.fromkeys(Criterion.values, True), "passed": True}
    args.update(kw)
    return services.record_acceptance(by=actor(w.staff), project=w.project, stage="joint_final", **args)


def test_acceptance_in_order_with_the_right_offices(w):
    with pytest.raises(ValidationError):  # the supervisor's check comes after the self-check
        services.record_acceptance(by=actor(w.supervisor), project=w.project, stage="supervisor", passed=True)
    with pytest.raises(PermissionDenied):  # the supervisor does not do the contractor's self-check
        services.record_acceptance(by=actor(w.supervisor), project=w.project, stage="self_check", passed=True)
    services.record_acceptance(by=actor(w.contractor), project=w.project, stage="self_check", passed=True)
    with pytest.raises(PermissionDenied):  # the contractor cannot record the supervisor's check
        services.record_acceptance(by=actor(w.contractor), project=w.project, stage="supervisor", passed=True)
    services.record_acceptance(by=actor(w.supervisor), project=w.project, stage="supervisor", passed=True,
                               snags=["标线不清", "", "缺防雨棚"])
    assert w.project.snags.count() == 2
    with pytest.raises(ValidationError):  # a party missing
        _final(w, parties=[x for x in Party.values if x != "fire"])
    with pytest.raises(ValidationError):  # a criterion not judged
        _final(w, criteria={c: True for c in Criterion.values if c != "funds"})
    with pytest.raises(ValidationError):  # passed although maintenance is not arranged
        _final(w, criteria={**dict.fromkeys(Criterion.values, True), "maintenance": False})
    _final(w)
    with pytest.raises(ValidationError):
        _final(w)
    assert list(Acceptance.objects.values_list("stage", flat=True)) == ["self_check", "supervisor", "joint_final"]


def test_handover_needs_closed_snags_every_item_and_a_receipt(w):
    services.record_acceptance(by=actor(w.contractor), project=w.project, stage="self_check", passed=True)
    services.record_acceptance(by=actor(w.supervisor), project=w.project, stage="supervisor", passed=True,
                               snags=["标线不清"])
    receipt = SimpleUploadedFile("签收单.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError):  # before the joint final acceptance
        services.hand_over(by=actor(w.staff), project=w.project, items=list(ArchiveItem.values),
                           received_by="院委会主任", receipt=receipt)
    _final(w)
    with pytest.raises(ValidationError):  # an open snag
        services.hand_over(by=actor(w.staff), project=w.project, items=list(ArchiveItem.values),
                           received_by="院委会主任", receipt=receipt)
    snag = w.project.snags.get()
    services.close_snag(by=actor(w.staff), snag=snag)
    with pytest.raises(ValidationError):
        services.close_snag(by=actor(w.staff), snag=snag)
    with pytest.raises(ValidationError):  # the manuals are missing
        services.hand_over(by=actor(w.staff), project=w.project, items=[x for x in ArchiveItem.values if x != "manuals"],
                           received_by="院委会主任", receipt=receipt)
    h = services.hand_over(by=actor(w.staff), project=w.project, items=list(ArchiveItem.values),
                           received_by="院委会主任", receipt=SimpleUploadedFile("签收单.pdf", PDF,
                                                                              content_type="application/pdf"))
    assert Handover.objects.get() == h and sorted(h.items) == sorted(ArchiveItem.values)


def test_facility_register_and_maintenance(w, tree, login):
    f = services.create_facility(by=actor(w.staff), unit=tree.unit, name="庭院灯", kind="lights", owner="院委会",
                                 place=tree.entrance1, maintenance_every_days=30, funding_source="自治基金")
    assert f.next_due == timezone.localtime(f.created_at).date() + dt.timedelta(days=30)
    f = services.record_maintenance(by=actor(w.staff), facility=f)
    assert f.next_due == timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as exc:
        services.create_facility(by=actor(w.staff), unit=tree.unit, name="", kind="x", owner="",
                                 maintenance_every_days=0, place=tree.entrance_b)
    assert set(exc.value.error_dict) == {"name", "kind", "owner", "maintenance_every_days", "place"}
    with pytest.raises(PermissionDenied):
        services.create_facility(by=actor(w.resident), unit=tree.unit, name="x", kind="bench", owner="y")
    assert Facility.objects.count() == 1
    c = login(w.staff)
    assert "庭院灯" in c.get(reverse("projects:facilities")).content.decode()
    r = c.post(reverse("projects:facility_new"), {"unit": tree.unit.pk, "name": "座椅", "kind": "bench",
                                                  "owner": "院委会", "maintenance_every_days": "180"})
    assert r.status_code == 302 and Facility.objects.count() == 2
    page = c.get(reverse("projects:works", args=[w.project.pk]))
    assert page.status_code == 200


def test_api_is_scoped_and_in_the_schema(w, tree, login):
    services.create_facility(by=actor(w.staff), unit=tree.unit, name="庭院灯", kind="lights", owner="院委会")
    services.record_inspection(by=actor(w.supervisor), project=w.project, kind="biweekly", findings="正常")
    staff = login(w.staff)
    for path, n in (("projects", 1), ("facilities", 1), ("inspections", 1), ("surveys", 0), ("acceptances", 0),
                    ("consent-campaigns", 0)):
        r = staff.get(f"/api/v1/projects/{path}/")
        assert r.status_code == 200 and r.json()["count"] == n, path
    assert login(w.outsider).get("/api/v1/projects/projects/").json()["count"] == 0
    assert login(w.outsider).get(f"/api/v1/projects/projects/{w.project.pk}/").status_code == 404
    assert login(w.resident).get("/api/v1/projects/projects/").status_code == 403
    schema = staff.get("/api/schema/").content.decode()
    assert "/api/v1/projects/facilities/" in schema and "/api/v1/projects/consent-campaigns/" in schema


def test_worklist_for_the_expert_panel_and_representatives(w, tree, login):
    from courtyard.projects import worklist

    plan = services.publish_plan(by=actor(w.staff), plan=services.add_plan(by=actor(w.staff), project=w.project,
                                                                          title="方案", summary="x"))
    services.give_opinion(by=actor(w.resident), plan=plan, text="意见")
    services.record_inspection(by=actor(w.supervisor), project=w.project, kind="biweekly", findings="正常")
    assert {i.key: i.count for i in worklist.items(w.planner)} == {"projects.dispose": 1}
    assert {i.key: i.count for i in worklist.items(w.rep)} == {"projects.sign": 1}
    assert worklist.items(w.staff) == []  # staff carry SIGN to appoint representatives, but sign nothing
    home = login(w.planner).get(reverse("org:dashboard"))
    assert home.status_code == 200


def test_illegal_structures_to_removal(w, tree, login):
    from decimal import Decimal

    from courtyard.projects import selectors

    by = actor(w.staff)
    st = services.register_structure(by=by, unit=tree.unit, description="私搭彩钢棚", area_m2=Decimal("12.5"))
    with pytest.raises(ValidationError):  # a plan before the plan is agreed
        services.update_structure(by=by, structure=st, status="plan_agreed")
    st = services.update_structure(by=by, structure=st, status="plan_agreed", demolition_plan="业主自拆")
    with pytest.raises(ValidationError):
        services.update_structure(by=by, structure=st, status="removed",
                                  removed_on=timezone.localdate() + dt.timedelta(days=1))
    services.update_structure(by=by, structure=st, status="removed", self_removed=True)
    other = services.register_structure(by=by, unit=tree.unit, description="楼顶加盖")
    with pytest.raises(PermissionDenied):
        services.update_structure(by=actor(w.grid), structure=other, status="removed")
    s = selectors.structure_summary(tree.unit)
    assert (s["total"], s["removed"], s["self_removed"], s["removed_percent"]) == (2, 1, 1, "50")
    with pytest.raises(ValidationError):
        services.register_structure(by=by, unit=tree.unit, description="", area_m2=Decimal("-1"))
    c = login(w.staff)
    page = c.get(reverse("projects:structures")).content.decode()
    assert "私搭彩钢棚" in page and "(50 %)" in page
    r = c.post(reverse("projects:structure", args=[other.pk]), {"status": "removed", "self_removed": "on"})
    assert r.status_code == 302
    assert selectors.structure_summary(tree.unit)["removed_percent"] == "100"
    # The expert panel sees the register but gets no link to a form it may not open.
    planner_page = login(w.planner).get(reverse("projects:structures")).content.decode()
    assert "私搭彩钢棚" in planner_page and reverse("projects:structure", args=[st.pk]) not in planner_page
    assert login(w.planner).get(reverse("projects:structure", args=[st.pk])).status_code == 403


def test_contracts_record_how_the_party_was_chosen(w, login):
    by = actor(w.staff)
    today = timezone.localdate()
    args = {"project": w.project, "role": "works", "number": "HT-1", "amount_fen": 120_000_00, "starts_on": today,
            "ends_on": today + dt.timedelta(days=90)}
    quotes = [{"party": "甲公司", "amount_fen": 120_000_00}, {"party": "乙公司", "amount_fen": 118_000_00},
              {"party": "丙公司", "amount_fen": 130_000_00}]
    with pytest.raises(ValidationError) as exc:  # two quotations only
        services.record_contract(by=by, method="quotation", party="甲公司", quotes=quotes[:2], **args)
    assert "quotes" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:  # not the lowest, no reason
        services.record_contract(by=by, method="quotation", party="甲公司", quotes=quotes, **args)
    assert "reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.record_contract(by=by, method="direct", party="丁公司", **args)
    assert "reason" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.record_contract(by=actor(w.contractor), method="framework", party="甲公司", **args)
    c = services.record_contract(by=by, method="quotation", party="甲公司", quotes=quotes,
                                 reason="乙公司无燃气管道施工资质", retention_percent=5, **args)
    assert c.retention_fen == 6_000_00
    r = login(w.staff).post(reverse("projects:works", args=[w.project.pk]), {
        "action": "contract", "k-role": "supervision", "k-method": "framework", "k-party": "监理公司",
        "k-number": "JL-1", "k-amount_fen": "38000", "k-starts_on": today.isoformat(),
        "k-ends_on": (today + dt.timedelta(days=30)).isoformat(), "k-retention_percent": "0", "k-quotes": ""})
    assert r.status_code == 302 and w.project.contracts.count() == 2
