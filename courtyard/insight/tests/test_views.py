"""Insight's pages: scoping, bounded queries whatever the tree's size, case steps through the views,
the public results section, reports generated in the background (PDF + xlsx)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from courtyard.core.indicators import Period, catalogue
from courtyard.core.models import Attachment
from courtyard.insight import scopes
from courtyard.insight.models import Report, Snapshot, WarningCase
from courtyard.insight.services import open_cases_for, take_snapshots
from courtyard.org.tests import factories
from courtyard.servicedesk.models import Rating

pytestmark = pytest.mark.django_db


def last_month():
    return Period.containing(timezone.localdate()).previous()


@pytest.fixture
def snapped(tree):
    take_snapshots(period=last_month())
    return tree


def test_dashboard_at_every_level(snapped, make_user, login, django_assert_max_num_queries):
    t = snapped
    officer = login(make_user("subdistrict_officer", t.subdistrict))
    for key in (f"subdistrict:{t.subdistrict.pk}", f"community:{t.community_a.pk}", f"unit:{t.unit.pk}"):
        with django_assert_max_num_queries(14):
            r = officer.get("/console/insight/", {"scope": key, "period": last_month().key})
        assert r.status_code == 200
        body = r.content.decode()
        assert "Participation rate" in body and "insight-data" in body
    # the subdistrict's page drills down to its communities
    r = officer.get("/console/insight/")
    assert f"scope=community:{t.community_a.pk}" in r.content.decode()
    assert f"scope=community:{t.community_b.pk}" in r.content.decode()


def test_dashboard_queries_do_not_grow_with_the_tree(snapped, make_user, login, django_assert_num_queries):
    t = snapped
    officer = login(make_user("subdistrict_officer", t.subdistrict))
    url = f"/console/insight/?scope=subdistrict:{t.subdistrict.pk}&period={last_month().key}"
    officer.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        officer.get(url)
    for i in range(4):
        factories.small_community(f"新社区{i}", t.subdistrict, f"新{i}")
    take_snapshots(period=last_month())
    with django_assert_num_queries(len(before)):
        r = officer.get(url)
    assert r.content.decode().count("scope=community:") >= 6


def test_scope_is_enforced(snapped, make_user, login):
    t = snapped
    staff_b = login(make_user("community_staff", t.community_b))
    assert staff_b.get(f"/console/insight/?scope=community:{t.community_a.pk}").status_code == 404
    assert staff_b.get(f"/console/insight/?scope=unit:{t.unit.pk}").status_code == 404
    assert staff_b.get(f"/console/insight/?scope=community:{t.community_b.pk}").status_code == 200
    assert staff_b.get("/console/insight/?scope=galaxy:1").status_code == 404
    committee = login(make_user("committee_member", t.unit))
    assert committee.get("/console/insight/").status_code == 200  # opens on the unit
    assert committee.get(f"/console/insight/?scope=community:{t.community_a.pk}").status_code == 404
    resident = login(make_user(person=t.person3))
    assert resident.get("/console/insight/").status_code == 403
    r = staff_b.get("/console/insight/?period=2026-13")
    assert r.status_code == 200  # an unknown period falls back to the last month, with a message


def test_catalogue_and_definitions(tree, make_user, login):
    c = login(make_user("evaluator", tree.subdistrict))
    assert c.get("/console/insight/indicators/").status_code == 200
    for code, ind in catalogue().items():
        r = c.get(f"/console/insight/indicators/{code}/")
        assert r.status_code == 200
        body = r.content.decode()
        assert str(ind.numerator) in body.replace("&#x27;", "'") and "Staged targets" in body
    assert c.get("/console/insight/indicators/nope/").status_code == 404
    from courtyard.core.indicators import acts

    body = c.get("/console/insight/indicators/participation_rate/").content.decode()
    assert all(str(a.label) in body for a in acts())  # every app's acts are listed


def _red_case(sd, file_one):
    for i, s in enumerate([1, 2, 1]):
        Rating.objects.create(request=file_one(title=f"r{i}"), stars=s, fixed=False)
    month = Period.containing(timezone.localdate())
    take_snapshots(period=month, scopes=[scopes.of_unit(sd.t.unit)], codes=["satisfaction_rate"])
    open_cases_for(month)
    return WarningCase.objects.get(code="satisfaction_rate")


def test_case_steps_through_the_views(sd, file_one, login, django_assert_max_num_queries):
    case = _red_case(sd, file_one)
    staff, officer = login(sd.staff), login(sd.subdistrict)
    url = f"/console/insight/cases/{case.pk}/"
    with django_assert_max_num_queries(14):
        r = staff.get(url)
    assert r.status_code == 200 and 'value="close"' not in r.content.decode()  # a listed case: not theirs to close
    r = staff.post(url, {"step": "action", "note": ""}, follow=True)
    assert "Say what was done" in r.content.decode()
    from courtyard.servicedesk.tests.conftest import photo

    staff.post(url, {"step": "action", "note": "返修", "evidence": photo()})
    assert case.actions.filter(kind="evidence", attachment__isnull=False).count() == 1
    att = case.actions.get(kind="evidence").attachment
    assert staff.get(f"/files/{att.pk}/").status_code == 200
    assert login(sd.staff_b).get(f"/files/{att.pk}/").status_code in (403, 404)
    r = staff.post(url, {"step": "close", "closure": "done"}, follow=True)
    case.refresh_from_db()
    assert case.status == "open" and "You may not do this." in r.content.decode()
    officer.post(url, {"step": "owner", "owner": str(sd.staff.pk), "deadline": "2000-01-01"})
    case.refresh_from_db()
    assert case.owner_id is None  # a deadline in the past is refused, nothing changed
    officer.post(url, {"step": "close", "closure": "返修完成"})
    case.refresh_from_db()
    assert case.status == "closed"
    r = officer.get("/console/insight/cases/?status=closed")
    assert r.status_code == 200 and "学道苑" in r.content.decode()


def test_work_list_names_the_cases(sd, file_one, login):
    _red_case(sd, file_one)
    body = login(sd.subdistrict).get("/console/").content.decode()
    assert "Listed cases to supervise" in body


def test_public_results_show_counts_not_names(sd, file_one, client):
    file_one()
    take_snapshots(period=last_month(), scopes=[scopes.of_unit(sd.t.unit)])
    Snapshot.objects.filter(code="participation_rate").update(numerator=3, denominator=4)
    body = client.get(f"/u/{sd.t.unit.slug}/").content.decode()
    section = body[body.index('aria-labelledby="pr-h"'):]
    section = section[:section.index("</section>")]
    assert "Participation rate" in section and "(3/4)" in section
    assert sd.t.person1.name not in section and sd.t.person2.name not in section


def test_review_ranks_communities(snapped, make_user, login):
    t = snapped
    officer = login(make_user("subdistrict_officer", t.subdistrict))
    r = officer.get("/console/insight/review/")
    assert r.status_code == 200 and t.community_a.name in r.content.decode()
    staff = login(make_user("community_staff", t.community_a))
    assert staff.get("/console/insight/review/").status_code == 404  # a community has no communities to rank


def test_report_pdf_and_xlsx(snapped, make_user, login, django_capture_on_commit_callbacks):
    t = snapped
    evaluator = login(make_user("evaluator", t.subdistrict))
    quarter = Period.containing(timezone.localdate(), "quarter").previous()
    with django_capture_on_commit_callbacks(execute=True):
        r = evaluator.post(f"/console/insight/reports/?scope=community:{t.community_a.pk}", {"period": quarter.key})
    assert r.status_code == 302
    report = Report.objects.get()
    assert report.status == "ready", report.error
    pdf = Attachment.objects.get(pk=report.pdf_id)
    assert pdf.file.read(4) == b"%PDF"
    xlsx = Attachment.objects.get(pk=report.xlsx_id)
    rows = list(load_workbook(io.BytesIO(xlsx.file.read())).active.iter_rows(values_only=True))
    codes = {row[2] for row in rows[1:]}
    assert set(catalogue()) <= codes
    assert rows[0][4:6] == ("Numerator", "Denominator")
    page = evaluator.get(f"/console/insight/reports/?scope=community:{t.community_a.pk}").content.decode()
    assert f"/files/{report.pdf_id}/" in page
    assert evaluator.get(f"/files/{report.pdf_id}/").status_code == 200
    other = login(make_user("community_staff", t.community_b))
    assert other.get(f"/files/{report.pdf_id}/").status_code in (403, 404)
    r = evaluator.post("/console/insight/reports/", {"period": "2026-11"}, follow=True)
    assert "Choose a quarter or a year." in r.content.decode()


def test_governance_map(snapped, make_user, login, django_assert_max_num_queries):
    t = snapped
    staff = login(make_user("community_staff", t.community_a))
    url = f"/console/insight/map/?scope=community:{t.community_a.pk}&period={last_month().key}&code=participation_rate"
    with django_assert_max_num_queries(12):
        r = staff.get(url)
    body = r.content.decode()
    assert r.status_code == 200
    for yard in (t.courtyard1, t.courtyard2, t.courtyard3):
        assert yard.name in body
    assert body.count('class="map-grey"') == 2  # courtyards 2 and 3 belong to no unit
    assert staff.get(f"/console/insight/map/?scope=unit:{t.unit.pk}").status_code == 404
    assert staff.get(f"/console/insight/map/?scope=community:{t.community_a.pk}&code=nope").status_code == 404


def test_progress_board(snapped, make_user, login, django_assert_max_num_queries):
    t = snapped
    officer = login(make_user("subdistrict_officer", t.subdistrict))
    with django_assert_max_num_queries(12):
        r = officer.get("/console/insight/progress/")
    assert r.status_code == 200 and t.unit.name in r.content.decode()
    committee = login(make_user("committee_member", t.unit))
    assert t.unit.name in committee.get("/console/insight/progress/").content.decode()
